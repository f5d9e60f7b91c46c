"""The SVG chart of docs/performance.md, drawn from the results: p95 per path against its target (log
scale), and, once both scales were measured, how much each p95 grew from 10k to 100k applicants.

A path whose target is a share of its floor's throughput is drawn against the p95 that share implies
(the floor's p95 divided by the share): at a fixed concurrency, latency and throughput are reciprocal.
"""

from __future__ import annotations

import math
from html import escape

WIDTH = 960
LABEL = 360
PLOT = 500
ROW = 22
TOP = 56
LOG_MIN, LOG_MAX = 1.0, 10_000.0  # ms
GROWTH_MAX = 12.0
GOOD, BAD, INK, GRID = "#2f7d32", "#c62828", "#222", "#ccc"


def _x_log(ms: float) -> float:
    ms = min(max(ms, LOG_MIN), LOG_MAX)
    return LABEL + PLOT * (math.log10(ms) - math.log10(LOG_MIN)) / (math.log10(LOG_MAX) - math.log10(LOG_MIN))


def _x_growth(ratio: float) -> float:
    return LABEL + PLOT * min(max(ratio, 0.0), GROWTH_MAX) / GROWTH_MAX


def target_ms(row: dict) -> float:
    target = row["target"]
    if target.get("p95_ms"):
        return float(target["p95_ms"])
    return row["floor"]["p95_ms"] / target["ratio"]


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 12, weight: str = "normal"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{INK}">{escape(text)}</text>'
    )


def _p95_panel(rows: list[dict], top: float) -> tuple[list[str], float]:
    parts = [_text(10, top - 24, "p95 per path (ms, log scale); | marks the target", size=14, weight="bold")]
    bottom = top + ROW * len(rows)
    for tick in (1, 10, 100, 1000, 10_000):
        x = _x_log(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" stroke="{GRID}"/>')
        parts.append(_text(x, top - 8, f"{tick:,}", anchor="middle", size=10))
    for index, row in enumerate(rows):
        y = top + index * ROW
        colour = GOOD if row["meets_target"] else BAD
        title = f"{row['label']} ({row['role']}): p95 {row['p95_ms']:.0f} ms, target {row['target']['text']}"
        parts += _bar(row, y, _x_log(row["p95_ms"]), colour, title, f"{row['p95_ms']:.0f} ms")
        x = _x_log(target_ms(row))
        parts.append(
            f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + ROW - 1}" stroke="{INK}" stroke-width="2"/>'
        )
    return parts, bottom


def _bar(row: dict, y: float, end_x: float, colour: str, title: str, note: str) -> list[str]:
    """One path's row: its name on the left, a bar to `end_x` with a tooltip, the figure on the right."""
    width = max(1.0, end_x - LABEL)
    return [
        _text(LABEL - 8, y + 15, f"{row['label']} — {row['role']}", anchor="end"),
        f'<rect x="{LABEL}" y="{y + 4}" width="{width:.1f}" height="{ROW - 8}" fill="{colour}">'
        f"<title>{escape(title)}</title></rect>",
        _text(LABEL + PLOT + 8, y + 15, note, size=11),
    ]


def _growth_panel(growth: dict, top: float) -> tuple[list[str], float]:
    rows = [row for row in growth["paths"] if row["p95_ratio"] is not None]
    title = "p95 at 100,000 applicants ÷ p95 at 10,000 (lines at 1× and 10×)"
    parts = [_text(10, top - 24, title, size=14, weight="bold")]
    bottom = top + ROW * len(rows)
    for tick in (0, 1, 2, 5, 10):
        x = _x_growth(tick)
        stroke = INK if tick in (1, 10) else GRID
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}" stroke="{stroke}"/>')
        parts.append(_text(x, top - 8, f"{tick}×", anchor="middle", size=10))
    for index, row in enumerate(rows):
        y = top + index * ROW
        grew = row["queries_small"] != row["queries_large"]
        colour = BAD if grew or row["p95_ratio"] >= 3 else GOOD
        title = (
            f"{row['label']}: ×{row['p95_ratio']}, queries {row['queries_small']} → {row['queries_large']}"
        )
        note = f"×{row['p95_ratio']:.1f}" + (" (queries grew)" if grew else "")
        parts += _bar(row, y, _x_growth(row["p95_ratio"]), colour, title, note)
    return parts, bottom


def render(document: dict, growth: dict | None) -> str:
    title = f"Tobira at {document['scale']:,} applicants: p95 per path against its target"
    parts, bottom = _p95_panel(document["paths"], TOP + 20)
    if growth:
        more, bottom = _growth_panel(growth, bottom + 70)
        parts += more
    height = int(bottom + 20)
    header = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="title" font-family="sans-serif">',
        f'<title id="title">{escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
        _text(10, 22, title, size=16, weight="bold"),
        _text(10, 40, f"green: target met, red: not met; measured {document['measured_at']}", size=11),
    ]
    return "\n".join(header + parts + ["</svg>"]) + "\n"

"""Build the small SVG sprite of the Tabler icons Tobira uses, from the npm package `@tabler/icons`.

`make assets` runs it: the sprite is a build product (never committed), so only the icons named here
are served, not the package's five thousand. Templates draw one with `{% icon "home" %}`
(casework/templatetags/ui_tags.py), which refers to `#<name>` in this sprite.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ICONS = (
    "home",
    "users",
    "calendar-due",
    "checklist",
    "school",
    "briefcase",
    "chart-bar",
    "settings",
    "api",
    "key",
    "user-circle",
    "bell",
    "search",
    "menu-2",
    "language",
    "logout",
    "x",
    "plus",
    "pencil",
    "dots-vertical",
    "alert-triangle",
    "clock",
    "file-text",
    "file-import",
    "notes",
    "history",
    "id-badge-2",
    "building",
    "chevron-right",
    "filter",
    "lock",
    "shield-lock",
    "moon",
    "sun",
    "calendar-event",
    "user-plus",
    "download",
    "arrow-left",
    "info-circle",
    "circle-check",
)

PATHS = re.compile(r"<(path|circle|rect|line|polyline|polygon|ellipse)\b[^>]*/>", re.S)


def symbol(name: str, source: Path) -> str:
    text = (source / f"{name}.svg").read_text(encoding="utf-8")
    shapes = [m.group(0) for m in PATHS.finditer(text) if 'stroke="none"' not in m.group(0)]
    body = "".join(re.sub(r"\s+", " ", shape) for shape in shapes)
    return f'<symbol id="{name}" viewBox="0 0 24 24">{body}</symbol>'


def main(source: str, target: str) -> None:
    folder = Path(source)
    symbols = "".join(symbol(name, folder) for name in ICONS)
    sprite = (
        '<svg xmlns="http://www.w3.org/2000/svg" fill="none" stroke="currentColor" stroke-width="2" '
        f'stroke-linecap="round" stroke-linejoin="round">{symbols}</svg>\n'
    )
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    Path(target).write_text(sprite, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""The share packet as the portal shows it: codes turned into words, in the reader's language.

The packet itself (jobs.selectors.packets) holds codes and dates, as the partner API gives them; this
only labels them for a page. No key is added: what the page shows is what the packet holds.
"""

from __future__ import annotations

from typing import Any

from casework.models.applicants import LanguageLevel, Shift, Weekday
from casework.rules import PREFECTURE_BY_CODE


def _label(choices, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def packet_display(packet: dict[str, Any] | None) -> dict[str, Any] | None:
    """A copy of the packet whose availability and languages read as words."""
    if packet is None:
        return None
    shown = dict(packet)
    availability = packet.get("availability")
    if availability is not None:
        shown["availability"] = {
            **availability,
            "days": [_label(Weekday, code) for code in availability.get("days", [])],
            "shifts": [_label(Shift, code) for code in availability.get("shifts", [])],
            "prefectures": [
                str(PREFECTURE_BY_CODE[code].label) if code in PREFECTURE_BY_CODE else code
                for code in availability.get("prefectures", [])
            ],
        }
    if "languages" in packet:
        shown["languages"] = [
            {
                "language": str(item.get("language", "")) if isinstance(item, dict) else str(item),
                "level": _label(LanguageLevel, str(item.get("level", ""))) if isinstance(item, dict) else "",
            }
            for item in packet["languages"]
        ]
    return shown

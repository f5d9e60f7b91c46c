"""The web server's access log without what people typed into search (config/gunicorn.py uses it).

Names and card numbers typed into search can reach an address (a bookmark, an old link, the API's ``q``):
every value of a masked query parameter is replaced by ``***`` wherever it appears in a log line — the
request line, the query string, the referrer and any request header logged.
"""

from __future__ import annotations

import re

from gunicorn.glogging import Logger

MASKED_PARAMETERS = ("q", "card", "name", "search")
_KEYS = "|".join(MASKED_PARAMETERS)
_MASK = re.compile(rf"(?P<key>(?:^|[?&;])(?:{_KEYS})=)[^&;#\s\"]*", re.IGNORECASE)


def mask_query(text: str) -> str:
    """``/applicants/?q=Perera&page=2`` → ``/applicants/?q=***&page=2`` (empty values stay empty)."""
    return _MASK.sub(lambda found: found["key"] + ("***" if found.end() > found.end("key") else ""), text)


class MaskingLogger(Logger):
    """gunicorn's logger with the search parameters masked in every access-log atom."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: mask_query(value) if isinstance(value, str) else value for key, value in atoms.items()}

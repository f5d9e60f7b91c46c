"""Jobs' panel on the home page: follow-ups due of the caseload's placed people (casework's registry)."""

from __future__ import annotations

from typing import Any

from casework.ui.home import home_scope
from jobs.selectors.home import FOLLOW_UPS_AHEAD_DAYS, follow_ups_due


def follow_ups_context(*, user, **objects) -> dict[str, Any] | None:
    scope = home_scope(user)
    if scope is None:
        return None
    return {"follow_ups": follow_ups_due(user=user, scope=scope), "days": FOLLOW_UPS_AHEAD_DAYS}

"""What a history row is called: one readable title per kind of event ("Legal status period added",
"Consent revoked", "Task completed"), in the reader's language, never the stored codes.

Each app registers the titles of its own records (``register_history_titles`` from ``AppConfig.ready``,
as learning does); a record without a rule gets "<its verbose name> added / changed / deleted / erased".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

Changes = Mapping[str, Mapping[str, Any]]
# (action, changes) → a title, or None for the generic one.
TitleRule = Callable[[str, Changes], "str | Promise | None"]

_RULES: dict[str, TitleRule] = {}


def register_history_titles(model_label: str, rule: TitleRule) -> None:
    """Titles for the history rows of one model ("learning.enrollment"), replacing any earlier rule."""
    _RULES[model_label.lower()] = rule


def became_set(changes: Changes, key: str) -> bool:
    """The field went from empty (None, False, "") to a value: a revocation, a completion."""
    change = changes.get(key) or {}
    return bool(change.get("new")) and not change.get("old")


def became_unset(changes: Changes, key: str) -> bool:
    change = changes.get(key) or {}
    return bool(change.get("old")) and not change.get("new")


def became(changes: Changes, key: str, value: Any) -> bool:
    change = changes.get(key) or {}
    return key in changes and change.get("new") == value and change.get("old") != value


def generic_title(action: str, kind: str) -> str:
    """'Legal status period added' from the model's verbose name and the action."""
    templates = {
        "create": _("%(kind)s added"),
        "update": _("%(kind)s changed"),
        "delete": _("%(kind)s deleted"),
        "erase": _("%(kind)s erased"),
    }
    template = templates.get(action, _("%(kind)s changed"))
    return capfirst(template % {"kind": kind})


def history_title(model_label: str, action: str, changes: Changes, kind: str) -> str:
    """The title of one history row; ``kind`` is the model's verbose name (for the generic title)."""
    rule = _RULES.get(model_label)
    if rule is not None:
        title = rule(action, changes)
        if title:
            return str(title)
    return generic_title(action, kind)


# --- Casework's own records -----------------------------------------------------------------------------


def _applicant(action: str, changes: Changes) -> Promise | None:
    if action == "create":
        return gettext_lazy("Person registered")
    if action == "update":
        if "team_id" in changes or "caseworker_id" in changes:
            return gettext_lazy("Case reassigned")
        if set(changes) == {"case_stage"}:
            return gettext_lazy("Case stage changed")
        return gettext_lazy("Profile changed")
    if action == "erase":
        return gettext_lazy("Personal data erased")
    return None


def _consent(action: str, changes: Changes) -> Promise | None:
    if action == "create":
        return gettext_lazy("Consent recorded")
    if action == "update" and became_set(changes, "revoked_on"):
        return gettext_lazy("Consent revoked")
    return None


def _note(action: str, changes: Changes) -> Promise | None:
    return {
        "create": gettext_lazy("Note added"),
        "update": gettext_lazy("Note edited"),
        "delete": gettext_lazy("Note deleted"),
    }.get(action)


def _task(action: str, changes: Changes) -> Promise | None:
    if action == "create":
        return gettext_lazy("Task added")
    if action == "update" and became_set(changes, "done"):
        return gettext_lazy("Task completed")
    if action == "update" and became_unset(changes, "done"):
        return gettext_lazy("Task reopened")
    return None


def _document(action: str, changes: Changes) -> Promise | None:
    return {"create": gettext_lazy("Document uploaded"), "delete": gettext_lazy("Document deleted")}.get(
        action
    )


def _procedure(action: str, changes: Changes) -> Promise | None:
    if action == "create":
        return gettext_lazy("Refugee application recorded")
    if action == "update" and became_unset(changes, "is_open"):
        return gettext_lazy("Refugee procedure closed")
    if action == "update" and became_set(changes, "is_open"):
        return gettext_lazy("Refugee procedure reopened")
    return None


def _procedure_event(action: str, changes: Changes) -> Promise | None:
    return gettext_lazy("Procedure event recorded") if action == "create" else None


def _deadline_state(action: str, changes: Changes) -> Promise | None:
    if became_set(changes, "acknowledged_at"):
        return gettext_lazy("Reminder acknowledged")
    if became_set(changes, "snoozed_until"):
        return gettext_lazy("Escalation paused")
    if became_set(changes, "escalated_at"):
        return gettext_lazy("Reminder escalated to the supervisors")
    return None


def _sensitive(action: str, changes: Changes) -> Promise | None:
    return {
        "create": gettext_lazy("Sensitive information recorded"),
        "update": gettext_lazy("Sensitive information changed"),
        "delete": gettext_lazy("Sensitive information erased"),
    }.get(action)


for _label, _rule in {
    "casework.applicant": _applicant,
    "casework.consent": _consent,
    "casework.casenote": _note,
    "casework.task": _task,
    "casework.document": _document,
    "casework.refugeeprocedure": _procedure,
    "casework.procedureevent": _procedure_event,
    "casework.deadlinestate": _deadline_state,
    "casework.sensitiverecord": _sensitive,
}.items():
    register_history_titles(_label, _rule)

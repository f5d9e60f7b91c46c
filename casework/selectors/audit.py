"""Reading the audit: a person's change history and "who saw this file", for those allowed to read them.

Who reads what (DESIGN.md, Audit and Access matrix):

- The change history of a person is read by those responsible for the case: the assigned caseworker,
  the team's supervisors and administrators (``Applicant.objects.editable_by``). A teammate reading a
  shared case sees the current record, not its past values.
- Values of restricted records (sensitive information, confidential notes) appear in the history only
  to those who may read the record itself (its model's ``visible_to``); others see that it changed, by
  whom and when, not what it said.
- The access log of a person ("who saw this file") is read by the supervisors of the person's team and
  administrators (``AccessLogEntry.objects.visible_to``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.audit import RESTRICTED_MODELS
from casework.models import (
    ERASED_MARKER,
    AccessLogEntry,
    Applicant,
    ChangeRecord,
    Consent,
    ConsentPurpose,
    Team,
    User,
)
from casework.roles import Role

HISTORY_SECTION_SIZE = 50
HISTORY_PAGE_SIZE = 50
ACCESS_LOG_PAGE_SIZE = 50
ACCESS_LOG_DEFAULT_DAYS = 90
ACCESS_LOG_MAX_DAYS = 3650
ACCESS_LOG_SUMMARY_SIZE = 10

# Fields that say where a record sits, not what it holds: not shown as changes.
STRUCTURAL_FIELDS = {"id", "organisation_id", "applicant_id", "procedure_id"}
# Values the history keeps that are not model fields of their own.
PSEUDO_FIELD_LABELS = {
    "aliases": gettext_lazy("other names"),
    "card_number": gettext_lazy("residence card number"),
}


def _is_administrator(user) -> bool:
    return bool(user.has_role(Role.ADMINISTRATOR) or user.is_superuser)


def may_see_history(user, applicant: Applicant) -> bool:
    """The assigned caseworker, the team's supervisors and administrators (those who may change it)."""
    return Applicant.objects.editable_by(user).filter(pk=applicant.pk).exists()


def may_see_access_log(user, applicant: Applicant) -> bool:
    """Supervisors of the person's team and administrators: as AccessLogEntry.objects.visible_to."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id != applicant.organisation_id:
        return False
    if _is_administrator(user):
        return True
    return user.has_role(Role.SUPERVISOR) and (
        Team.supervisors.through.objects.filter(user_id=user.pk, team_id=applicant.team_id).exists()
    )


# --- Change history ---------------------------------------------------------------------------------------


def history_of(*, applicant: Applicant) -> QuerySet[ChangeRecord]:
    """A person's change history, newest first (the caller has checked may_see_history)."""
    return (
        ChangeRecord.objects.filter(organisation_id=applicant.organisation_id, applicant_id=applicant.pk)
        .select_related("actor")
        .order_by("-at", "-pk")
    )


def history_visible_to(user) -> QuerySet[ChangeRecord]:
    """History rows for the API: supervisors' teams and administrators' organisation."""
    return ChangeRecord.objects.visible_to(user).select_related("actor", "applicant")


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    record: ChangeRecord
    record_kind: str
    action: str
    object_label: str
    changes: list[FieldChange]
    values_hidden: bool


def _led_team_ids(user) -> set[int]:
    if not user.has_role(Role.SUPERVISOR):
        return set()
    return set(Team.supervisors.through.objects.filter(user_id=user.pk).values_list("team_id", flat=True))


def _responsible_for(user, applicant: Applicant | None, led_team_ids: set[int]) -> bool:
    """The assigned caseworker or a supervisor of the team: who reads restricted records of a person.

    Used for records that no longer exist (deleted, erased), whose visible_to cannot be asked.
    """
    if applicant is None:
        return False
    if user.has_role(Role.CASEWORKER) and applicant.caseworker_id == user.pk:
        return True
    return applicant.team_id in led_team_ids


def _confidential_in(record: ChangeRecord) -> bool:
    change = record.changes.get("confidential") or {}
    return change.get("old") is True or change.get("new") is True


def _author_in(record: ChangeRecord) -> Any:
    change = record.changes.get("author_id") or {}
    return change.get("new") or change.get("old")


def hidden_record_ids(
    records: Iterable[ChangeRecord], *, user, applicants: Mapping[int, Applicant | None]
) -> set[int]:
    """The history rows whose values this user may not read (restricted records they cannot see).

    A fixed number of queries: per restricted model present, the rows that still exist and those the
    user's visible_to() lets through; the led teams once, only when a deleted row needs them.
    """
    restricted = [record for record in records if record.model in RESTRICTED_MODELS]
    if not restricted:
        return set()
    ids_by_model: dict[str, set[int]] = defaultdict(set)
    for record in restricted:
        if record.object_id.isdigit():
            ids_by_model[record.model].add(int(record.object_id))
    existing: dict[str, set[str]] = {}
    visible: dict[str, set[str]] = {}
    current_rows: dict[str, dict[str, dict[str, Any]]] = {}
    for label, ids in ids_by_model.items():
        # One query per model: the rows that still exist, each marked with what visible_to says of it.
        manager: Any = apps.get_model(label)._default_manager
        values = ["pk", "confidential", "author_id"] if label == "casework.casenote" else ["pk"]
        rows = manager.filter(pk__in=ids).annotate(
            readable=Exists(manager.visible_to(user).filter(pk=OuterRef("pk")))
        )
        current_rows[label] = {str(row["pk"]): row for row in rows.values(*values, "readable")}
        existing[label] = set(current_rows[label])
        visible[label] = {pk for pk, row in current_rows[label].items() if row["readable"]}
    confidential_notes = {
        record.object_id
        for record in restricted
        if record.model == "casework.casenote" and _confidential_in(record)
    }
    led: set[int] | None = None
    consented: set[int] | None = None
    hidden: set[int] = set()
    for record in restricted:
        label, object_id = record.model, record.object_id
        if object_id in visible.get(label, set()):
            continue
        if label == "casework.casenote":
            row = current_rows.get(label, {}).get(object_id)
            confidential = (row is not None and row["confidential"]) or object_id in confidential_notes
            if not confidential:
                continue  # an open note: it reads like the rest of the person's file
            author = row["author_id"] if row is not None else _author_in(record)
            if row is None and author == user.pk:
                continue
        if object_id not in existing.get(label, set()):
            # Gone (deleted or erased): judged as its visible_to would have judged it.
            if led is None:
                led = _led_team_ids(user)
            responsible = _responsible_for(user, applicants.get(record.applicant_id or 0), led)
            if responsible and label == "casework.sensitiverecord":
                if consented is None:
                    consented = _with_current_sensitive_consent({r.applicant_id for r in restricted})
                responsible = record.applicant_id in consented
            if responsible:
                continue
        hidden.add(record.pk)
    return hidden


def _with_current_sensitive_consent(applicant_ids: set[int | None]) -> set[int]:
    """People whose sensitive-information consent is current today (what SensitiveRecord.visible_to asks)."""
    day = timezone.localdate()
    consents = Consent.objects.filter(
        applicant_id__in=[pk for pk in applicant_ids if pk], purpose=ConsentPurpose.SENSITIVE_INFORMATION
    )
    return {consent.applicant_id for consent in consents if consent.is_current_on(day)}


def _model_fields(label: str) -> tuple[type[models.Model] | None, dict[str, models.Field]]:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None, {}
    return model, {field.attname: field for field in model._meta.concrete_fields}


def record_kind(label: str) -> str:
    model, _fields = _model_fields(label)
    return capfirst(str(model._meta.verbose_name)) if model is not None else label


@dataclass
class _Names:
    """Names for the ids a history shows (caseworkers, teams, linked people), gathered once a page."""

    users: dict[int, str]
    teams: dict[int, str]
    applicants: dict[int, str]


def _gather_names(records: list[ChangeRecord], applicant: Applicant | None) -> _Names:
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for record in records:
        _model, fields = _model_fields(record.model)
        for key, change in record.changes.items():
            field = fields.get(key)
            if field is None or not field.is_relation or key in STRUCTURAL_FIELDS:
                continue
            for value in (change.get("old"), change.get("new")):
                if isinstance(value, int):
                    wanted[field.related_model].add(value)  # type: ignore[index]
    names = _Names(users={}, teams={}, applicants={})
    # What the page already holds needs no query: the people who made the changes, the person's team.
    for record in records:
        if record.actor is not None:
            names.users[record.actor.pk] = str(record.actor)
    if applicant is not None:
        if "team" in applicant._state.fields_cache:
            names.teams[applicant.team_id] = str(applicant.team)
        if applicant.caseworker_id and "caseworker" in applicant._state.fields_cache:
            names.users[applicant.caseworker_id] = str(applicant.caseworker)
        # The applicant page has the assignment history prefetched: every team and caseworker it had.
        for assignment in getattr(applicant, "_prefetched_objects_cache", {}).get("assignments", []):
            names.teams[assignment.team_id] = str(assignment.team)
            for user in (assignment.caseworker, assignment.assigned_by):
                if user is not None:
                    names.users[user.pk] = str(user)
    missing_users = wanted.get(User, set()) - set(names.users)
    if missing_users:
        names.users.update({user.pk: str(user) for user in User.objects.filter(pk__in=missing_users)})
    missing_teams = wanted.get(Team, set()) - set(names.teams)
    if missing_teams:
        names.teams.update(dict(Team.objects.filter(pk__in=missing_teams).values_list("pk", "name")))
    if wanted.get(Applicant):
        names.applicants.update(
            dict(Applicant.objects.filter(pk__in=wanted[Applicant]).values_list("pk", "reference_code"))
        )
    return names


def _format_value(value: Any, field: models.Field | None, names: _Names) -> str:
    if value == ERASED_MARKER:
        return _("[erased]")
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field is not None and field.is_relation and isinstance(value, int):
        related = field.related_model
        table = {User: names.users, Team: names.teams, Applicant: names.applicants}.get(related)  # type: ignore[call-overload,arg-type]
        return table.get(value, f"#{value}") if table is not None else f"#{value}"
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(_format_item(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)


def _format_item(item: Any) -> str:
    if isinstance(item, dict):
        if "language" in item:  # an applicant's languages: "Tamil (native)"
            return f"{item.get('language')} ({item.get('level', '')})"
        return " ".join(str(value) for value in item.values())
    return str(item)


def _field_label(key: str, field: models.Field | None) -> str:
    if field is not None:
        return capfirst(str(field.verbose_name))
    if key in PSEUDO_FIELD_LABELS:
        return capfirst(str(PSEUDO_FIELD_LABELS[key]))
    return key


def present_history(
    records: Iterable[ChangeRecord], *, user, applicant: Applicant | None = None
) -> list[HistoryEntry]:
    """History rows as people read them: field labels, names for ids, choice labels; restricted values
    hidden from those who may not read the record. Queries: a fixed few, whatever the number of rows."""
    rows = list(records)
    applicants: dict[int, Applicant | None] = {}
    for record in rows:
        if applicant is not None and record.applicant_id == applicant.pk:
            applicants[applicant.pk] = applicant
        elif record.applicant_id and "applicant" in record._state.fields_cache:
            applicants[record.applicant_id] = record.applicant
    hidden = hidden_record_ids(rows, user=user, applicants=applicants)
    names = _gather_names([row for row in rows if row.pk not in hidden], applicant)
    entries = []
    for record in rows:
        _model, fields = _model_fields(record.model)
        values_hidden = record.pk in hidden
        changes = []
        if not values_hidden:
            for key, change in record.changes.items():
                if key in STRUCTURAL_FIELDS:
                    continue
                field = fields.get(key)
                old = _format_value(change.get("old"), field, names)
                new = _format_value(change.get("new"), field, names)
                if old == new:  # an empty field of a record created or deleted: nothing to read
                    continue
                changes.append(FieldChange(field=key, label=_field_label(key, field), old=old, new=new))
            changes.sort(key=lambda item: item.label.lower())
        entries.append(
            HistoryEntry(
                record=record,
                record_kind=record_kind(record.model),
                action=record.get_action_display(),
                object_label="" if values_hidden else record.object_label,
                changes=changes,
                values_hidden=values_hidden,
            )
        )
    return entries


def field_label(model_label: str, key: str) -> str:
    """The human label of a stored field (the API gives it next to the field's name)."""
    _model, fields = _model_fields(model_label)
    return _field_label(key, fields.get(key))


# --- Access log ----------------------------------------------------------------------------------------


def access_log_days(raw: object) -> int:
    """The ?days= of "who saw this file": 90 by default, at least 1, at most 3650."""
    try:
        days = int(str(raw))
    except (TypeError, ValueError):
        return ACCESS_LOG_DEFAULT_DAYS
    return max(1, min(ACCESS_LOG_MAX_DAYS, days))


def access_log_since(days: int, now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=days)


def access_log_visible_to(user) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.visible_to(user).select_related("actor", "applicant")


def access_log_of(*, user, applicant: Applicant, since: datetime) -> QuerySet[AccessLogEntry]:
    """Who saw this person's file since a moment, newest first (the caller has checked may_see_access_log)."""
    return (
        AccessLogEntry.objects.visible_to(user)
        .filter(applicant_id=applicant.pk, at__gte=since)
        .select_related("actor")
        .order_by("-at", "-pk")
    )


@dataclass(frozen=True)
class AccessSummaryRow:
    person: str
    username: str
    kind: str
    kind_label: str
    count: int
    first: datetime
    last: datetime


def access_log_summary(
    entries: QuerySet[AccessLogEntry], *, limit: int | None = None
) -> list[AccessSummaryRow]:
    """One row per person and kind of read (count, first and last time), most recent first: one query."""
    kinds = dict(AccessLogEntry.Kind.choices)
    grouped = (
        entries.order_by()
        .values("actor_id", "actor_label", "actor__first_name", "actor__last_name", "kind")
        .annotate(count=Count("pk"), first=Min("at"), last=Max("at"))
        .order_by("-last", "actor_label", "kind")
    )
    if limit is not None:
        grouped = grouped[:limit]
    rows = []
    for row in grouped:
        full_name = " ".join(part for part in (row["actor__first_name"], row["actor__last_name"]) if part)
        rows.append(
            AccessSummaryRow(
                person=full_name or row["actor_label"] or _("unknown"),
                username=row["actor_label"],
                kind=row["kind"],
                kind_label=str(kinds.get(row["kind"], row["kind"])),
                count=row["count"],
                first=row["first"],
                last=row["last"],
            )
        )
    return rows

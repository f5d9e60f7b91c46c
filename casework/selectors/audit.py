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

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.audit import RESTRICTED_MODELS
from casework.deadlines import registry as deadline_registry
from casework.models import (
    ERASED_MARKER,
    AccessLogEntry,
    Applicant,
    ChangeRecord,
    Consent,
    ConsentPurpose,
    FieldGroup,
    Team,
    User,
)
from casework.roles import Role
from casework.selectors.audit_titles import history_title

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
# Labels for fields whose model gives none of its own (internal bookkeeping that a history still shows).
MODEL_FIELD_LABELS: dict[str, dict[str, Any]] = {
    "casework.deadlinestate": {
        "source_kind": gettext_lazy("deadline"),
        "deadline_date": gettext_lazy("deadline date"),
        "acknowledged_at": gettext_lazy("acknowledged at"),
        "acknowledged_by_id": gettext_lazy("acknowledged by"),
        "snoozed_until": gettext_lazy("escalation paused until"),
        "snoozed_by_id": gettext_lazy("paused by"),
        "escalated_at": gettext_lazy("escalated at"),
    },
}
# Bookkeeping a reader has no use for (a storage path, a checksum): kept in the audit, not shown.
HIDDEN_FIELDS: dict[str, set[str]] = {"casework.document": {"file", "sha256", "content_type", "size"}}
# Lists of codes stored in a JSON field, shown by their labels ("contact, nationality" → "Contact, Nationality").
LIST_CHOICES: dict[tuple[str, str], Any] = {("casework.consent", "scope"): FieldGroup}


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
    """One history row as people read it. ``title`` says what happened ("Consent revoked"), ``actor_name``
    who did it ("system" for the sweep and the worker), ``at`` when (in Tokyo) and ``day`` groups rows."""

    record: ChangeRecord
    record_kind: str
    action: str
    object_label: str
    changes: list[FieldChange]
    values_hidden: bool
    title: str = ""
    actor_name: str = ""
    at: datetime | None = None
    day: date | None = None


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
    """Names for the ids a history shows (caseworkers, teams, courses, linked people), gathered once a
    page: one query per kind of record named, whatever the number of rows."""

    by_model: dict[type[models.Model], dict[int, str]] = field(default_factory=lambda: defaultdict(dict))

    @property
    def users(self) -> dict[int, str]:
        return self.by_model[User]

    @property
    def teams(self) -> dict[int, str]:
        return self.by_model[Team]

    def name(self, model: type[models.Model] | None, pk: int) -> str | None:
        return self.by_model.get(model, {}).get(pk) if model is not None else None  # type: ignore[arg-type]


def _name_query(model: type[models.Model], ids: set[int]) -> dict[int, str]:
    """One query for the names of ``ids``: str() of each row, with what its str() reads joined in."""
    if model is Team:
        return dict(Team.objects.filter(pk__in=ids).values_list("pk", "name"))
    if model is Applicant:
        return dict(Applicant.objects.filter(pk__in=ids).values_list("pk", "reference_code"))
    # select_related() follows every required foreign key, so str() of a session ("Course 2026-12-01")
    # or an enrolment reads no further row.
    return {row.pk: str(row) for row in model._default_manager.filter(pk__in=ids).select_related()}


def _gather_names(records: list[ChangeRecord], applicant: Applicant | None) -> _Names:
    wanted: dict[type[models.Model], set[int]] = defaultdict(set)
    for record in records:
        _model, fields = _model_fields(record.model)
        for key, change in record.changes.items():
            model_field = fields.get(key)
            if model_field is None or not model_field.is_relation or key in STRUCTURAL_FIELDS:
                continue
            for value in (change.get("old"), change.get("new")):
                if isinstance(value, int) and not isinstance(value, bool):
                    wanted[model_field.related_model].add(value)  # type: ignore[index]
    names = _Names()
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
    for model, ids in wanted.items():
        missing = ids - set(names.by_model.get(model, {}))
        if missing:
            names.by_model[model].update(_name_query(model, missing))
    return names


def _format_moment(value: str) -> str:
    moment = parse_datetime(value)
    if moment is None:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "Y-m-d H:i")


def _format_value(value: Any, model_field: models.Field | None, names: _Names, choices: Any = None) -> str:
    if value == ERASED_MARKER:
        return _("[erased]")
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if model_field is not None and model_field.is_relation and isinstance(value, int):
        # A record gone since (deleted, or never seen by this reader's query): say what it was, not its id.
        return names.name(model_field.related_model, value) or _("a record since deleted")  # type: ignore[arg-type]
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
        return _format_moment(value)
    if isinstance(value, list):
        labels = dict(choices.choices) if choices is not None else {}
        return ", ".join(
            str(labels.get(item, item)) if isinstance(item, str) else _format_item(item) for item in value
        )
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return str(value)


def _format_item(item: Any) -> str:
    if isinstance(item, dict):
        if "language" in item:  # an applicant's languages: "Tamil (native)"
            return f"{item.get('language')} ({item.get('level', '')})"
        return " ".join(str(value) for value in item.values())
    return str(item)


def _field_label(key: str, model_field: models.Field | None, model_label: str = "") -> str:
    override = MODEL_FIELD_LABELS.get(model_label, {}).get(key)
    if override is not None:
        return capfirst(str(override))
    if model_field is not None:
        return capfirst(str(model_field.verbose_name))
    if key in PSEUDO_FIELD_LABELS:
        return capfirst(str(PSEUDO_FIELD_LABELS[key]))
    return capfirst(key.replace("_", " "))


_PROCEDURE_LABEL = re.compile(r"^#(?P<number>\d+) (?P<date>\S+)$")
_DEADLINE_LABEL = re.compile(r"^(?P<kind>[a-z_]+)#\d+ (?P<date>\S+)$")


def _object_label(record: ChangeRecord) -> str:
    """What the row calls its record, in words: the stored label, except the few models whose str() is
    a code ("#2 2025-10-31" for a refugee application, "period_end#3 2026-12-01" for a reminder) and
    restricted records, labelled only "case note #4" (the title already says what it is)."""
    label = record.object_label
    if label == ERASED_MARKER:
        return _("[erased]")
    if record.model in RESTRICTED_MODELS and label.endswith(f" #{record.object_id}"):
        return ""  # written in the writer's language: "case note #4", "ケースノート #4"
    if record.model == "casework.refugeeprocedure" and (match := _PROCEDURE_LABEL.match(label)):
        return _("Application no. %(number)s, filed %(date)s") % match.groupdict()
    if record.model == "casework.deadlinestate" and (match := _DEADLINE_LABEL.match(label)):
        try:
            kind = str(deadline_registry.source(match["kind"]).label)
        except KeyError:
            return label
        return _("%(deadline)s on %(date)s") % {"deadline": kind, "date": match["date"]}
    return label


def _actor_name(record: ChangeRecord) -> str:
    """Who made the change: the person's name, or "system" for the daily sweep and the worker."""
    if record.actor_id is None:
        return _("system")
    return str(record.actor)


def present_history(
    records: Iterable[ChangeRecord], *, user, applicant: Applicant | None = None
) -> list[HistoryEntry]:
    """History rows as people read them: a title per event, field labels, names for ids, choice labels,
    times in Tokyo; restricted values hidden from those who may not read the record. Queries: a fixed
    few (one per kind of record named), whatever the number of rows."""
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
        model, fields = _model_fields(record.model)
        kind = str(model._meta.verbose_name) if model is not None else record.model
        values_hidden = record.pk in hidden
        changes = []
        if not values_hidden:
            for key, change in record.changes.items():
                if key in STRUCTURAL_FIELDS or key in HIDDEN_FIELDS.get(record.model, ()):
                    continue
                model_field = fields.get(key)
                choices = LIST_CHOICES.get((record.model, key))
                old = _format_value(change.get("old"), model_field, names, choices)
                new = _format_value(change.get("new"), model_field, names, choices)
                if old == new:  # an empty field of a record created or deleted: nothing to read
                    continue
                label = _field_label(key, model_field, record.model)
                changes.append(FieldChange(field=key, label=label, old=old, new=new))
            changes.sort(key=lambda item: item.label.lower())
        at = timezone.localtime(record.at)
        entries.append(
            HistoryEntry(
                record=record,
                record_kind=capfirst(kind),
                action=record.get_action_display(),
                object_label="" if values_hidden else _object_label(record),
                changes=changes,
                values_hidden=values_hidden,
                title=history_title(record.model, record.action, record.changes, kind),
                actor_name=_actor_name(record),
                at=at,
                day=at.date(),
            )
        )
    return entries


def field_label(model_label: str, key: str) -> str:
    """The human label of a stored field (the API gives it next to the field's name)."""
    _model, fields = _model_fields(model_label)
    return _field_label(key, fields.get(key), model_label)


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

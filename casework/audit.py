"""Writing the audit: a request id per request, change records from services, access-log entries.

Services call `record_change` with a snapshot taken before the change; views call `log_access`
for every read the design lists. The request id and client address travel in contextvars, so a
service does not need the request to stamp its rows.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models

from casework.models.audit import ERASED_MARKER, AccessLogEntry, ChangeRecord

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("tobira_request_id", default="")
_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("tobira_client_ip", default=None)
# Where the changes being recorded come from when not a person's own form (an import: "import:42").
_source: contextvars.ContextVar[str] = contextvars.ContextVar("tobira_change_source", default="")

# Never copied into the audit in clear: the card number is stored encrypted and appears as a mask.
SECRET_FIELDS = {"card_number_encrypted", "card_number_hash", "search_key", "name_key", "version"}

# Records whose values only some of those who see the applicant may read (sensitive information,
# confidential notes). Their values are stored like any other (so the history is complete), but their
# label never repeats the text, and the history pages show their values only to those who may see the
# record itself (casework.selectors.audit).
RESTRICTED_MODELS = {"casework.sensitiverecord", "casework.casenote"}


class RequestIdMiddleware:
    """Gives every request an id (or keeps a proxy's X-Request-ID) for the audit rows it writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming[:64] if incoming and incoming.isprintable() else uuid.uuid4().hex
        request.request_id = request_id
        token_id = _request_id.set(request_id)
        token_ip = _client_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token_id)
            _client_ip.reset(token_ip)
        response["X-Request-ID"] = request_id
        return response


def current_request_id() -> str:
    return _request_id.get()


@contextlib.contextmanager
def change_source(source: str) -> Iterator[None]:
    """Stamp every change recorded inside the block with its source (an import's "import:<id>")."""
    token = _source.set(source[:64])
    try:
        yield
    finally:
        _source.reset(token)


def current_change_source() -> str:
    return _source.get()


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The audited values of an instance: concrete fields, foreign keys as ids, no secrets."""
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS or field.name in ("created_at", "updated_at"):
            continue
        values[field.attname] = _plain(getattr(instance, field.attname))
    if hasattr(instance, "card_number_hint"):
        values.pop("card_number_hint", None)
        values["card_number"] = instance.card_number_masked if instance.card_number_hint else ""  # type: ignore[attr-defined]
    return values


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    before, after = before or {}, after or {}
    return {
        key: {"old": before.get(key), "new": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def record_label(instance: models.Model) -> str:
    """What the history calls a record: its str(), except for records whose text is restricted."""
    if instance._meta.label_lower in RESTRICTED_MODELS:
        return f"{instance._meta.verbose_name} #{instance.pk}"
    return str(instance)[:200]


def record_change(
    *,
    actor,
    instance: models.Model,
    before: dict[str, Any] | None,
    action: str | None = None,
    applicant_id: int | None = None,
    after: dict[str, Any] | None = None,
) -> ChangeRecord | None:
    """Record one change (create: before=None; delete: call before deleting with the instance).

    ``after`` defaults to snapshot(instance); a service passes it when the record has values that are
    not its own fields (an applicant's aliases), adding the same keys to ``before``.
    Nothing is written when nothing changed.
    """
    if action == ChangeRecord.Action.DELETE:
        changes = _diff(before or snapshot(instance), None)
    else:
        changes = _diff(before, snapshot(instance) if after is None else after)
        action = action or (ChangeRecord.Action.CREATE if before is None else ChangeRecord.Action.UPDATE)
        if not changes:
            return None
    applicant_id = applicant_id or _applicant_id_of(instance)
    return ChangeRecord.objects.create(
        organisation_id=actor.organisation_id,
        actor=actor,
        request_id=current_request_id(),
        source=current_change_source(),
        applicant_id=applicant_id,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_label=record_label(instance),
        action=action,
        changes=changes,
    )


def _bulk_records(*, actor, instances: Iterable[models.Model], action: str, changes_of) -> None:
    """One change record per instance, all in one insert, with `changes_of(instance)` as its changes."""
    ChangeRecord.objects.bulk_create(
        [
            ChangeRecord(
                organisation_id=actor.organisation_id,
                actor=actor,
                request_id=current_request_id(),
                source=current_change_source(),
                applicant_id=_applicant_id_of(instance),
                model=instance._meta.label_lower,
                object_id=str(instance.pk),
                object_label=record_label(instance),
                action=action,
                changes=changes_of(instance),
            )
            for instance in instances
        ]
    )


def record_creations(
    *, actor, instances: Sequence[models.Model], extra: dict[str, Any] | None = None
) -> None:
    """What record_change(before=None) writes for each instance, in one insert (bulk services)."""
    _bulk_records(
        actor=actor,
        instances=instances,
        action=ChangeRecord.Action.CREATE,
        changes_of=lambda instance: _diff(None, {**snapshot(instance), **(extra or {})}),
    )


def record_deletions(*, actor, instances: Sequence[models.Model]) -> None:
    """What record_change(action=DELETE) writes for each instance about to be deleted, in one insert."""
    _bulk_records(
        actor=actor,
        instances=instances,
        action=ChangeRecord.Action.DELETE,
        changes_of=lambda instance: _diff(snapshot(instance), None),
    )


def record_bulk_change(
    *,
    actor,
    instances: Iterable[models.Model],
    field_changes: dict[str, dict[str, Any]],
    action: str = "update",
) -> None:
    """One record per instance for a bulk service (reassignment), with the same field changes."""
    _bulk_records(
        actor=actor,
        instances=instances,
        action=action,
        changes_of=lambda instance: _plain(field_changes.get(str(instance.pk), {})),
    )


def _applicant_id_of(instance: models.Model) -> int | None:
    if instance._meta.label_lower == "casework.applicant":
        return instance.pk
    if hasattr(instance, "applicant_id"):
        return instance.applicant_id
    procedure = getattr(instance, "procedure", None)
    return getattr(procedure, "applicant_id", None)


def log_access(
    *,
    actor,
    kind: str,
    applicant_id: int | None = None,
    object_label: str = "",
    detail: dict[str, Any] | None = None,
    organisation_id: int | None = None,
) -> AccessLogEntry:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AccessLogEntry.objects.create(
        organisation_id=organisation_id or (actor.organisation_id if authenticated else None),
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "")[:150],
        request_id=current_request_id(),
        kind=kind,
        applicant_id=applicant_id,
        object_label=object_label[:200],
        ip_address=_client_ip.get(),
        detail=detail or {},
    )


def log_access_many(
    *,
    actor,
    kind: str,
    applicant_ids: Iterable[int],
    object_label: str = "",
    detail: dict[str, Any] | None = None,
) -> int:
    """One access-log entry per applicant in one query (a duplicate check showing several matches)."""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    entries = [
        AccessLogEntry(
            organisation_id=actor.organisation_id if authenticated else None,
            actor=actor if authenticated else None,
            actor_label=(actor.get_username() if authenticated else "")[:150],
            request_id=current_request_id(),
            kind=kind,
            applicant_id=applicant_id,
            object_label=object_label[:200],
            ip_address=_client_ip.get(),
            detail=detail or {},
        )
        for applicant_id in dict.fromkeys(applicant_ids)
    ]
    AccessLogEntry.objects.bulk_create(entries)
    return len(entries)


# The foreign keys through which a record belongs to a person, tried in this order (a period's procedure,
# a learner's enrolment, a placement's referral …). Introspected, so casework names no other app's model.
_PERSON_HOPS = ("applicant", "procedure", "enrollment", "referral", "placement")


def person_path(model: type[models.Model]) -> str | None:
    """The ORM path from a record of ``model`` to its person's id ("pk" for a person), or None."""
    if model._meta.label_lower == "casework.applicant":
        return "pk"
    names = {field.name: field for field in model._meta.concrete_fields}
    for hop in _PERSON_HOPS:
        field = names.get(hop)
        if field is None or not field.is_relation or field.related_model is None:
            continue
        if hop == "applicant":
            return "applicant_id"
        rest = person_path(field.related_model)  # type: ignore[arg-type]
        if rest is not None:
            return f"{hop}__{'id' if rest == 'pk' else rest}"
    return None


def person_id_of(record: models.Model) -> int | None:
    """The id of the person a record is about (see person_path), or None."""
    path = person_path(type(record))
    if path is None or path == "pk":
        return record.pk if path else None
    if path == "applicant_id":
        return record.applicant_id  # type: ignore[attr-defined]
    return type(record)._default_manager.filter(pk=record.pk).values_list(path, flat=True).first()


def log_listed(*, actor, records: Sequence[models.Model], via: str, listing: str) -> int:
    """One ``list_view`` access-log entry per person a list page showed (one insert; one more query only
    when the person is two hops away). Lists return whole case records to the people allowed to read them;
    logging who was shown makes paging through a list as traceable as opening each person."""
    if not records:
        return 0
    model = type(records[0])
    path = person_path(model)
    if path is None:
        return 0
    if path == "pk":
        applicant_ids: list[Any] = [record.pk for record in records]
    elif path == "applicant_id":
        applicant_ids = [record.applicant_id for record in records]  # type: ignore[attr-defined]
    else:
        pks = [record.pk for record in records]
        applicant_ids = list(model._default_manager.filter(pk__in=pks).values_list(path, flat=True))
    return log_access_many(
        actor=actor,
        kind=AccessLogEntry.Kind.LIST_VIEW,
        applicant_ids=[pk for pk in applicant_ids if pk is not None],
        detail={"via": via, "list": listing},
    )


def erase_personal_values(
    *, applicant_id: int, fields: Iterable[str] | None = None, models: Iterable[str] | None = None
) -> int:
    """Replace the old/new values in a person's history by the marker; who/when/what-field stay.

    Erasing everything (no ``fields``) also replaces what the rows call the record (an applicant's
    label holds the name, a household member's too) in the history and in the access log.
    ``models`` ("casework.sensitiverecord", …) limits the erasure to the history of those records
    (one section erased, not the person): their values only; labels and the access log stay.
    """
    rows = ChangeRecord.objects.filter(applicant_id=applicant_id)
    if models is not None:
        rows = rows.filter(model__in=list(models))
    wanted = set(fields) if fields is not None else None
    whole_person = wanted is None and models is None
    count = 0
    for row in rows:
        changes = {
            key: ({"old": ERASED_MARKER, "new": ERASED_MARKER} if wanted is None or key in wanted else value)
            for key, value in row.changes.items()
        }
        values: dict[str, Any] = {"changes": changes, "erased": True}
        if whole_person:
            values["object_label"] = ERASED_MARKER
        ChangeRecord.objects.filter(pk=row.pk)._erase_update(**values)  # type: ignore[attr-defined]
        count += 1
    if whole_person:
        AccessLogEntry.objects.filter(applicant_id=applicant_id).exclude(  # type: ignore[attr-defined]
            object_label=""
        )._erase_update(object_label=ERASED_MARKER)
    return count

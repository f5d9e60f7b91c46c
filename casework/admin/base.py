"""What casework's and the other apps' admin pages share: reads through visible_to, writes through services.

Administrators are not superusers: they reach these pages through the "administrator" group's model
permissions (migration 0005). Two rules hold here as everywhere else:
- reads go through visible_to(user), so the admin is no second way in (DESIGN.md, access matrix);
- writes with a service go through it. The form dry-runs the service in clean() (inside a rolled-back
  savepoint) so its messages appear next to the fields, then save_model() runs it for real.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from casework import selectors
from casework.audit import log_access, log_listed, person_id_of, record_change, record_label, snapshot
from casework.models import (
    AccessLogEntry,
    Applicant,
    ChangeRecord,
    Team,
    User,
)


class _DryRun(Exception):
    """Raised inside a savepoint to roll back a service call made only to validate."""


def _add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.error_dict.items():
            if field in form.fields:
                form.add_error(field, messages)
            else:
                form.add_error(None, messages)
    else:
        form.add_error(None, error)


def dry_run(form: forms.BaseForm, call: Callable[[], object]) -> None:
    """Run a service to see whether it accepts the form's values, leaving the database as it was."""
    try:
        with transaction.atomic():
            call()
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as error:
        _add_service_errors(form, error)
    except PermissionDenied:
        form.add_error(None, _("You may not change this person's records."))


def copy_saved(target: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved form object the row a service created (the admin redirects to it)."""
    for model_field in saved._meta.concrete_fields:
        setattr(target, model_field.attname, getattr(saved, model_field.attname))
    target._state.adding = False
    target._state.db = saved._state.db


class ServiceModelForm(forms.ModelForm):
    """A ModelForm whose writes a service makes; the admin sets request_user on the class it builds."""

    request_user: User

    def save_through_service(self) -> models.Model:  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            dry_run(self, self.save_through_service)
        return cleaned


class VisibleAdmin(admin.ModelAdmin):
    """Rows and choices come through visible_to(request.user): the admin's reads obey the access matrix.

    Reads are logged as the pages log them: a change page that shows a record about a person writes an
    access-log entry (``access_log_kind``, "via": "admin"), and a list page one ``list_view`` entry per
    person it showed, so the admin is no unlogged way to read or page through case files.
    """

    access_log_kind: str = AccessLogEntry.Kind.APPLICANT_VIEW

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            records = list(changelist.result_list)
            log_listed(actor=request.user, records=records, via="admin", listing=self.opts.label_lower)
        return response

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        shown = (getattr(response, "context_data", None) or {}).get("original")
        if object_id and shown is not None and request.method == "GET":
            person_id = person_id_of(shown)
            if person_id is not None:
                is_person = shown._meta.label_lower == "casework.applicant"
                log_access(
                    actor=request.user,
                    kind=self.access_log_kind,
                    applicant_id=person_id,
                    object_label=shown.reference_code if is_person else record_label(shown),
                    detail={"via": "admin", "record": shown._meta.label_lower, "id": shown.pk},
                )
        return response

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.visible_to(request.user)  # type: ignore[attr-defined]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if related is Applicant:
            kwargs["queryset"] = Applicant.objects.visible_to(request.user)
        elif related is Team:
            kwargs["queryset"] = Team.objects.visible_to(request.user)
        elif related is User:
            kwargs["queryset"] = User.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user  # type: ignore[attr-defined]  # a fresh class per request
        return form

    def save_model(self, request, obj, form, change) -> None:
        if isinstance(form, ServiceModelForm):
            copy_saved(obj, form.save_through_service())  # the service records the history
        else:
            # A plain correction with no service of its own: it still goes into the history.
            before = stored_snapshot(obj) if change else None
            super().save_model(request, obj, form, change)
            record_change(actor=request.user, instance=obj, before=before)

    def has_delete_permission(self, request, obj=None) -> bool:
        """No delete button and no bulk delete for case records: a correction is an edit (in the history),
        and erasing a person (APPI) is an audited service of its own, never a delete in the admin."""
        return False

    def save_formset(self, request, form, formset, change) -> None:
        """Inline rows (aliases, household) are saved by the admin itself: record each change."""
        user = request.user
        stored = stored_snapshots(formset.model, [f.instance.pk for f in formset.initial_forms])
        for deleted in formset.deleted_forms:
            if deleted.instance.pk in stored:
                record_change(
                    actor=user,
                    instance=deleted.instance,
                    before=stored[deleted.instance.pk],
                    action=ChangeRecord.Action.DELETE,
                )
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_change(actor=user, instance=obj, before=None)
        for obj, _fields in formset.changed_objects:
            record_change(actor=user, instance=obj, before=stored.get(obj.pk))


def stored_snapshot(obj: models.Model) -> dict[str, Any] | None:
    """The row as stored (the form has already put its new values on the object)."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(stored) if stored is not None else None


def stored_snapshots(model: type[models.Model], pks: list[Any]) -> dict[Any, dict[str, Any]]:
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return {}
    return {pk: snapshot(row) for pk, row in model._default_manager.in_bulk(pks).items()}


class ByApplicantAdmin(VisibleAdmin):
    """Records of a person: the search box finds them by any form of the person's name or code."""

    search_fields = ["applicant__reference_code"]
    search_help_text = _("Any form of a name or alias, a reference code or a residence card number.")

    def get_search_results(self, request, queryset, search_term):
        found = selectors.search_applicants(Applicant.objects.visible_to(request.user), search_term)
        return queryset.filter(applicant__in=found.values("pk")), False


class ReadOnlyAdmin(VisibleAdmin):
    """History rows: shown, never written from the admin."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

"""Reads of imports (issue 18): the list of imports, one import, its rows, the same file imported before."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from casework.models import Import, ImportRow


def imports_for_list(*, user) -> QuerySet[Import]:
    return (
        Import.objects.visible_to(user).select_related("created_by", "undone_by").order_by("-created", "-pk")
    )


def import_of(*, user, pk: object) -> Import | None:
    try:
        number = int(str(pk))
    except (TypeError, ValueError):
        return None
    return Import.objects.visible_to(user).select_related("created_by", "undone_by").filter(pk=number).first()


ROW_FILTERS = {
    "errors": Q(verdict=ImportRow.Verdict.ERROR) | Q(outcome=ImportRow.Outcome.FAILED),
    "duplicates": Q(verdict=ImportRow.Verdict.DUPLICATE),
    "valid": Q(verdict=ImportRow.Verdict.VALID),
    "notes": ~Q(notes=[]),
}


def import_rows(*, imp: Import, show: str = "") -> QuerySet[ImportRow]:
    """The rows of an import worth a look first: errors, then duplicates, then the rest (by number)."""
    rows = ImportRow.objects.filter(import_run=imp)
    if show in ROW_FILTERS:
        rows = rows.filter(ROW_FILTERS[show])
    elif show != "all":
        rows = rows.exclude(
            verdict=ImportRow.Verdict.VALID, notes=[], outcome__in=["", ImportRow.Outcome.CREATED]
        )
    return rows.order_by("number")


def earlier_imports_of_file(*, imp: Import) -> list[Import]:
    """The same file (by its SHA-256) imported before into this organisation and not undone."""
    return list(
        Import.objects.filter(
            organisation_id=imp.organisation_id,
            file_hash=imp.file_hash,
            kind=imp.kind,
            status=Import.Status.DONE,
        )
        .exclude(pk=imp.pk)
        .select_related("created_by")
        .order_by("-created")[:3]
    )

"""The anonymised research export: checks, generalisation to k, the release record, the workbook.

`research_export_create` is the one write. It refuses (ValidationError naming the field) a user's
filters that are not theirs, and refuses the whole export, saying why, when generalising nationality
and prefecture cannot give every combination of quasi-identifiers at least k people: rows are never
dropped quietly. The file is made in memory (openpyxl's write-only mode) and handed back to be
downloaded at once; it is not kept on the server, the release row is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from casework.audit import log_access, record_change
from casework.models import AccessLogEntry, Team, User
from reports import rules
from reports.models import ResearchRelease
from reports.selectors.research import (
    ResearchFilters,
    may_export_research,
    research_rows,
    research_teams,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
K_LIMIT = 1000  # a k above this is a typing error, not a privacy choice
REFUSED = "k_not_reached"


@dataclass(frozen=True)
class ResearchExport:
    release: ResearchRelease
    content: bytes
    filename: str


def _team(*, by: User, team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    team = research_teams(user=by).filter(pk=team_id).first()
    if team is not None:
        return team
    if Team.objects.visible_to(by).filter(pk=team_id).exists():
        raise ValidationError(
            {"team": _("You can export only the teams you lead; you do not lead this team.")}
        )
    raise ValidationError({"team": _("There is no such team.")})


def _checked_k(k: int | None) -> int:
    minimum = settings.RESEARCH_EXPORT_K
    if k is None:
        return minimum
    if k < minimum:
        raise ValidationError(
            {"k": _("k must be at least %(minimum)s, the organisation's minimum.") % {"minimum": minimum}}
        )
    if k > K_LIMIT:
        raise ValidationError({"k": _("k can be at most %(limit)s.") % {"limit": K_LIMIT}})
    return k


def _checked_period(intake_from: date | None, intake_to: date | None, today: date) -> None:
    if intake_from and intake_from > today:
        raise ValidationError({"intake_from": _("The intake period starts in the future.")})
    if intake_from and intake_to and intake_to < intake_from:
        raise ValidationError({"intake_to": _("The end of the intake period is before its start.")})


def _refuse(message: str) -> ValidationError:
    return ValidationError({NON_FIELD_ERRORS: [ValidationError(message, code=REFUSED)]})


def research_export_create(
    *,
    by: User,
    recipient: str,
    k: int | None = None,
    team_id: int | None = None,
    intake_from: date | None = None,
    intake_to: date | None = None,
) -> ResearchExport:
    """Make an anonymised research export for `recipient`, record it, and return its workbook."""
    if not may_export_research(by):
        raise PermissionDenied
    today = timezone.localdate()
    recipient = " ".join((recipient or "").split())
    if not recipient:
        raise ValidationError({"recipient": _("Say who receives this export (the research partner).")})
    if len(recipient) > 200:
        raise ValidationError({"recipient": _("Keep the recipient to 200 characters.")})
    k = _checked_k(k)
    team = _team(by=by, team_id=team_id)
    _checked_period(intake_from, intake_to, today)
    filters = ResearchFilters(team=team, intake_from=intake_from, intake_to=intake_to)
    rows = research_rows(user=by, filters=filters, today=today)
    if not rows:
        raise _refuse(_("Refused: nobody with a current research consent matches these filters."))
    result = rules.generalise_to_k(rows, k)
    if result.k_met < k:
        small = sum(count for count in rules.class_sizes(result.rows).values() if count < k)
        raise _refuse(
            _(
                "Refused: this export cannot reach k = %(k)s. Even with nationality and prefecture "
                "generalised to “other”, %(small)s of the %(rows)s people share their birth-year band, "
                "gender, nationality, prefecture, intake month and status at intake with fewer than "
                "%(k)s people. Widen the intake period or the teams."
            )
            % {"k": k, "small": small, "rows": len(result.rows)}
        )
    with transaction.atomic():
        release = ResearchRelease.objects.create(
            organisation_id=by.organisation_id,
            created_by=by,
            recipient=recipient,
            k_requested=k,
            k_met=result.k_met,
            row_count=len(result.rows),
            item_categories=list(rules.ITEM_CATEGORIES),
            team=team,
            intake_from=intake_from,
            intake_to=intake_to,
            generalised=result.generalised,
        )
        record_change(actor=by, instance=release, before=None)
        log_access(
            actor=by,
            kind=AccessLogEntry.Kind.EXPORT,
            object_label=f"research release #{release.pk}",
            detail={
                "export": "research",
                "release": release.pk,
                "rows": release.row_count,
                "k": k,
                "k_met": result.k_met,
                "recipient": recipient,
                "filters": {
                    "team": team.pk if team else None,
                    "intake_from": intake_from.isoformat() if intake_from else None,
                    "intake_to": intake_to.isoformat() if intake_to else None,
                },
            },
        )
    content = research_workbook(release=release, rows=result.rows)
    return ResearchExport(release, content, f"tobira-research-{release.pk}-{today:%Y%m%d}.xlsx")


def _sorted(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    # In the order of their values, never of the people's records (which would hint at who came when).
    return sorted(rows, key=lambda row: tuple(row[key] for key in rules.RESEARCH_COLUMN_KEYS))


def research_workbook(*, release: ResearchRelease, rows: list[dict[str, str]]) -> bytes:
    """The export as an XLSX workbook: the data, the data dictionary, and what was released to whom."""
    book = Workbook(write_only=True)
    data = book.create_sheet(_("Data"))
    data.append(list(rules.RESEARCH_COLUMN_KEYS))
    for row in _sorted(rows):
        data.append([row[key] for key in rules.RESEARCH_COLUMN_KEYS])
    dictionary = book.create_sheet(_("Data dictionary"))
    dictionary.append(
        [_("Column"), _("Item category"), _("Meaning"), _("Generalisation"), _("Quasi-identifier")]
    )
    for column in rules.RESEARCH_COLUMNS:
        dictionary.append(
            [
                column.key,
                str(rules.ITEM_CATEGORIES[column.category]),
                str(column.meaning),
                str(column.generalisation),
                _("yes") if column.quasi_identifier else _("no"),
            ]
        )
    about = book.create_sheet(_("About this release"))
    for label, value in (
        (_("Release"), f"#{release.pk}"),
        (_("Made on"), timezone.localdate(release.created_at).isoformat()),
        (_("Recipient"), rules.escape_cell(release.recipient)),
        (_("k-anonymity met"), release.k_met),
        (_("k asked for"), release.k_requested),
        (_("Rows"), release.row_count),
        (_("Team"), rules.escape_cell(release.team.name) if release.team else _("All")),
        (_("Intake from"), release.intake_from.isoformat() if release.intake_from else ""),
        (_("Intake to"), release.intake_to.isoformat() if release.intake_to else ""),
        (
            _("Item categories"),
            "; ".join(str(rules.ITEM_CATEGORIES[key]) for key in release.item_categories),
        ),
        (
            _("Notice"),
            _(
                "Anonymously processed information (APPI): do not try to identify anyone, and do not "
                "combine it with other information to do so."
            ),
        ),
    ):
        about.append([str(label), value])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()

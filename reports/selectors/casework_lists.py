"""Casework's list pages as table sources: applicants (with their legal summary, as on screen), my
tasks, the reminder inbox."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework import selectors
from casework.deadlines import registry as deadlines
from casework.filtersets.applicants import ApplicantFilterSet
from casework.filtersets.records import TaskFilterSet
from casework.filtersets.reminders import NotificationFilterSet
from casework.models import CaseStage
from casework.roles import Role
from casework.selectors.reminders import notifications_for
from reports.rules import Cell
from reports.selectors.tables import (
    CHUNK,
    Col,
    Column,
    TableSource,
    chunks,
    filtered,
    person_name,
    queryset_table,
    register_table,
    yes_no,
)

STAFF = (Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)

APPLICANT_COLUMNS = (
    Column("reference_code", _("Reference")),
    Column("name", _("Name")),
    Column("name_katakana", _("Name in katakana")),
    Column("nationality", _("Nationality")),
    Column("current_status", _("Current status")),
    Column("lawful_until", _("Lawfully staying until")),
    Column("may_work", _("May work today")),
    Column("caseworker", _("Caseworker")),
    Column("team", _("Team")),
    Column("case_stage", _("Stage")),
)


def _applicants(user, params: QueryDict):
    base = selectors.applicants_for_list(user=user, day=timezone.localdate())
    return filtered(ApplicantFilterSet, params, base, user)


def applicant_rows(user, params: QueryDict) -> Iterator[Sequence[Cell]]:
    """The applicant list's rows: one query for the people (read in chunks), and for each chunk of
    CHUNK people two for their legal summaries (legal_summaries, the page's own computation, each
    through its own visible_to; hidden for a teammate's case as on screen)."""
    day = timezone.localdate()
    people = _applicants(user, params).only(
        "pk",
        "reference_code",
        "family_name",
        "given_name",
        "name_katakana",
        "nationality",
        "case_stage",
        "team__name",
        "caseworker__username",
        "caseworker__first_name",
        "caseworker__last_name",
    )
    # Labels translated once per export, not once per row (gettext and lazy choices cost ~0.5 ms a row).
    hidden = gettext("only for the assigned caseworker")
    yes, no = gettext("yes"), gettext("no")
    stages = {value: str(label) for value, label in CaseStage.choices}
    countries: dict[str, str] = {}
    for batch in chunks(people.iterator(chunk_size=CHUNK)):
        summaries = selectors.legal_summaries(batch, user=user, day=day)
        for applicant in batch:
            legal = summaries[applicant.pk]
            code = applicant.__dict__.get("nationality") or ""
            if code and code not in countries:
                countries[code] = applicant.nationality.name
            yield [
                applicant.reference_code,
                applicant.display_name,
                applicant.name_katakana,
                countries.get(code, ""),
                hidden if legal.hidden else legal.kind_label,
                None if legal.hidden else legal.lawful_until,
                "" if legal.hidden else (yes if legal.may_work else no),
                str(applicant.caseworker) if applicant.caseworker else "",
                str(applicant.team) if applicant.team else "",
                stages.get(applicant.case_stage, applicant.case_stage),
            ]


def applicant_count(user, params: QueryDict) -> int:
    return _applicants(user, params).order_by().count()


APPLICANTS = TableSource(
    key="applicants",
    title=_("Applicants"),
    columns=APPLICANT_COLUMNS,
    rows=applicant_rows,
    count=applicant_count,
    roles=STAFF,
    filter_names=tuple(ApplicantFilterSet.base_filters),
)


def _task_status(values: tuple) -> Cell:
    done, due = values
    if done:
        return gettext("Done")
    if due is not None and due < timezone.localdate():
        return gettext("Overdue")
    return gettext("Open")


def _deadline_kind(kind: str) -> Cell:
    try:
        return str(deadlines.source(kind).label)
    except KeyError:
        return kind


TASKS = queryset_table(
    key="tasks",
    title=_("My tasks"),
    roles=STAFF,
    queryset=lambda user: selectors.tasks_assigned_to(user=user),
    filterset=TaskFilterSet,
    columns=[
        Col("title", _("Task"), "title"),
        Col("reference_code", _("Reference"), "applicant__reference_code"),
        Col("name", _("Name"), ("applicant__family_name", "applicant__given_name"), person_name),
        Col("due_date", _("Due"), "due_date"),
        Col("status", _("Status"), ("done", "due_date"), _task_status),
    ],
)

REMINDERS = queryset_table(
    key="reminders",
    title=_("Notifications"),
    roles=STAFF,
    queryset=lambda user: notifications_for(user=user),
    filterset=NotificationFilterSet,
    columns=[
        Col("reference_code", _("Reference"), "reminder__applicant__reference_code"),
        Col(
            "name",
            _("Name"),
            ("reminder__applicant__family_name", "reminder__applicant__given_name"),
            person_name,
        ),
        Col("deadline", _("Deadline"), "reminder__source_kind", _deadline_kind),
        Col("deadline_date", _("Deadline date"), "reminder__deadline_date"),
        Col("urgent", _("Urgent"), "reminder__urgent", yes_no),
        Col("received", _("Received"), "created_at"),
        Col("read", _("Read"), "read_at"),
        Col("acknowledged", _("Acknowledged"), "deadline_acknowledged", yes_no),
    ],
)


def register() -> None:
    for source in (APPLICANTS, TASKS, REMINDERS):
        register_table(source)

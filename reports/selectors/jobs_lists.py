"""Jobs' staff list pages as table sources: employers, openings, referrals, placements, follow-ups due."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.roles import Role
from jobs.filtersets.employers import EmployerFilterSet
from jobs.filtersets.openings import JobOpeningFilterSet
from jobs.filtersets.referrals import PlacementFilterSet, ReferralFilterSet
from jobs.models import Employer, JobOpening, Placement, Referral
from jobs.selectors.employers import employers_for_list
from jobs.selectors.openings import openings_for_list
from jobs.selectors.placements import follow_ups_due, newest_starts_first, placements_for_list
from jobs.selectors.referrals import newest_moves_first, referrals_for_list
from reports.selectors.tables import Col, choices_of, person_name, queryset_table, register_table

JOBS_STAFF = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)
PERSON = ("applicant__family_name", "applicant__given_name")

EMPLOYERS = queryset_table(
    key="employers",
    title=_("Employers"),
    roles=JOBS_STAFF,
    queryset=lambda user: employers_for_list(user=user),
    filterset=EmployerFilterSet,
    order_by=("name", "pk"),
    columns=[
        Col("name", _("Employer"), "name"),
        Col("industry", _("Industry"), "industry", choices_of(Employer, "industry")),
        Col("prefecture", _("Prefecture"), "prefecture", choices_of(Employer, "prefecture")),
        Col(
            "partnership",
            _("Partnership"),
            "partnership_status",
            choices_of(Employer, "partnership_status"),
        ),
        Col("open_openings", _("Open openings"), "open_openings"),
        Col("working", _("Working there"), "placements_running"),
        Col("placed", _("Placed in all"), "placements_total"),
    ],
)

OPENINGS = queryset_table(
    key="openings",
    title=_("Openings"),
    roles=JOBS_STAFF,
    queryset=lambda user: openings_for_list(user=user).order_by("-start_date", "pk"),
    filterset=JobOpeningFilterSet,
    columns=[
        Col("title", _("Title"), "title"),
        Col("employer", _("Employer"), "employer__name"),
        Col("prefecture", _("Prefecture"), "prefecture", choices_of(JobOpening, "prefecture")),
        Col("start_date", _("Start date"), "start_date"),
        Col("required_level", _("Required level"), "required_level"),
        Col("status", _("Status"), "status", choices_of(JobOpening, "status")),
        Col("open_referrals", _("Open referrals"), "referrals_open"),
    ],
)

REFERRALS = queryset_table(
    key="referrals",
    title=_("Referrals"),
    roles=JOBS_STAFF,
    queryset=lambda user: newest_moves_first(referrals_for_list(user=user), user=user),
    filterset=ReferralFilterSet,
    columns=[
        Col("reference_code", _("Reference"), "applicant__reference_code"),
        Col("name", _("Name"), PERSON, person_name),
        Col("opening", _("Opening"), "opening__title"),
        Col("employer", _("Employer"), "opening__employer__name"),
        Col("stage", _("Stage"), "stage", choices_of(Referral, "stage")),
        Col("since", _("Since"), "stage_changed_at"),
    ],
)

PLACEMENTS = queryset_table(
    key="placements",
    title=_("Placements"),
    roles=JOBS_STAFF,
    queryset=lambda user: newest_starts_first(placements_for_list(user=user), user=user),
    filterset=PlacementFilterSet,
    columns=[
        Col("reference_code", _("Reference"), "applicant__reference_code"),
        Col("name", _("Name"), PERSON, person_name),
        Col("job", _("Job"), "opening__title"),
        Col("employer", _("Employer"), "opening__employer__name"),
        Col("started", _("Started"), "start_date"),
        Col("wage", _("Base wage (yen)"), "wage"),
        Col("wage_unit", _("Wage per"), "wage_unit", choices_of(Placement, "wage_unit")),
        Col("hours_per_week", _("Hours a week"), "hours_per_week"),
        Col("left", _("Left"), "ended_on"),
        Col("hire_filed", _("Hire notification filed"), "hire_notification_filed_on"),
        Col("leaving_filed", _("Leaving notification filed"), "leaving_notification_filed_on"),
    ],
)

FOLLOW_UPS = queryset_table(
    key="follow-ups",
    title=_("Follow-ups due"),
    roles=JOBS_STAFF,
    queryset=lambda user: follow_ups_due(user=user, today=timezone.localdate()),
    filterset=None,
    columns=[
        Col("due", _("Due"), "due_on"),
        Col("reference_code", _("Reference"), "placement__applicant__reference_code"),
        Col(
            "name",
            _("Name"),
            ("placement__applicant__family_name", "placement__applicant__given_name"),
            person_name,
        ),
        Col("job", _("Job"), "placement__opening__title"),
        Col("employer", _("Employer"), "placement__opening__employer__name"),
        Col("month", _("Month"), "month"),
    ],
)


def register() -> None:
    for source in (EMPLOYERS, OPENINGS, REFERRALS, PLACEMENTS, FOLLOW_UPS):
        register_table(source)

"""Reads of notes, tasks and documents: the applicant page's sections and "my tasks"."""

from __future__ import annotations

from django.db.models import (
    F,
    Prefetch,
    Q,
    QuerySet,
)

from casework.models import (
    Applicant,
    CaseNote,
    Document,
    Task,
    User,
)
from casework.roles import Role


def task_order() -> list:
    """Open tasks first, the soonest due first, those without a date last."""
    return ["done", F("due_date").asc(nulls_last=True), "pk"]


def _is_administrator(user) -> bool:
    return bool(user.has_role(Role.ADMINISTRATOR) or user.is_superuser)


def applicant_record_prefetches(user) -> list[Prefetch]:
    """The notes, tasks and documents sections' rows, each through its own door.

    Administrators also get `confidential_notes_hidden`: the confidential notes they may open only
    through the logged break-glass view, without their text.
    """
    hidden = CaseNote.objects.none()
    if _is_administrator(user):
        hidden = (
            CaseNote.objects.filter(confidential=True)
            .exclude(pk__in=CaseNote.objects.visible_to(user).values("pk"))
            .select_related("author")
            .defer("text")
            .order_by("-created_at", "-pk")
        )
    return [
        Prefetch(
            "notes",
            queryset=CaseNote.objects.visible_to(user)
            .select_related("author")
            .order_by("-created_at", "-pk"),
        ),
        Prefetch("notes", queryset=hidden, to_attr="confidential_notes_hidden"),
        Prefetch("tasks", queryset=Task.objects.select_related("assignee").order_by(*task_order())),
        Prefetch(
            "documents",
            queryset=Document.objects.visible_to(user)
            .select_related("uploaded_by")
            .order_by("-uploaded_at", "-pk"),
        ),
    ]


def applicant_records_queryset(user) -> QuerySet[Applicant]:
    """An applicant with what the notes, tasks and documents sections show (their in-place updates)."""
    return (
        Applicant.objects.visible_to(user)
        .select_related("team", "caseworker", "organisation")
        .prefetch_related(*applicant_record_prefetches(user))
    )


def tasks_assigned_to(*, user) -> QuerySet[Task]:
    """The "my tasks" list: the tasks assigned to the user on cases they can still see, open first."""
    return (
        Task.objects.visible_to(user)
        .filter(assignee_id=user.pk)
        .select_related("applicant")
        .order_by(*task_order())
    )


def task_assignees(*, applicant: Applicant) -> QuerySet[User]:
    """Who can take a task on this applicant (services.may_be_assigned decides; this lists them):
    its caseworker, the supervisors of its team, administrators, and the team's caseworkers when the
    team's caseload is shared."""
    condition = Q(groups__name=Role.ADMINISTRATOR)
    condition |= Q(led_teams=applicant.team_id, groups__name=Role.SUPERVISOR)
    if applicant.caseworker_id:
        condition |= Q(pk=applicant.caseworker_id, groups__name=Role.CASEWORKER)
    if applicant.organisation.team_caseload_shared:
        condition |= Q(team_id=applicant.team_id, groups__name=Role.CASEWORKER)
    return User.objects.filter(
        pk__in=User.objects.filter(condition).values("pk"),
        organisation_id=applicant.organisation_id,
        is_active=True,
        is_service_account=False,
    ).order_by("last_name", "first_name", "username")

"""The portal's home: the employer's openings by status, candidates waiting for an answer (reference code
and given name only), interviews ahead and follow-ups to confirm — the employer's own only, in a number of
queries that does not grow with the referrals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import CaseStage
from jobs.models import FollowUp, Interview, OpeningStatus, Placement, Referral, Stage, StageChange
from tests.casework.applicant_factories import bulk_applicants
from tests.jobs.factories import JobOpeningFactory

pytestmark = pytest.mark.django_db


def refer(people, opening, by, stage=Stage.SHARED) -> list[Referral]:
    now = timezone.now()
    made = Referral.objects.bulk_create(
        [
            Referral(applicant=p, opening=opening, stage=stage, stage_changed_at=now, created_by=by)
            for p in people
        ]
    )
    StageChange.objects.bulk_create(
        [StageChange(referral=r, from_stage="", to_stage=Stage.SHARED, by=by, at=now) for r in made]
    )
    return made


def interviews(referrals, by, days=3) -> None:
    when = timezone.now() + timedelta(days=days)
    Interview.objects.bulk_create(
        [Interview(referral=r, starts_at=when, place="Head office", created_by=by) for r in referrals]
    )


def place(referral, by, *, due_in: int, recorded: bool = False) -> FollowUp:
    today = timezone.localdate()
    placement = Placement.objects.create(
        referral=referral,
        applicant=referral.applicant,
        opening=referral.opening,
        start_date=today - timedelta(days=60),
        hours_per_week=Decimal(40),
        daily_hours=Decimal(8),
        wage=1300,
        wage_unit="hourly",
        employment_insurance=True,
        confirmed_by=by,
        confirmed_at=timezone.now(),
    )
    return FollowUp.objects.create(
        placement=placement,
        month=1,
        due_on=today + timedelta(days=due_in),
        recorded_at=timezone.now() if recorded else None,
    )


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def world(team, caseworker, partner_company, other_company, partner_user):
    ours = JobOpeningFactory(employer=partner_company, created_by=caseworker, title="Bento line worker")
    JobOpeningFactory(employer=partner_company, created_by=partner_user, status=OpeningStatus.SUBMITTED)
    theirs = JobOpeningFactory(employer=other_company, created_by=caseworker, title="Welder")
    people = bulk_applicants(6, team=team, caseworker=caseworker, case_stage=CaseStage.ACTIVE)
    for person, name in zip(people, ["Amal", "Bashir", "Chit", "Dawit", "Esra", "Farid"], strict=True):
        person.given_name = name
        person.family_name = "Familyname" + name
        person.save()
    waiting = refer(people[:1], ours, caseworker)[0]
    proposed = refer(people[1:2], ours, caseworker, stage=Stage.PROPOSED)[0]
    interviewing = refer(people[2:3], ours, caseworker, stage=Stage.INTERVIEW)[0]
    interviews([interviewing], caseworker)
    hired = refer(people[3:4], ours, caseworker, stage=Stage.HIRED)[0]
    due = place(hired, caseworker, due_in=10)
    hired_late = refer(people[4:5], ours, caseworker, stage=Stage.HIRED)[0]
    place(hired_late, caseworker, due_in=90)  # not due within 30 days
    foreign = refer(people[5:6], theirs, caseworker)[0]
    interviews([foreign], caseworker)
    return {"waiting": waiting, "proposed": proposed, "interviewing": interviewing, "due": due}


def test_the_home_shows_the_employers_own_cards(client_for, partner_user, world):
    response = client_for(partner_user).get(reverse("partner_home"))
    html = response.content.decode()
    home = response.context["home"]
    counts = {status: n for status, _label, n in home.opening_counts}
    assert (counts["open"], counts["submitted"]) == (1, 1)
    assert [r["applicant__given_name"] for r in home.waiting.rows] == ["Amal"]
    assert [r["referral__applicant__given_name"] for r in home.interviews.rows] == ["Chit"]
    assert [r["pk"] for r in home.follow_ups.rows] == [world["due"].pk]
    assert "Bashir" not in html  # only proposed: not the employer's yet
    assert "Farid" not in html and "Welder" not in html  # another employer's
    assert "Familyname" not in html  # the given name only


def test_an_overdue_follow_up_is_marked(client_for, partner_user, world):
    FollowUp.objects.filter(pk=world["due"].pk).update(due_on=timezone.localdate() - timedelta(days=2))
    response = client_for(partner_user).get(reverse("partner_home"))
    assert response.context["home"].follow_ups.rows[0]["overdue"] is True
    assert "Overdue" in response.content.decode()


def test_a_recorded_follow_up_is_not_listed(client_for, partner_user, world):
    FollowUp.objects.filter(pk=world["due"].pk).update(recorded_at=timezone.now())
    response = client_for(partner_user).get(reverse("partner_home"))
    assert response.context["home"].follow_ups.rows == []


def test_a_paused_partnership_sees_the_home_without_the_propose_link(client_for, partner_user, world, paused):
    response = client_for(partner_user).get(reverse("partner_home"))
    assert response.status_code == 200
    assert reverse("partner_opening_add") not in response.content.decode()


def test_the_home_costs_the_same_at_5_and_500_referrals(
    client_for, team, caseworker, partner_company, partner_user
):
    opening = JobOpeningFactory(employer=partner_company, created_by=caseworker)
    people = bulk_applicants(500, team=team, caseworker=caseworker, case_stage=CaseStage.ACTIVE)
    client = client_for(partner_user)
    url = reverse("partner_home")
    few = refer(people[:5], opening, caseworker)
    interviews(few, caseworker)
    small = queries(client, url)
    more = refer(people[5:], opening, caseworker)
    interviews(more, caseworker)
    large = queries(client, url)
    assert small == large
    assert len(client.get(url).context["home"].waiting.rows) == 10


def test_the_openings_list_costs_the_same_at_5_and_500(client_for, caseworker, partner_company, partner_user):
    client = client_for(partner_user)
    url = reverse("partner_openings")
    for _ in range(5):
        JobOpeningFactory(employer=partner_company, created_by=caseworker)
    small = queries(client, url)
    opening = JobOpeningFactory.build(employer=partner_company, created_by=caseworker)
    rows = []
    for n in range(495):
        copy = JobOpeningFactory.build(employer=partner_company, created_by=caseworker, title=f"Job {n}")
        rows.append(copy)
    type(opening).objects.bulk_create(rows)
    assert queries(client, url) == small

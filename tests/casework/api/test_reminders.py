"""The reminder API: the user's own notifications, acting on reminders, the deadlines ahead."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import DeadlineState, LegalStatusPeriod, Notification, ReportingObligation, Task
from tests.casework.applicant_factories import ApplicantFactory, LegalStatusPeriodFactory, bulk_applicants
from tests.casework.reminder_factories import bulk_notifications, make_reminder


def today() -> date:
    return timezone.localdate()


def ymd(day: date) -> str:
    return day.strftime("%Y-%m-%d")


@pytest.fixture
def own(team, caseworker):
    return ApplicantFactory(team=team, caseworker=caseworker)


@pytest.fixture
def teammates_case(team, teammate):
    return ApplicantFactory(team=team, caseworker=teammate)


def api(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, name: str, pk: int | None = None, data: dict | None = None):
    url = reverse(name, args=[pk]) if pk is not None else reverse(name)
    return client.post(url, data or {}, content_type="application/json")


# --- Notifications --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_notifications_are_the_users_own(caseworker, teammate, own, teammates_case):
    mine = make_reminder(own, notify=[caseworker], urgent=True, offset="-7")
    make_reminder(teammates_case, notify=[teammate])
    body = api(caseworker).get(reverse("notification-list")).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["is_read"] is False and row["purpose"] == "reminder"
    reminder = row["reminder"]
    assert reminder["id"] == mine.pk
    assert reminder["applicant"] == own.reference_code
    assert reminder["kind"] == "period_end" and reminder["kind_label"] == "Period of stay ends"
    assert reminder["offset"] == "-7" and reminder["offset_label"] == "7 days before"
    assert reminder["deadline_date"] == ymd(mine.deadline_date) and reminder["urgent"] is True
    assert reminder["deadline"] == {
        "acknowledged": False,
        "acknowledged_at": None,
        "acknowledged_by": None,
        "snoozed_until": None,
    }


@pytest.mark.django_db
def test_notification_filters(caseworker, own):
    soon = make_reminder(own, notify=[caseworker], deadline=today() + timedelta(days=5), offset="-7")
    later = make_reminder(
        own, kind="reporting_date", notify=[caseworker], deadline=today() + timedelta(days=40)
    )
    Notification.objects.filter(reminder=later).update(read_at=timezone.now())
    client = api(caseworker)

    def ids(query):
        response = client.get(reverse("notification-list") + query)
        assert response.status_code == 200, response.json()
        return [row["reminder"]["id"] for row in response.json()["results"]]

    assert sorted(ids("")) == sorted([soon.pk, later.pk])
    assert ids("?kind=reporting_date") == [later.pk]
    assert ids("?state=unread") == [soon.pk]
    assert ids("?state=read") == [later.pk]
    assert ids("?state=acknowledged") == []
    assert ids(f"?due_from={ymd(today() + timedelta(days=10))}") == [later.pk]
    assert ids(f"?due_to={ymd(today() + timedelta(days=10))}") == [soon.pk]
    response = client.get(reverse("notification-list") + "?state=whatever&due_to=soon")
    assert response.status_code == 400
    assert set(response.json()) == {"state", "due_to"}


@pytest.mark.django_db
def test_mark_read_and_read_all(caseworker, teammate, own, teammates_case):
    first, _second = make_reminder(own, notify=[caseworker]), make_reminder(own, notify=[caseworker])
    theirs = make_reminder(teammates_case, notify=[teammate])
    client = api(caseworker)
    notification = Notification.objects.get(reminder=first)
    response = post(client, "notification-read", notification.pk)
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert post(client, "notification-read", Notification.objects.get(reminder=theirs).pk).status_code == 404
    assert post(client, "notification-read-all").json() == {"marked": 1}
    assert not Notification.objects.filter(recipient=caseworker, read_at__isnull=True).exists()
    assert Notification.objects.get(reminder=theirs).read_at is None


@pytest.mark.django_db
def test_trainers_and_employer_users_have_no_notifications(trainer, employer):
    for user in (trainer, employer):
        body = api(user).get(reverse("notification-list")).json()
        assert body["count"] == 0
        assert api(user).get(reverse("reminder-list")).json()["count"] == 0
        assert api(user).get(reverse("deadline-list")).json()["count"] == 0


@pytest.mark.django_db
def test_anonymous_gets_401(own):
    reminder = make_reminder(own)
    client = Client()
    for url in (reverse("notification-list"), reverse("reminder-list"), reverse("deadline-list")):
        assert client.get(url).status_code == 401
    assert post(client, "reminder-acknowledge", reminder.pk).status_code == 401


# --- Acting on reminders ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_acknowledge_acknowledges_the_deadline_for_everyone(caseworker, supervisor, own):
    deadline = today() + timedelta(days=6)
    earlier = make_reminder(own, deadline=deadline, offset="-14", source_id=5, notify=[caseworker])
    latest = make_reminder(own, deadline=deadline, offset="-7", source_id=5, notify=[caseworker])
    Notification.objects.create(
        recipient=supervisor, reminder=latest, purpose=Notification.Purpose.ESCALATION
    )
    response = post(api(caseworker), "reminder-acknowledge", earlier.pk)
    assert response.status_code == 200
    status = response.json()["deadline"]
    assert status["acknowledged"] is True and status["acknowledged_by"]["id"] == caseworker.pk
    assert not Notification.objects.filter(recipient=caseworker, read_at__isnull=True).exists()
    rows = api(supervisor).get(reverse("notification-list") + "?state=acknowledged").json()["results"]
    assert [row["reminder"]["id"] for row in rows] == [latest.pk]
    assert rows[0]["reminder"]["deadline"]["acknowledged"] is True
    assert api(caseworker).get(reverse("reminder-list") + "?acknowledged=false").json()["count"] == 0


@pytest.mark.django_db
def test_acting_on_someone_elses_reminder_is_a_404(
    caseworker, teammate, supervisor, other_supervisor, administrator, trainer, employer, teammates_case
):
    theirs = make_reminder(teammates_case, notify=[teammate])
    for name, data in (
        ("reminder-acknowledge", {}),
        ("reminder-snooze", {"until": ymd(today() + timedelta(days=3))}),
        ("reminder-task", {}),
    ):
        assert post(api(caseworker), name, theirs.pk, data).status_code == 404
        assert post(api(other_supervisor), name, theirs.pk, data).status_code == 404
        assert post(api(trainer), name, theirs.pk, data).status_code == 403
        assert post(api(employer), name, theirs.pk, data).status_code == 403
        assert api(teammate).get(reverse(name, args=[theirs.pk])).status_code == 405
    assert not DeadlineState.objects.exists() and not Task.objects.exists()
    for user in (teammate, supervisor, administrator):
        assert post(api(user), "reminder-acknowledge", theirs.pk).status_code == 200


@pytest.mark.django_db
def test_the_reminder_list_holds_what_the_user_may_act_on(
    caseworker, teammate, supervisor, other_supervisor, administrator, own, teammates_case
):
    mine = make_reminder(own, notify=[caseworker])
    theirs = make_reminder(teammates_case, notify=[teammate])

    def ids(user):
        return sorted(row["id"] for row in api(user).get(reverse("reminder-list")).json()["results"])

    assert ids(caseworker) == [mine.pk]
    assert ids(teammate) == [theirs.pk]
    assert ids(supervisor) == ids(administrator) == sorted([mine.pk, theirs.pk])
    assert ids(other_supervisor) == []


@pytest.mark.django_db
def test_snooze_validation_names_the_field(caseworker, own):
    deadline = today() + timedelta(days=10)
    reminder = make_reminder(own, deadline=deadline, offset="-14", notify=[caseworker])
    client = api(caseworker)
    for until in (ymd(today() - timedelta(days=1)), ymd(deadline), ymd(deadline + timedelta(days=5)), None):
        response = post(client, "reminder-snooze", reminder.pk, {"until": until})
        assert response.status_code == 400, until
        assert list(response.json()) == ["until"]
    assert (
        "at the latest"
        in post(client, "reminder-snooze", reminder.pk, {"until": ymd(deadline)}).json()["until"][0]
    )
    assert "2199" in str(
        post(client, "reminder-snooze", reminder.pk, {"until": "3000-01-01"}).json()["until"]
    )
    assert post(client, "reminder-snooze", reminder.pk, {"until": "next week"}).status_code == 400
    response = post(client, "reminder-snooze", reminder.pk, {"until": ymd(deadline - timedelta(days=1))})
    assert response.status_code == 200
    assert response.json()["deadline"]["snoozed_until"] == ymd(deadline - timedelta(days=1))
    assert DeadlineState.objects.get().snoozed_by == caseworker


@pytest.mark.django_db
def test_create_a_task(caseworker, own):
    reminder = make_reminder(own, kind="work_permission_end", notify=[caseworker])
    client = api(caseworker)
    response = post(client, "reminder-task", reminder.pk)
    assert response.status_code == 201
    body = response.json()
    assert body["applicant"] == own.reference_code and body["due_date"] == ymd(reminder.deadline_date)
    assert body["title"] == "Work permission ends" and body["assignee"]["id"] == caseworker.pk
    again = post(client, "reminder-task", reminder.pk)
    assert again.status_code == 200 and again.json()["id"] == body["id"]


# --- Deadlines ahead --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_deadlines_of_the_next_days(caseworker, teammate, own, teammates_case, team):
    LegalStatusPeriodFactory(
        applicant=own, start_date=today() - timedelta(days=150), end_date=today() + timedelta(days=30)
    )
    far = ApplicantFactory(team=team, caseworker=caseworker)
    LegalStatusPeriodFactory(
        applicant=far, start_date=today() - timedelta(days=100), end_date=today() + timedelta(days=120)
    )
    LegalStatusPeriodFactory(
        applicant=teammates_case,
        start_date=today() - timedelta(days=150),
        end_date=today() + timedelta(days=30),
    )
    client = api(caseworker)
    rows = client.get(reverse("deadline-list")).json()["results"]
    assert [(row["applicant"], row["kind"], row["days_left"]) for row in rows] == [
        (own.reference_code, "period_end", 30)
    ]
    assert rows[0]["kind_label"] == "Period of stay ends" and rows[0]["acknowledged"] is False
    assert len(client.get(reverse("deadline-list") + "?days=150").json()["results"]) == 2
    assert client.get(reverse("deadline-list") + "?days=150&kind=reporting_date").json()["count"] == 0
    assert client.get(reverse("deadline-list") + "?days=10").json()["count"] == 0
    for bad in ("?days=0", "?days=400", "?days=many", "?kind=nonsense"):
        response = client.get(reverse("deadline-list") + bad)
        assert response.status_code == 400, bad
        assert set(response.json()) <= {"days", "kind"}


# --- Query counts -------------------------------------------------------------------------------------------


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_list_query_counts_do_not_grow_with_rows(role, request, caseworker, team):
    user = request.getfixturevalue(role)
    client = api(user)
    people = bulk_applicants(25, team=team, caseworker=caseworker)
    bulk_notifications(user, people)
    urls = [reverse("notification-list"), reverse("reminder-list")]
    client.get(urls[0])
    small = [queries(client, url) for url in urls]
    bulk_notifications(user, bulk_applicants(95, team=team, caseworker=caseworker), per_applicant=5)
    assert client.get(urls[0]).json()["count"] == 500
    large = [queries(client, url + "?page=3") for url in urls]
    assert large == small, f"{small} for 25 rows, {large} for 500"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_deadlines_query_count_does_not_grow_with_deadlines(role, request, caseworker, team):
    client = api(request.getfixturevalue(role))

    def add(count):
        people = bulk_applicants(count, team=team, caseworker=caseworker)
        LegalStatusPeriod.objects.bulk_create(
            LegalStatusPeriod(
                applicant=a,
                status_kind="da_refugee_applicant",
                start_date=today() - timedelta(days=100),
                end_date=today() + timedelta(days=i % 80 + 1),
            )
            for i, a in enumerate(people)
        )
        ReportingObligation.objects.bulk_create(
            ReportingObligation(
                applicant=a, kind="provisional_release", next_report_date=today() + timedelta(days=5)
            )
            for a in people
        )

    add(3)
    client.get(reverse("deadline-list"))
    few = queries(client, reverse("deadline-list"))
    add(300)
    assert client.get(reverse("deadline-list")).json()["count"] == 606
    many = queries(client, reverse("deadline-list") + "?page=4")
    assert many == few, f"{few} for 6 deadlines, {many} for 606"

"""The people-facing side of reminders: the bell, the inbox and its actions, the deadlines page.

Through services, selectors and the Django test client: who may see and act, what acknowledging and
snoozing do, the chart, the supervisors' sections, and query counts that do not grow with the data.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver, reverse
from django.utils import timezone

from casework import services
from casework.filtersets import reminders as reminder_filtersets
from casework.models import (
    Applicant,
    DeadlineState,
    LegalStatusPeriod,
    Notification,
    Reminder,
    ReportingObligation,
    Task,
    User,
)
from casework.roles import Role
from casework.selectors import reminders as selectors_reminders
from tests.casework.applicant_factories import (
    ApplicantFactory,
    LegalStatusPeriodFactory,
    ReportingObligationFactory,
    bulk_applicants,
)
from tests.casework.reminder_factories import bulk_notifications, failed_email, make_reminder

HTMX = {"HTTP_HX_REQUEST": "true"}


def today() -> date:
    return timezone.localdate()


def ymd(day: date) -> str:
    return day.strftime("%Y-%m-%d")


# --- People on each side of the access lines -----------------------------------------------------------


@pytest.fixture
def own(team, caseworker):
    return ApplicantFactory(team=team, caseworker=caseworker, family_name="Min", given_name="Aung")


@pytest.fixture
def teammates_case(team, teammate):
    return ApplicantFactory(team=team, caseworker=teammate, family_name="Perera", given_name="Nimal")


@pytest.fixture
def foreign(other_team, other_caseworker):
    return ApplicantFactory(
        team=other_team, caseworker=other_caseworker, family_name="Tran", given_name="Linh"
    )


def page(client, name, query=""):
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return response.content.decode()


# --- The bell ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_bell_shows_the_unread_count_on_every_page(client_for, caseworker, own):
    for _ in range(3):
        make_reminder(own, notify=[caseworker])
    client = client_for(caseworker)
    for name in ("home", "applicant_list", "reminder_inbox", "deadlines_ahead"):
        content = page(client, name)
        assert 'aria-label="Notifications, 3 unread"' in content, name
        assert '<span class="bell-count" aria-hidden="true">3</span>' in content
    Notification.objects.filter(recipient=caseworker).update(read_at=timezone.now())
    content = page(client, "home")
    assert 'aria-label="Notifications, 0 unread"' in content
    assert "bell-count" not in content


@pytest.mark.django_db
def test_the_bell_counts_only_people_the_user_may_see(caseworker, own, foreign):
    make_reminder(own, notify=[caseworker])
    make_reminder(foreign, notify=[caseworker])  # e.g. reassigned to another team since
    assert selectors_reminders.unread_count(user=caseworker) == 1


@pytest.mark.django_db
def test_the_unread_count_is_one_query(django_assert_num_queries, caseworker, supervisor, administrator, own):
    bulk_notifications(caseworker, [own], per_applicant=30)
    for user in (caseworker, supervisor, administrator):
        user = User.objects.select_related("organisation").get(pk=user.pk)
        user.roles  # noqa: B018 - loaded once per request, like the navigation does
        with django_assert_num_queries(1):
            selectors_reminders.unread_count(user=user)


@pytest.mark.django_db
def test_no_bell_and_no_entry_for_trainers_and_employer_users(client_for, trainer, employer):
    for user in (trainer, employer):
        response = client_for(user).get("/", follow=True)
        content = response.content.decode()
        assert "notification-bell" not in content
        assert reverse("deadlines_ahead") not in content


@pytest.mark.django_db
def test_staff_see_the_deadlines_entry_in_the_navigation(client_for, caseworker, supervisor, administrator):
    for user in (caseworker, supervisor, administrator):
        content = page(client_for(user), "home")
        assert f'href="{reverse("deadlines_ahead")}"' in content
        assert 'id="notification-bell"' in content


# --- The inbox ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_inbox_lists_the_users_own_notifications(client_for, caseworker, teammate, own, teammates_case):
    mine = make_reminder(own, notify=[caseworker], urgent=True, offset="-7")
    make_reminder(teammates_case, notify=[teammate])
    content = page(client_for(caseworker), "reminder_inbox")
    assert own.reference_code in content and "Aung" in content
    assert teammates_case.reference_code not in content
    assert f'href="{reverse("applicant_detail", args=[own.reference_code])}"' in content
    assert "Period of stay ends" in content
    assert ymd(mine.deadline_date) in content
    assert "7 days before" in content
    assert "badge-urgent" in content
    for label in ("Acknowledge", "Snooze until", "Create a task", "Mark as read"):
        assert label in content


@pytest.mark.django_db
def test_the_inbox_filters_by_kind_deadline_date_and_state(client_for, caseworker, own):
    soon = make_reminder(own, notify=[caseworker], deadline=today() + timedelta(days=5), offset="-7")
    later = make_reminder(
        own, kind="reporting_date", notify=[caseworker], deadline=today() + timedelta(days=40), offset="-14"
    )
    done = make_reminder(own, notify=[caseworker], deadline=today() + timedelta(days=60), offset="-60")
    Notification.objects.filter(reminder=later).update(read_at=timezone.now())
    DeadlineState.objects.create(
        source_kind=done.source_kind,
        source_id=done.source_id,
        deadline_date=done.deadline_date,
        acknowledged_at=timezone.now(),
        acknowledged_by=caseworker,
    )
    client = client_for(caseworker)

    def shown(query):
        content = page(client, "reminder_inbox", query)
        return {pk for pk in (soon.pk, later.pk, done.pk) if f"/reminders/{pk}/task/" in content}

    assert shown("") == {soon.pk, later.pk, done.pk}
    assert shown("?kind=reporting_date") == {later.pk}
    assert shown(f"?due_from={ymd(today() + timedelta(days=30))}") == {later.pk, done.pk}
    assert shown(f"?due_to={ymd(today() + timedelta(days=30))}") == {soon.pk}
    assert shown("?state=unread") == {soon.pk, done.pk}
    assert shown("?state=read") == {later.pk}
    assert shown("?state=acknowledged") == {done.pk}
    # The selector answers the same
    assert [
        n.reminder_id
        for n in reminder_filtersets.my_notifications(user=caseworker, filters={"state": "read"})
    ] == [later.pk]
    # A bad filter value is reported on the form, not a 500
    content = page(client, "reminder_inbox", "?due_from=yesterday&state=whatever")
    assert "Some filters are not valid" in content
    with pytest.raises(ValidationError):
        reminder_filtersets.my_notifications(user=caseworker, filters={"state": "whatever"})


@pytest.mark.django_db
def test_a_notification_of_a_deadline_dealt_with_since_says_so(client_for, caseworker, own):
    make_reminder(own, notify=[caseworker], state=Reminder.State.CANCELLED)
    assert "No longer current" in page(client_for(caseworker), "reminder_inbox")


# --- Acknowledge ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_acknowledging_one_reminder_acknowledges_the_deadline_for_everyone(
    client_for, caseworker, supervisor, own
):
    deadline = today() + timedelta(days=6)
    earlier = make_reminder(own, deadline=deadline, offset="-14", source_id=77, notify=[caseworker])
    latest = make_reminder(own, deadline=deadline, offset="-7", source_id=77, notify=[caseworker])
    Notification.objects.create(
        recipient=supervisor, reminder=latest, purpose=Notification.Purpose.ESCALATION
    )
    assert [r.pk for r in selectors_reminders.team_unacknowledged(user=supervisor)] == [latest.pk]

    response = client_for(caseworker).post(
        reverse("reminder_acknowledge", args=[earlier.pk]), {"next": reverse("reminder_inbox")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("reminder_inbox")
    state = DeadlineState.objects.get(source_kind="period_end", source_id=77, deadline_date=deadline)
    assert state.acknowledged_by == caseworker and state.acknowledged_at is not None
    # The caseworker's notifications of that deadline are read; the supervisor's show it acknowledged
    assert not Notification.objects.filter(recipient=caseworker, read_at__isnull=True).exists()
    acknowledged = reminder_filtersets.my_notifications(user=supervisor, filters={"state": "acknowledged"})
    assert [n.reminder_id for n in acknowledged] == [latest.pk]
    assert "Acknowledged by" in page(client_for(supervisor), "reminder_inbox")
    assert list(selectors_reminders.team_unacknowledged(user=supervisor)) == []
    # Acknowledging again (anyone) keeps the first acknowledgement
    services.deadline_acknowledge(by=supervisor, reminder=latest)
    state.refresh_from_db()
    assert state.acknowledged_by == caseworker


@pytest.mark.django_db
def test_acknowledge_with_htmx_answers_the_item_and_the_bell(client_for, caseworker, own):
    reminder = make_reminder(own, notify=[caseworker])
    make_reminder(own, notify=[caseworker])  # another deadline, still unread
    notification = Notification.objects.get(reminder=reminder)
    response = client_for(caseworker).post(
        reverse("reminder_acknowledge", args=[reminder.pk]),
        {"notification": notification.pk, "next": reverse("reminder_inbox")},
        **HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in content
    assert "badge-acknowledged" in content and "Acknowledged:" in content
    assert 'id="notification-bell"' in content and 'hx-swap-oob="true"' in content
    assert 'aria-label="Notifications, 1 unread"' in content
    assert "<html" not in content


# --- Snooze -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_snooze_refuses_a_past_date_and_a_date_past_t_minus_1(client_for, caseworker, own):
    deadline = today() + timedelta(days=10)
    reminder = make_reminder(own, deadline=deadline, offset="-14", notify=[caseworker])
    for until, words in (
        (today() - timedelta(days=1), "a day after today"),
        (today(), "a day after today"),
        (deadline, "at the latest"),
        (deadline + timedelta(days=3), "at the latest"),
    ):
        with pytest.raises(ValidationError) as refused:
            services.deadline_snooze(by=caseworker, reminder=reminder, until=until)
        assert list(refused.value.error_dict) == ["until"]
        assert words in str(
            refused.value.error_dict["until"][0].message % refused.value.error_dict["until"][0].params
        )
    with pytest.raises(ValidationError) as missing:
        services.deadline_snooze(by=caseworker, reminder=reminder, until=None)
    assert list(missing.value.error_dict) == ["until"]
    assert not DeadlineState.objects.filter(snoozed_until__isnull=False).exists()

    # Through the page without JavaScript: the form again, with the message next to the field
    client = client_for(caseworker)
    response = client.post(reverse("reminder_snooze", args=[reminder.pk]), {"until": ymd(deadline)})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Snooze a deadline" in content
    assert f"Snooze until {ymd(deadline - timedelta(days=1))} at the latest" in content
    assert 'aria-invalid="true"' in content
    # With htmx: the item, the message under its date field
    notification = Notification.objects.get(reminder=reminder)
    response = client.post(
        reverse("reminder_snooze", args=[reminder.pk]),
        {"until": ymd(today() - timedelta(days=2)), "notification": notification.pk},
        **HTMX,
    )
    content = response.content.decode()
    assert f'id="snooze-{notification.pk}-error"' in content and "a day after today" in content
    assert 'aria-invalid="true"' in content


@pytest.mark.django_db
def test_snooze_until_a_valid_day_pauses_escalation(client_for, caseworker, own):
    deadline = today() + timedelta(days=10)
    reminder = make_reminder(own, deadline=deadline, offset="-14", notify=[caseworker])
    until = deadline - timedelta(days=1)
    response = client_for(caseworker).post(
        reverse("reminder_snooze", args=[reminder.pk]), {"until": ymd(until)}
    )
    assert response.status_code == 302
    state = DeadlineState.objects.get(source_id=reminder.source_id)
    assert state.snoozed_until == until and state.snoozed_by == caseworker
    assert state.acknowledged_at is None
    assert f'Escalation paused until <time datetime="{ymd(until)}">{ymd(until)}</time>' in page(
        client_for(caseworker), "reminder_inbox"
    )


@pytest.mark.django_db
def test_a_deadline_too_close_cannot_be_snoozed(client_for, caseworker, own):
    reminder = make_reminder(own, deadline=today() + timedelta(days=1), offset="-7", notify=[caseworker])
    with pytest.raises(ValidationError) as refused:
        services.deadline_snooze(by=caseworker, reminder=reminder, until=today() + timedelta(days=1))
    assert refused.value.error_dict["until"][0].code == "too_close"
    content = page(client_for(caseworker), "reminder_inbox")
    assert "Acknowledge" in content and "Snooze until" not in content  # no snooze form offered


# --- Create a task --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_a_task_from_a_reminder(client_for, caseworker, own):
    reminder = make_reminder(own, kind="reporting_date", offset="-14", notify=[caseworker])
    client = client_for(caseworker)
    response = client.post(reverse("reminder_task", args=[reminder.pk]), {"next": reverse("reminder_inbox")})
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.applicant, task.due_date, task.assignee, task.created_by) == (
        own,
        reminder.deadline_date,
        caseworker,
        caseworker,
    )
    assert task.title == "Report to immigration"
    # Asked twice (a double click): the same open task
    response = client.post(reverse("reminder_task", args=[reminder.pk]), **HTMX)
    assert "You already have this task" in response.content.decode()
    assert Task.objects.count() == 1


# --- Who may act -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_acting_on_someone_elses_reminder_is_a_404(
    client_for,
    caseworker,
    teammate,
    supervisor,
    other_supervisor,
    administrator,
    trainer,
    employer,
    own,
    teammates_case,
):
    theirs = make_reminder(teammates_case, notify=[teammate])
    actions = {
        "reminder_acknowledge": {},
        "reminder_snooze": {"until": ymd(today() + timedelta(days=3))},
        "reminder_task": {},
    }
    for name, data in actions.items():
        url = reverse(name, args=[theirs.pk])
        # The teammate may read the person's profile (shared caseload) but was not notified: 404
        assert client_for(caseworker).post(url, data).status_code == 404
        assert client_for(other_supervisor).post(url, data).status_code == 404
        assert client_for(trainer).post(url, data).status_code == 403
        assert client_for(employer).post(url, data).status_code == 403
        anonymous = client_for(caseworker)
        anonymous.logout()
        response = anonymous.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert client_for(caseworker).get(url).status_code == 405
    with pytest.raises(Http404):
        services.deadline_acknowledge(by=caseworker, reminder=theirs)
    # The team's supervisor and administrators may
    for user in (supervisor, administrator):
        response = client_for(user).post(reverse("reminder_acknowledge", args=[theirs.pk]))
        assert response.status_code == 302
    # Someone else's notification cannot be marked read
    notification = Notification.objects.get(reminder=theirs)
    assert (
        client_for(caseworker).post(reverse("notification_read", args=[notification.pk])).status_code == 404
    )


@pytest.mark.django_db
def test_the_assigned_caseworker_may_act_without_a_notification(client_for, caseworker, own):
    reminder = make_reminder(own, notify=[])  # delivered to a supervisor before the case was assigned
    assert client_for(caseworker).post(reverse("reminder_acknowledge", args=[reminder.pk])).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reminder_inbox", "deadlines_ahead"])
def test_the_pages_by_role(client_for, role_users, name):
    url = reverse(name)
    for role, user in role_users.items():
        expected = 403 if role in (Role.TRAINER, Role.EMPLOYER) else 200
        assert client_for(user).get(url).status_code == expected, role
    anonymous = client_for(role_users[Role.CASEWORKER])
    anonymous.logout()
    response = anonymous.get(url)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
def test_mark_read_and_mark_all_read(client_for, caseworker, own):
    first, second, third = (make_reminder(own, notify=[caseworker]) for _ in range(3))
    client = client_for(caseworker)
    notification = Notification.objects.get(reminder=first)
    response = client.post(
        reverse("notification_read", args=[notification.pk]), {"notification": notification.pk}, **HTMX
    )
    assert 'aria-label="Notifications, 2 unread"' in response.content.decode()
    response = client.post(
        reverse("notification_read_all"), {"next": reverse("reminder_inbox") + "?state=unread"}
    )
    assert response["Location"] == reverse("reminder_inbox") + "?state=unread"
    assert selectors_reminders.unread_count(user=caseworker) == 0
    # "next" never leads elsewhere
    response = client.post(reverse("notification_read_all"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("reminder_inbox")


# --- Deadlines ahead ----------------------------------------------------------------------------------------


def _period_ending(applicant: Applicant, end: date) -> LegalStatusPeriod:
    return LegalStatusPeriodFactory(applicant=applicant, start_date=end - timedelta(days=181), end_date=end)


@pytest.mark.django_db
def test_the_deadlines_page_lists_the_next_90_days_and_draws_a_bar_per_week(
    client_for, caseworker, team, own, teammates_case, foreign
):
    monday = today() - timedelta(days=today().weekday())
    ends = [
        monday + timedelta(days=9),
        monday + timedelta(days=10),
        monday + timedelta(days=30),
        today() + timedelta(days=89),
    ]
    people = [own, *(ApplicantFactory(team=team, caseworker=caseworker) for _ in ends[1:])]
    for person, end in zip(people, ends, strict=True):
        _period_ending(person, end)
    ReportingObligationFactory(applicant=own, next_report_date=monday + timedelta(days=31))
    _period_ending(teammates_case, today() + timedelta(days=12))  # the teammate's: profile only
    _period_ending(foreign, today() + timedelta(days=12))  # another team's
    _period_ending(
        ApplicantFactory(team=team, caseworker=caseworker), today() + timedelta(days=95)
    )  # too far

    content = page(client_for(caseworker), "deadlines_ahead")
    assert "The next 90 days: 5 deadlines" in content
    for person in people:
        assert person.reference_code in content
    assert teammates_case.reference_code not in content and foreign.reference_code not in content
    assert "Report to immigration" in content and "Period of stay ends" in content
    # The chart: an image with a text alternative, one bar per week that has deadlines
    svg = re.search(r"<svg class=\"deadline-chart\".*?</svg>", content, re.S).group(0)
    assert 'role="img"' in svg and 'aria-label="Deadlines per week, next 90 days: 5 deadlines' in svg
    weeks = {(end - monday).days // 7 for end in [*ends, monday + timedelta(days=31)]}
    bars = re.findall(r'<rect class="week-bar[^"]*" data-week="([0-9-]+)" data-count="(\d+)"', svg)
    assert len(bars) == len(weeks) == 3
    assert sorted(int(c) for _w, c in bars) == [1, 2, 2]
    assert svg.count("<title>") == len(bars) + 1
    assert "Week of" in svg
    assert "style=" not in svg


@pytest.mark.django_db
def test_the_deadlines_page_says_how_far_each_deadline_is_in_words_and_in_a_time_element(
    client_for, caseworker, team, own
):
    soon, later = today() + timedelta(days=12), today() + timedelta(days=70)
    _period_ending(own, soon)
    _period_ending(ApplicantFactory(team=team, caseworker=caseworker), later)
    content = page(client_for(caseworker), "deadlines_ahead")
    # 12 days: urgent, a Tabler badge; 70 days are always two whole months.
    assert re.search(
        rf'<time class="days-left urgent badge[^"]*" datetime="{ymd(soon)}">in 12 days \({ymd(soon)}\)</time>',
        content,
    )
    assert f'<time class="days-left" datetime="{ymd(later)}">in 2 months ({ymd(later)})</time>' in content
    assert "in 70 days" not in content


@pytest.mark.django_db
def test_the_deadlines_selector_asks_each_source_for_the_users_people_only(caseworker, own, foreign):
    _period_ending(own, today() + timedelta(days=20))
    _period_ending(foreign, today() + timedelta(days=20))
    rows = selectors_reminders.deadlines_ahead(user=caseworker)
    assert [(row.kind, row.applicant_id) for row in rows] == [("period_end", own.pk)]
    assert rows[0].days_left == 20


@pytest.mark.django_db
def test_a_pending_renewal_counts_until_the_end_of_the_special_period(caseworker, own):
    period = _period_ending(own, today() - timedelta(days=10))
    LegalStatusPeriod.objects.filter(pk=period.pk).update(renewal_filed_on=today() - timedelta(days=20))
    rows = selectors_reminders.deadlines_ahead(user=caseworker)
    assert [(row.kind, row.deadline_date) for row in rows] == [("renewal_pending", period.end_date)]
    assert rows[0].due_date > today()


# --- Supervisors' sections ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_supervisors_see_team_deadlines_not_acknowledged_at_t_minus_7_or_nearer(
    client_for, caseworker, supervisor, other_supervisor, own, foreign
):
    near = make_reminder(own, offset="-7", deadline=today() + timedelta(days=7), notify=[caseworker])
    overdue = make_reminder(own, offset="overdue", deadline=today() - timedelta(days=2), notify=[caseworker])
    far = make_reminder(own, offset="-30", notify=[caseworker])
    undelivered = make_reminder(own, offset="-7", delivered=False)
    theirs = make_reminder(foreign, offset="-7")
    section = "Team deadlines not acknowledged (T-7 or nearer)"

    content = page(client_for(supervisor), "deadlines_ahead")
    assert section in content
    for reminder, shown in (
        (near, True),
        (overdue, True),
        (far, False),
        (undelivered, False),
        (theirs, False),
    ):
        assert (f'id="team-reminder-{reminder.pk}"' in content) == shown, reminder.offset
    assert f'id="team-reminder-{theirs.pk}"' in page(client_for(other_supervisor), "deadlines_ahead")
    assert section not in page(client_for(caseworker), "deadlines_ahead")

    # Acknowledged from the section (htmx): the row says so and the deadline leaves the list
    response = client_for(supervisor).post(
        reverse("reminder_acknowledge", args=[near.pk]),
        {"from": "team", "next": reverse("deadlines_ahead")},
        **HTMX,
    )
    assert f'id="team-reminder-{near.pk}"' in response.content.decode()
    assert "Acknowledged:" in response.content.decode()
    assert [r.pk for r in selectors_reminders.team_unacknowledged(user=supervisor)] == [overdue.pk]


@pytest.mark.django_db
def test_failed_emails_are_shown_with_the_reason_to_supervisors_and_administrators(
    client_for, caseworker, supervisor, other_supervisor, other_caseworker, administrator
):
    ours = failed_email(caseworker, reason="SMTPRecipientsRefused: 550 5.1.1 unknown user")
    theirs = failed_email(other_caseworker, reason="SMTPServerDisconnected: gone")
    content = page(client_for(supervisor), "deadlines_ahead")
    assert "E-mails that failed" in content
    assert "550 5.1.1 unknown user" in content and ours.to_address in content
    assert "SMTPServerDisconnected" not in content
    assert "SMTPServerDisconnected" in page(client_for(other_supervisor), "deadlines_ahead")
    both = page(client_for(administrator), "deadlines_ahead")
    assert "550 5.1.1 unknown user" in both and "SMTPServerDisconnected" in both
    assert "E-mails that failed" not in page(client_for(caseworker), "deadlines_ahead")
    assert {e.pk for e in selectors_reminders.failed_emails(user=caseworker)} == set()
    assert {e.pk for e in selectors_reminders.failed_emails(user=administrator)} == {ours.pk, theirs.pk}


# --- Query counts -------------------------------------------------------------------------------------------


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_inbox_query_count_is_the_same_with_25_and_500_notifications(
    role, request, client_for, caseworker, team
):
    user = request.getfixturevalue(role)
    people = bulk_applicants(25, team=team, caseworker=caseworker)
    bulk_notifications(user, people)
    client = client_for(user)
    client.get(reverse("reminder_inbox"))  # warm the session
    small, first = count_queries(client, reverse("reminder_inbox"))
    assert first.content.decode().count('<article id="notification-') == 25
    more = bulk_applicants(95, team=team, caseworker=caseworker)
    bulk_notifications(user, more, per_applicant=5)
    large, second = count_queries(client, reverse("reminder_inbox") + "?page=3")
    assert "500 notifications" in second.content.decode()
    assert large == small, f"{small} queries for 25 notifications, {large} for 500"
    assert small <= 12


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_deadlines_page_query_count_does_not_grow_with_deadlines(role, request, client_for, caseworker, team):
    user = request.getfixturevalue(role)
    client = client_for(user)

    def add(count, offset):
        people = bulk_applicants(count, team=team, caseworker=caseworker)
        LegalStatusPeriod.objects.bulk_create(
            [
                LegalStatusPeriod(
                    applicant=a,
                    status_kind="da_refugee_applicant",
                    start_date=today() - timedelta(days=100),
                    end_date=today() + timedelta(days=(offset + i) % 85 + 1),
                )
                for i, a in enumerate(people)
            ]
        )
        ReportingObligation.objects.bulk_create(
            [
                ReportingObligation(
                    applicant=a,
                    kind="provisional_release",
                    next_report_date=today() + timedelta(days=3 + i % 80),
                )
                for i, a in enumerate(people)
            ]
        )
        for a in people[:3]:
            make_reminder(a, offset="-7", notify=[caseworker])
            failed_email(caseworker)

    add(3, 0)
    client.get(reverse("deadlines_ahead"))
    few, first = count_queries(client, reverse("deadlines_ahead"))
    add(300, 7)
    many, second = count_queries(client, reverse("deadlines_ahead") + "?page=2")
    assert "606 deadlines" in second.content.decode()
    assert many == few, f"{few} queries for 6 deadlines, {many} for 606"


# --- The demo -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_demo_data_gives_the_demo_caseworkers_notifications(client_for):
    call_command("seed_demo", verbosity=0)
    call_command("sweep_reminders", verbosity=0)
    caseworkers = User.objects.filter(username__in=["caseworker", "caseworker2", "caseworker3"])
    counts = {user.username: selectors_reminders.unread_count(user=user) for user in caseworkers}
    assert all(counts.values()), counts
    maya = User.objects.get(username="caseworker")
    content = page(client_for(maya), "reminder_inbox")
    assert f"Notifications, {counts['caseworker']} unread" in content
    assert Reminder.objects.filter(state=Reminder.State.LIVE, delivered_at__isnull=False).exists()
    assert "deadline-chart" in page(client_for(maya), "deadlines_ahead")


# --- Every new route × every role (the rows tests/test_access_matrix.py gets for issue 5) --------------

PAGES = ("reminder_inbox", "deadlines_ahead")
POST_ONLY_PAGES = (
    "reminder_acknowledge",
    "reminder_snooze",
    "reminder_task",
    "notification_read",
    "notification_read_all",
)
API_LISTS = ("notification-list", "reminder-list", "deadline-list")
API_ACTIONS = (
    "reminder-acknowledge",
    "reminder-snooze",
    "reminder-task",
    "notification-read",
    "notification-read-all",
)


def expected_get(name: str, role: str) -> int | str:
    """The outcome of a GET: the role gate first (pages: staff only), then the method check."""
    api = name in API_LISTS or name in API_ACTIONS
    if role == "anonymous":
        return 401 if api else "login"
    if not api and role in ("trainer", "employer"):
        return 403
    return 405 if name in POST_ONLY_PAGES or name in API_ACTIONS else 200


def test_every_reminder_route_has_an_expectation():
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and (name.startswith(("reminder", "notification", "deadline")))
    }
    assert names == {*PAGES, *POST_ONLY_PAGES, *API_LISTS, *API_ACTIONS}


@pytest.mark.django_db
@pytest.mark.parametrize("name", [*PAGES, *POST_ONLY_PAGES, *API_LISTS, *API_ACTIONS])
def test_every_reminder_route_by_role(name, role_users, client_for, caseworker, own):
    reminder = make_reminder(own, notify=[caseworker])
    notification = Notification.objects.get(reminder=reminder)
    kwargs = {}
    if name in ("notification_read", "notification-read"):
        kwargs = {"pk": notification.pk}
    elif name in (*POST_ONLY_PAGES, *API_ACTIONS) and "all" not in name:
        kwargs = {"pk": reminder.pk}
    url = reverse(name, kwargs=kwargs)
    for role, user in [("anonymous", None), *((str(r), u) for r, u in role_users.items())]:
        client = client_for(user) if user is not None else Client()
        response = client.get(url)
        expected = expected_get(name, role)
        if expected == "login":
            assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={url}", (
                role
            )
        else:
            assert response.status_code == expected, (name, role, response.status_code)


@pytest.mark.django_db
def test_an_on_record_reminder_of_a_far_deadline_is_not_in_the_supervisors_t_minus_7_list(supervisor, own):
    """Same rule as escalation: 'on record' is near only when issued within 7 days of the deadline."""
    far = make_reminder(own, deadline=today() + timedelta(days=80), offset="on_record", source_id=501)
    near = make_reminder(own, deadline=today() + timedelta(days=5), offset="on_record", source_id=502)
    listed = [r.pk for r in selectors_reminders.team_unacknowledged(user=supervisor)]
    assert near.pk in listed
    assert far.pk not in listed

"""The course pages: the trainer's teaching page and home panel, the course page (roster, sessions,
attendance matrix) per role, course and session forms with bad input, and fixed query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning.models import Course, EnrollmentStatus, Session
from tests.learning.factories import AttendanceFactory, CourseFactory, EnrollmentFactory, SessionFactory, at
from tests.learning.views_setup import future_session, learners, today

pytestmark = pytest.mark.django_db


def detail(course) -> str:
    return reverse("learning:course_detail", kwargs={"pk": course.pk})


# --- The teaching page and the home panel ---------------------------------------------------------------


def test_teaching_lists_my_courses_and_todays_sessions(client_for, trainer, session, other_session, course):
    ended = CourseFactory(
        name="Old course",
        trainers=[trainer],
        starts_on=today() - timedelta(days=200),
        ends_on=today() - timedelta(days=100),
    )
    upcoming = CourseFactory(
        name="Next term",
        trainers=[trainer],
        starts_on=today() + timedelta(days=10),
        ends_on=today() + timedelta(days=90),
    )
    SessionFactory(course=upcoming, starts_at=at(today() + timedelta(days=10), 18))
    response = client_for(trainer).get(reverse("learning:teaching"))
    assert response.status_code == 200
    html = response.content.decode()
    # Running and upcoming first, ended last; another trainer's course not at all.
    assert html.index("Japanese A2 evening") < html.index("Next term") < html.index("Old course")
    assert "IT basics" not in html
    assert ended.name in html
    # Places taken / capacity, and the next session of the upcoming course.
    assert "2 / 3" in html
    assert (today() + timedelta(days=10)).isoformat() + " 18:00" in html
    # Today's session: one link to its attendance screen, with marks taken so far.
    attendance = reverse("learning:session_attendance", kwargs={"pk": session.pk})
    assert f'href="{attendance}"' in html
    assert "0 of 2 marked" in html
    assert reverse("learning:session_attendance", kwargs={"pk": other_session.pk}) not in html


@pytest.mark.parametrize("who", ["administrator", "supervisor", "caseworker", "employer"])
def test_teaching_is_for_trainers(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(reverse("learning:teaching")).status_code == 403


def test_teaching_needs_sign_in(client):
    assert client.get(reverse("learning:teaching")).status_code == 302


def test_home_page_shows_a_trainer_todays_sessions(client_for, trainer, caseworker, session):
    html = client_for(trainer).get(reverse("home")).content.decode()
    assert "Today&#x27;s sessions" in html or "Today's sessions" in html
    assert reverse("learning:session_attendance", kwargs={"pk": session.pk}) in html
    other = client_for(caseworker).get(reverse("home")).content.decode()
    assert reverse("learning:session_attendance", kwargs={"pk": session.pk}) not in other
    assert 'id="panel-teaching"' not in other


def test_home_panel_says_when_there_is_no_session(client_for, trainer, course):
    html = client_for(trainer).get(reverse("home")).content.decode()
    assert "You have no session today." in html


# --- The course page per role ---------------------------------------------------------------------------


@pytest.fixture
def roster(course, session, own_enrollment, other_enrollment, team, other_team, trainer):
    """Own and other learner enrolled (capacity 3), a third enrolled, two waiting, one dropped out."""
    third = EnrollmentFactory(course=course, applicant__team=team, applicant__family_name="Zaw")
    waiting_first = EnrollmentFactory(
        course=course, status=EnrollmentStatus.WAITLISTED, applicant__team=team, applicant__family_name="Win"
    )
    waiting_second = EnrollmentFactory(
        course=course, status=EnrollmentStatus.WAITLISTED, applicant__team=team, applicant__family_name="Aung"
    )
    dropped = EnrollmentFactory(
        course=course,
        status=EnrollmentStatus.DROPPED,
        drop_reason="Found a full-time job",
        ended_on=today() - timedelta(days=3),
        applicant__team=other_team,
        applicant__family_name="Kyaw",
    )
    earlier = SessionFactory(
        course=course, starts_at=at(today() - timedelta(days=7), 18), duration_minutes=120
    )
    AttendanceFactory(session=earlier, enrollment=own_enrollment, status="present", recorded_by=trainer)
    AttendanceFactory(session=earlier, enrollment=other_enrollment, status="absent", recorded_by=trainer)
    AttendanceFactory(session=session, enrollment=own_enrollment, status="late", recorded_by=trainer)
    AttendanceFactory(session=earlier, enrollment=dropped, status="excused", recorded_by=trainer)
    ahead = SessionFactory(course=course, starts_at=at(today() + timedelta(days=7), 18))
    return {
        "third": third,
        "waiting": [waiting_first, waiting_second],
        "dropped": dropped,
        "earlier": earlier,
        "ahead": ahead,
    }


def test_anonymous_course_page_goes_to_sign_in(client, course):
    assert client.get(detail(course)).status_code == 302


@pytest.mark.parametrize("who", ["trainer", "administrator"])
def test_trainer_and_administrator_see_the_whole_roster(request, client_for, who, course, roster):
    html = client_for(request.getfixturevalue(who)).get(detail(course)).content.decode()
    for name in ("PERERA", "TUN", "ZAW", "WIN", "AUNG", "KYAW"):
        assert name in html
    # The waiting list in its order, drop-outs with their reason and date.
    assert html.index("WIN") < html.index("AUNG")
    assert "Found a full-time job" in html
    assert (today() - timedelta(days=3)).isoformat() in html
    assert reverse("learning:course_edit", kwargs={"pk": course.pk}) in html
    # A session that took place is corrected, not cancelled: no Cancel link for it, one for what is ahead.
    assert reverse("learning:session_cancel", kwargs={"pk": roster["earlier"].pk}) not in html
    assert reverse("learning:session_cancel", kwargs={"pk": roster["ahead"].pk}) in html
    assert "Only the learners whose case you may change are shown." not in html


def test_trainer_gets_no_enrol_form_and_no_drop_link(client_for, trainer, course, roster, own_enrollment):
    html = client_for(trainer).get(detail(course)).content.decode()
    assert reverse("learning:enrol") not in html
    assert reverse("learning:enrollment_drop", kwargs={"pk": own_enrollment.pk}) not in html
    # Trainers may complete (the service allows the course's trainers).
    assert reverse("learning:enrollment_complete", kwargs={"pk": own_enrollment.pk}) in html


def test_caseworker_sees_own_caseload_and_may_enrol_and_drop(
    client_for, caseworker, course, roster, own_enrollment, other_enrollment, team
):
    from tests.casework.applicant_factories import ApplicantFactory

    candidate = ApplicantFactory(team=team, caseworker=caseworker, family_name="Candidate")
    closed = ApplicantFactory(team=team, caseworker=caseworker, family_name="Closedcase", case_stage="closed")
    response = client_for(caseworker).get(detail(course))
    assert response.status_code == 200
    html = response.content.decode()
    assert "PERERA" in html
    for name in ("TUN", "ZAW", "WIN", "KYAW"):
        assert name not in html
    assert "Only the learners whose case you may change are shown." in html
    assert reverse("learning:course_edit", kwargs={"pk": course.pk}) not in html
    # The enrol form offers people of the caseload not yet in the course (and no closed case).
    assert reverse("learning:enrol") in html
    assert f'value="{candidate.reference_code}"' in html
    assert f'value="{own_enrollment.applicant.reference_code}"' not in html
    assert f'value="{closed.reference_code}"' not in html  # not a prefix of another code
    assert reverse("learning:enrollment_drop", kwargs={"pk": own_enrollment.pk}) in html
    assert reverse("learning:enrollment_drop", kwargs={"pk": other_enrollment.pk}) not in html


def test_supervisor_sees_the_teams_learners(client_for, supervisor, course, roster):
    html = client_for(supervisor).get(detail(course)).content.decode()
    for name in ("PERERA", "ZAW", "WIN", "AUNG"):
        assert name in html
    assert "TUN" not in html and "KYAW" not in html


def test_another_trainer_and_employer_cannot_open_the_course(client_for, other_trainer, employer, course):
    assert client_for(other_trainer).get(detail(course)).status_code == 404
    assert client_for(employer).get(detail(course)).status_code == 403


def test_an_unknown_course_is_not_found(client_for, administrator):
    assert (
        client_for(administrator).get(reverse("learning:course_detail", kwargs={"pk": 999999})).status_code
        == 404
    )


def test_the_matrix_shows_marks_with_text_rates_hours_and_counts(client_for, trainer, course, roster):
    html = client_for(trainer).get(detail(course)).content.decode()
    matrix = html[html.index('id="matrix"') :]
    # Cells: a symbol hidden from screen readers and its text.
    assert (
        '<span class="att att-present" aria-hidden="true">✓</span><span class="visually-hidden">Present</span>'
        in matrix
    )
    assert '<span class="visually-hidden">Late</span>' in matrix
    assert '<span class="visually-hidden">Absent</span>' in matrix
    assert '<span class="visually-hidden">Excused</span>' in matrix
    # PERERA: present (120 min) + late (90 min) → 100 %, 3.5 h; TUN: absent → 0 %, 0.0 h.
    perera = matrix[matrix.index("PERERA") :]
    perera = perera[: perera.index("</tr>")]
    assert "100 %" in perera and "3.5" in perera
    tun = matrix[matrix.index("TUN") :]
    tun = tun[: tun.index("</tr>")]
    assert "0 %" in tun and "0.0" in tun
    # Dropped-out learners stay in the matrix, marked as such; the waiting list does not.
    assert "KYAW" in matrix and "dropped out" in matrix
    assert "WIN" not in matrix
    # Per session: attended / marked (earlier: present, absent, excused; today: late).
    footer = matrix[matrix.index("<tfoot>") :]
    assert "1/3" in footer and "1/1" in footer


# --- Queries: 5 or 50 learners, 3 or 30 sessions --------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _sessions(course, count, start=0):
    return [
        SessionFactory(course=course, starts_at=at(course.starts_on + timedelta(days=start + index), 18))
        for index in range(count)
    ]


@pytest.mark.parametrize("who", ["trainer", "caseworker", "administrator"])
def test_course_page_queries_do_not_grow_with_learners_or_sessions(
    request, client_for, who, trainer, caseworker, team, course
):
    client = client_for(request.getfixturevalue(who))
    sessions = _sessions(course, 3)
    people = learners(course, 5, team=team, caseworker=caseworker)
    for person in people:
        AttendanceFactory(session=sessions[0], enrollment=person, recorded_by=trainer)
    client.get(detail(course))
    base = _queries(client, detail(course))

    more_people = learners(course, 45, team=team, caseworker=caseworker)
    for person in more_people[:20]:
        AttendanceFactory(session=sessions[1], enrollment=person, recorded_by=trainer, status="absent")
    more_learners = _queries(client, detail(course))

    more_sessions = _sessions(course, 27, start=3)
    for person in more_people[:10]:
        AttendanceFactory(session=more_sessions[-1], enrollment=person, recorded_by=trainer)
    both = _queries(client, detail(course))
    assert base == more_learners == both
    html = client.get(detail(course)).content.decode()
    assert html.count('class="matrix-session') == 30
    assert html.count('<th scope="row">') == 50 + 1  # learners + the totals row
    assert base <= 16


# --- Course forms ---------------------------------------------------------------------------------------


def course_data(**overrides):
    data = {
        "name": "Business manners for interviews",
        "kind": "business_manners",
        "format": "hybrid",
        "target_level": "",
        "place": "Online + Room 2",
        "starts_on": today().isoformat(),
        "ends_on": (today() + timedelta(days=60)).isoformat(),
        "capacity": "12",
        "description": "",
    }
    data.update(overrides)
    return data


def test_administrator_creates_a_course_with_trainers(client_for, administrator, trainer, other_trainer):
    client = client_for(administrator)
    form = client.get(reverse("learning:course_add")).content.decode()
    assert 'name="trainers"' in form
    response = client.post(
        reverse("learning:course_add"), course_data(trainers=[trainer.pk, other_trainer.pk])
    )
    course = Course.objects.get(name="Business manners for interviews")
    assert response.status_code == 302 and response["Location"] == detail(course)
    assert set(course.trainers.all()) == {trainer, other_trainer}
    assert course.capacity == 12


def test_a_trainer_creates_a_course_and_teaches_it(client_for, trainer):
    client = client_for(trainer)
    assert 'name="trainers"' not in client.get(reverse("learning:course_add")).content.decode()
    client.post(reverse("learning:course_add"), course_data())
    assert list(Course.objects.get().trainers.all()) == [trainer]


@pytest.mark.parametrize("who", ["caseworker", "supervisor", "employer"])
def test_others_cannot_create_a_course(request, client_for, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("learning:course_add")).status_code == 403
    assert client.post(reverse("learning:course_add"), course_data()).status_code == 403
    assert not Course.objects.exists()


def test_bad_course_input_is_shown_next_to_the_fields(client_for, administrator):
    response = client_for(administrator).post(
        reverse("learning:course_add"),
        course_data(name="", kind="", capacity="0", ends_on=(today() - timedelta(days=1)).isoformat()),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["Give the course a name."]
    assert errors["kind"] == ["Choose the kind of course."]
    assert errors["capacity"] == ["Enter the number of places, from 1 to 1000."]
    assert errors["ends_on"] == ["The term cannot end before it starts."]
    html = response.content.decode()
    assert "field-invalid" in html and "Give the course a name." in html
    assert not Course.objects.exists()


def test_trainer_edits_own_course_but_not_anothers(client_for, trainer, course, other_course):
    client = client_for(trainer)
    edit = reverse("learning:course_edit", kwargs={"pk": course.pk})
    form = client.get(edit).content.decode()
    assert 'value="Japanese A2 evening"' in form
    response = client.post(
        edit, course_data(name="Japanese A2 Saturday", starts_on=course.starts_on.isoformat())
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.name == "Japanese A2 Saturday"
    assert client.get(reverse("learning:course_edit", kwargs={"pk": other_course.pk})).status_code == 404


@pytest.mark.parametrize("who", ["caseworker", "supervisor"])
def test_staff_who_read_courses_cannot_edit_them(request, client_for, who, course):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("learning:course_edit", kwargs={"pk": course.pk})).status_code == 403


def test_shortening_the_term_past_its_sessions_is_refused(client_for, trainer, course, session):
    response = client_for(trainer).post(
        reverse("learning:course_edit", kwargs={"pk": course.pk}),
        course_data(
            starts_on=course.starts_on.isoformat(), ends_on=(today() - timedelta(days=1)).isoformat()
        ),
    )
    assert response.status_code == 200
    assert "Sessions lie outside these term dates" in " ".join(response.context["form"].errors["ends_on"])
    course.refresh_from_db()
    assert course.ends_on > today()


def test_administrator_changes_trainers_in_the_same_save(
    client_for, administrator, trainer, other_trainer, course
):
    client_for(administrator).post(
        reverse("learning:course_edit", kwargs={"pk": course.pk}),
        course_data(name=course.name, starts_on=course.starts_on.isoformat(), trainers=[other_trainer.pk]),
    )
    assert list(course.trainers.all()) == [other_trainer]


# --- Sessions -------------------------------------------------------------------------------------------


def test_trainer_adds_a_session(client_for, trainer, course):
    url = reverse("learning:session_add", kwargs={"pk": course.pk})
    day = today() + timedelta(days=3)
    response = client_for(trainer).post(
        url, {"starts_at": f"{day.isoformat()}T18:30", "duration_minutes": "90", "topic": "Interviews"}
    )
    assert response.status_code == 302
    session = Session.objects.get(course=course)
    assert session.topic == "Interviews" and session.starts_at == at(day, 18) + timedelta(minutes=30)


def test_a_session_outside_the_term_is_refused_next_to_the_field(client_for, trainer, course):
    url = reverse("learning:session_add", kwargs={"pk": course.pk})
    outside = course.ends_on + timedelta(days=1)
    response = client_for(trainer).post(
        url, {"starts_at": f"{outside.isoformat()}T18:00", "duration_minutes": "90"}
    )
    assert response.status_code == 200
    assert "within the course's term" in " ".join(response.context["form"].errors["starts_at"])
    bad = client_for(trainer).post(url, {"starts_at": "", "duration_minutes": "0"})
    assert bad.context["form"].errors["starts_at"] == ["Enter the day and time the session starts."]
    assert bad.context["form"].errors["duration_minutes"] == ["Enter the length in minutes, from 1 to 600."]
    assert not Session.objects.exists()


@pytest.mark.parametrize("name", ["session_add", "sessions_generate"])
def test_session_forms_per_role(client_for, name, caseworker, other_trainer, employer, administrator, course):
    url = reverse(f"learning:{name}", kwargs={"pk": course.pk})
    assert client_for(caseworker).get(url).status_code == 403
    assert client_for(other_trainer).get(url).status_code == 404
    assert client_for(employer).get(url).status_code == 403
    assert client_for(administrator).get(url).status_code == 200


def test_weekly_pattern_defaults_to_the_term_and_makes_sessions(client_for, trainer, course):
    url = reverse("learning:sessions_generate", kwargs={"pk": course.pk})
    client = client_for(trainer)
    form = client.get(url).content.decode()
    assert (
        f'value="{course.starts_on.isoformat()}"' in form and f'value="{course.ends_on.isoformat()}"' in form
    )
    response = client.post(
        url,
        {
            "weekdays": ["1", "3"],
            "start_time": "18:00",
            "duration_minutes": "90",
            "first_day": course.starts_on.isoformat(),
            "last_day": course.ends_on.isoformat(),
        },
        follow=True,
    )
    made = Session.objects.filter(course=course)
    assert made.count() > 30
    assert {s.starts_at.astimezone(at(today()).tzinfo).weekday() for s in made} == {1, 3}
    assert f"{made.count()} sessions added" in response.content.decode()


def test_weekly_pattern_errors_are_shown_next_to_the_fields(client_for, trainer, course):
    url = reverse("learning:sessions_generate", kwargs={"pk": course.pk})
    client = client_for(trainer)
    none = client.post(url, {"start_time": "18:00", "duration_minutes": "90"})
    assert none.context["form"].errors["weekdays"] == ["Choose at least one day of the week."]
    # Two days (a Monday and Tuesday) on which no Friday falls.
    monday = today() - timedelta(days=today().weekday())
    if monday < course.starts_on:
        monday += timedelta(days=7)
    empty = client.post(
        url,
        {
            "weekdays": ["4"],
            "start_time": "18:00",
            "duration_minutes": "90",
            "first_day": monday.isoformat(),
            "last_day": (monday + timedelta(days=1)).isoformat(),
        },
    )
    assert "No session falls on those days" in " ".join(empty.context["form"].errors["weekdays"])
    outside = client.post(
        url,
        {
            "weekdays": ["0"],
            "start_time": "18:00",
            "duration_minutes": "90",
            "first_day": (course.starts_on - timedelta(days=7)).isoformat(),
        },
    )
    assert "within the course's term" in " ".join(outside.context["form"].errors["first_day"])
    no_time = client.post(url, {"weekdays": ["0"], "start_time": "", "duration_minutes": ""})
    assert no_time.context["form"].errors["start_time"] == ["Enter the time sessions start."]
    assert 'id="weekdays-error"' in empty.content.decode()
    assert not Session.objects.exists()


def test_trainer_cancels_a_session_with_a_reason(client_for, trainer, course):
    session = future_session(course)
    url = reverse("learning:session_cancel", kwargs={"pk": session.pk})
    client = client_for(trainer)
    assert 'name="reason"' in client.get(url).content.decode()
    response = client.post(url, {"reason": "Public holiday"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.cancelled and session.cancel_reason == "Public holiday"
    page = client.get(detail(course)).content.decode()
    assert "Public holiday" in page


def test_a_session_that_took_place_cannot_be_cancelled(client_for, trainer, course, roster):
    earlier = roster["earlier"]
    url = reverse("learning:session_cancel", kwargs={"pk": earlier.pk})
    client = client_for(trainer)
    for response in (client.get(url, follow=True), client.post(url, {"reason": "x"}, follow=True)):
        assert response.redirect_chain[-1][0].endswith(detail(course) + "#sessions")
        assert "already begun, so it cannot be cancelled" in response.content.decode()
    earlier.refresh_from_db()
    assert not earlier.cancelled


def test_session_cancel_per_role(client_for, caseworker, other_trainer, employer, session):
    url = reverse("learning:session_cancel", kwargs={"pk": session.pk})
    assert client_for(caseworker).post(url, {"reason": "x"}).status_code == 403
    assert client_for(other_trainer).post(url, {"reason": "x"}).status_code == 404
    assert client_for(employer).post(url, {"reason": "x"}).status_code == 403
    session.refresh_from_db()
    assert not session.cancelled


def test_course_list_links_to_the_course_page(client_for, caseworker, course):
    html = client_for(caseworker).get(reverse("learning:course_list")).content.decode()
    assert f'href="{detail(course)}"' in html
    assert reverse("learning:course_add") not in html


def test_teaching_page_and_home_panel_queries_do_not_grow(client_for, trainer, team):
    client = client_for(trainer)
    for index in range(2):
        course = CourseFactory(trainers=[trainer])
        SessionFactory(course=course, starts_at=at(today(), 8 + index))
        learners(course, 2, team=team)
    client.get(reverse("learning:teaching"))
    few = (_queries(client, reverse("learning:teaching")), _queries(client, reverse("home")))
    for index in range(10):
        course = CourseFactory(trainers=[trainer])
        SessionFactory(course=course, starts_at=at(today(), 8 + index))
        SessionFactory(course=course, starts_at=at(today() + timedelta(days=2), 8))
        learners(course, 3, team=team)
    many = (_queries(client, reverse("learning:teaching")), _queries(client, reverse("home")))
    assert few == many
    html = client.get(reverse("learning:teaching")).content.decode()
    assert html.count("Take attendance") == 12


def test_roster_links_to_the_learner_page_and_to_record_a_result(client_for, trainer, course, own_enrollment):
    html = client_for(trainer).get(detail(course)).content.decode()
    code = own_enrollment.applicant.reference_code
    assert f'href="{reverse("learning:learner_detail", kwargs={"reference_code": code})}"' in html
    assert reverse("learning:assessment_add", kwargs={"reference_code": code}) + "?next=" in html

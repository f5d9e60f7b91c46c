"""A trainer takes a session's attendance in a real Chromium on a phone-sized screen: taps saved in
place with htmx, one mark by keyboard, axe on the attendance screen and the course page, and no way
into an applicant page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from learning.models import Attendance
from tests.browser.test_applicants import blocking_violations, expect
from tests.casework.applicant_factories import ApplicantFactory
from tests.learning.factories import AttendanceFactory, CourseFactory, EnrollmentFactory, SessionFactory, at

# No django_db mark: the page fixture brings live_server (transactional).
pytestmark = pytest.mark.browser


@pytest.fixture
def lesson(trainer, caseworker, team):
    today = timezone.localdate()
    course = CourseFactory(name="Japanese for work A2", trainers=[trainer], capacity=10)
    people = [
        ApplicantFactory(team=team, caseworker=caseworker, family_name=family, given_name=given)
        for family, given in (("Perera", "Suriya"), ("Tun", "Aye"), ("Nguyen", "Van A"))
    ]
    enrollments = [EnrollmentFactory(course=course, applicant=person) for person in people]
    earlier = SessionFactory(course=course, starts_at=at(today.replace(day=1) if today.day > 1 else today, 9))
    if earlier.starts_at.date() != today:
        AttendanceFactory(session=earlier, enrollment=enrollments[0], recorded_by=trainer)
    session = SessionFactory(course=course, starts_at=at(today, 18), topic="Interview phrases")
    return {"course": course, "session": session, "enrollments": enrollments, "people": people}


def test_trainer_takes_attendance_on_a_phone(page, sign_in, trainer, lesson):
    page.set_viewport_size({"width": 375, "height": 740})
    session, (perera, tun, nguyen) = lesson["session"], lesson["enrollments"]
    sign_in(trainer.username)
    # Today's session is on the home page, one link to its attendance screen.
    panel = page.locator("#panel-teaching")
    expect(panel).to_contain_text("Japanese for work A2")
    panel.get_by_role("link", name="Japanese for work A2").click()
    expect(page.get_by_role("heading", name="Attendance", level=1)).to_be_visible()
    assert page.url.endswith(f"/learning/sessions/{session.pk}/attendance/")
    page.evaluate("window.tobiraMarker = 'no reload'")
    # The screen fits the phone: nothing wider than the viewport.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    row = page.locator(f"#learner-{perera.pk}")
    row.locator("label", has_text="Present").click()
    expect(page.locator(f"#learner-{perera.pk}")).to_contain_text("Saved: Present")
    expect(page.locator("#attendance-status")).to_contain_text("Saved: PERERA Suriya, Present.")

    page.locator(f"#learner-{tun.pk}").locator("label", has_text="Absent").click()
    expect(page.locator(f"#learner-{tun.pk}")).to_contain_text("Saved: Absent")

    # Keyboard: focus Nguyen's first option, then arrow keys move the choice (and save it).
    page.locator(f"#mark-{nguyen.pk}-present").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#learner-{nguyen.pk}")).to_contain_text("Saved: Present")
    # Focus stays on the option after the row was swapped in place, so the keyboard carries on.
    expect(page.locator(f"#mark-{nguyen.pk}-present")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#learner-{nguyen.pk}")).to_contain_text("Saved: Late")
    expect(page.locator(f"#mark-{nguyen.pk}-late")).to_be_focused()

    assert page.evaluate("window.tobiraMarker") == "no reload"
    marks = dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "status"))
    assert marks == {perera.pk: "present", tun.pk: "absent", nguyen.pk: "late"}

    # Changing a mark updates the same row: still one row per learner.
    page.locator(f"#learner-{tun.pk}").locator("label", has_text="Excused").click()
    expect(page.locator(f"#learner-{tun.pk}")).to_contain_text("Saved: Excused")
    assert Attendance.objects.filter(session=session).count() == 3
    assert blocking_violations(page) == []


def test_course_page_and_teaching_page_pass_axe(page, sign_in, trainer, lesson):
    sign_in(trainer.username)
    page.goto("/learning/teaching/")
    expect(page.get_by_role("heading", name="My teaching")).to_be_visible()
    assert blocking_violations(page) == []
    page.get_by_role("region", name="Courses I teach").get_by_role(
        "link", name="Japanese for work A2"
    ).click()
    expect(page.get_by_role("heading", name="Attendance matrix")).to_be_visible()
    assert blocking_violations(page) == []
    page.set_viewport_size({"width": 375, "height": 740})
    assert blocking_violations(page) == []


def test_a_trainer_cannot_open_an_applicant_page(page, sign_in, trainer, lesson):
    sign_in(trainer.username)
    learner = lesson["people"][0]
    response = page.goto(f"/applicants/{learner.reference_code}/")
    assert response is not None and response.status in (403, 404)
    expect(page.get_by_text(learner.given_name)).to_have_count(0)


def test_a_caseworker_enrols_from_the_course_page(page, sign_in, caseworker, team, lesson):
    newcomer = ApplicantFactory(team=team, caseworker=caseworker, family_name="Win", given_name="Htet")
    sign_in(caseworker.username)
    page.goto(f"/learning/courses/{lesson['course'].pk}/")
    page.get_by_label("Person", exact=True).select_option(newcomer.reference_code)
    page.get_by_role("button", name="Enrol", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("is enrolled in Japanese for work A2")
    expect(page.locator("#roster")).to_contain_text("WIN Htet")
    assert blocking_violations(page) == []

"""The learning panel on the applicant page and the language progress chart."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning.models import EnrollmentStatus
from learning.ui.chart import LevelPoint, progress_chart
from tests.casework.applicant_factories import ApplicantFactory
from tests.learning.factories import (
    AssessmentFactory,
    AttendanceFactory,
    CourseFactory,
    EnrollmentFactory,
    SessionFactory,
    at,
)

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def today() -> date:
    return timezone.localdate()


def learning_tab(applicant) -> str:
    """The applicant page's Learning tab, where learning registers its panel."""
    return reverse("applicant_detail", kwargs={"reference_code": applicant.reference_code}) + "?tab=learning"


def page(client, applicant) -> str:
    response = client.get(learning_tab(applicant))
    assert response.status_code == 200
    return response.content.decode()


def panel_html(html: str) -> str:
    start = html.find('id="panel-learning"')
    assert start >= 0, "no learning panel"
    return html[start : html.find("</section>", start)]


def chart_of(html: str) -> ET.Element:
    start = html.index('<svg class="progress-chart"')
    return ET.fromstring(html[start : html.index("</svg>", start) + len("</svg>")])


@pytest.fixture
def own(team, caseworker):
    return ApplicantFactory(team=team, caseworker=caseworker, family_name="Haile", given_name="Selam")


def populate(applicant, *, enrolments: int, assessments: int, attendance: int, trainer):
    """Enrolments (the first with `attendance` marks spread over sessions), assessments with CEFR."""
    courses = [CourseFactory(trainers=[trainer]) for _ in range(enrolments)]
    rows = [EnrollmentFactory(course=course, applicant=applicant) for course in courses]
    per_course = max(1, attendance // enrolments)
    made = 0
    for enrollment in rows:
        for index in range(per_course):
            if made >= attendance:
                break
            session = SessionFactory(
                course=enrollment.course,
                starts_at=at(today() - timedelta(days=index % 55 + 1), 8 + index // 55),
            )
            AttendanceFactory(
                session=session, enrollment=enrollment, status="present" if index % 4 else "absent"
            )
            made += 1
    frameworks = [
        ("jft_basic", "A2", 210),
        ("trainer_cefr", "A1", None),
        ("placement", "B1", 300),
        ("jlpt", "N4", 100),
    ]
    for index in range(assessments):
        framework, level, score = frameworks[index % len(frameworks)]
        cefr = {"jft_basic": "A2", "trainer_cefr": "A1", "placement": "B1", "jlpt": "A2"}[framework]
        AssessmentFactory(
            applicant=applicant,
            framework=framework,
            level=level,
            score=score,
            cefr_level=cefr,
            assessed_on=today() - timedelta(days=20 * index + 1),
        )


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_applicant_page_query_count_is_fixed_with_the_panel_populated(
    role, request, client_for, team, caseworker, trainer
):
    client = client_for(request.getfixturevalue(role))
    few = ApplicantFactory(team=team, caseworker=caseworker)
    many = ApplicantFactory(team=team, caseworker=caseworker)
    populate(few, enrolments=1, assessments=1, attendance=1, trainer=trainer)
    populate(many, enrolments=6, assessments=12, attendance=200, trainer=trainer)
    page(client, few)  # warm the session
    path_few = learning_tab(few)
    path_many = learning_tab(many)
    with CaptureQueriesContext(connection) as small:
        client.get(path_few)
    with CaptureQueriesContext(connection) as large:
        response = client.get(path_many)
    html = panel_html(response.content.decode())
    assert html.count("data-enrollment-id=") == 6
    assert html.count('<tr data-assessment-id="') == 12
    assert len(small) == len(large), (len(small), len(large))
    print(
        f"\napplicant page with the learning panel, {role}: {len(small)} queries (1 row) / {len(large)} (many)"
    )


def test_panel_content(client_for, caseworker, trainer, own):
    course = CourseFactory(trainers=[trainer], name="Japanese A2 evening", capacity=1)
    full = CourseFactory(trainers=[trainer], name="Japanese B1 weekend", capacity=1)
    CourseFactory(
        trainers=[trainer],
        name="Old course",
        starts_on=today() - timedelta(days=200),
        ends_on=today() - timedelta(days=100),
    )
    dropped_course = CourseFactory(trainers=[trainer], name="IT basics")
    enrollment = EnrollmentFactory(course=course, applicant=own)
    EnrollmentFactory(course=full)  # someone else takes the only place
    EnrollmentFactory(
        course=dropped_course, applicant=own, status=EnrollmentStatus.DROPPED, drop_reason="Found a night job"
    )
    waiting_course = CourseFactory(trainers=[trainer], name="Business manners", capacity=1)
    EnrollmentFactory(course=waiting_course)
    EnrollmentFactory(course=waiting_course, status=EnrollmentStatus.WAITLISTED)
    EnrollmentFactory(course=waiting_course, applicant=own, status=EnrollmentStatus.WAITLISTED)
    for index, status in enumerate(["present", "late", "absent", "excused"]):
        session = SessionFactory(
            course=course, starts_at=at(today() - timedelta(days=7 * (index + 1))), duration_minutes=120
        )
        AttendanceFactory(session=session, enrollment=enrollment, status=status)
    AssessmentFactory(
        applicant=own,
        framework="jft_basic",
        level="A2",
        score=215,
        cefr_level="A2",
        assessed_on=today() - timedelta(days=5),
    )
    AssessmentFactory(
        applicant=own,
        framework="bjt",
        level="J4",
        score=250,
        cefr_level="",
        assessed_on=today() - timedelta(days=40),
    )

    html = panel_html(page(client_for(caseworker), own))
    assert "A2" in html and "JFT-Basic" in html
    assert "Japanese A2 evening" in html
    assert "67&nbsp;%" in html  # 2 attended of 3 counted (excused is left out)
    assert "4.0" in html  # hours: 2 sessions × 120 minutes
    assert "place 2 on the waiting list" in html
    assert "Found a night job" in html
    assert "BJT" in html and "J4" in html
    # Enrol form: current courses the person is not in; the full one says so; the ended one is absent.
    form = html[html.index('name="course"') : html.index("</select>")]
    assert "Japanese B1 weekend" in form and "full: waiting list" in form
    assert "IT basics" in form  # a dropped enrolment may be renewed
    assert "Japanese A2 evening" not in form and "Old course" not in form and "Business manners" not in form
    assert f'name="applicant" value="{own.reference_code}"' in html
    assert reverse("learning:enrol") in html
    assert reverse("learning:assessment_add", kwargs={"reference_code": own.reference_code}) in html
    # The chart: one point per assessment with a CEFR level (BJT has none), and the hours line.
    svg = chart_of(html)
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title") is not None and svg.find(f"{SVG}desc") is not None
    points = [el for el in svg.iter() if "level-point" in (el.get("class") or "")]
    assert len(points) == 1 and points[0].get("data-cefr") == "A2"
    hours = [el for el in svg.iter() if "hours-line" in (el.get("class") or "")]
    assert len(hours) == 1 and hours[0].get("data-hours") == "4.0"


@pytest.mark.parametrize("who", ["teammate", "other_caseworker", "other_supervisor"])
def test_no_panel_for_users_who_may_not_see_the_learning_data(who, request, client_for, own, trainer):
    EnrollmentFactory(course=CourseFactory(trainers=[trainer], name="Japanese A2 evening"), applicant=own)
    response = client_for(request.getfixturevalue(who)).get(learning_tab(own))
    if response.status_code == 200:  # a teammate reads a shared case: the profile, without learning
        html = response.content.decode()
        assert 'id="panel-learning"' not in html and "Japanese A2 evening" not in html
    else:
        assert response.status_code == 404


def test_panel_for_a_person_without_data_says_no_results_yet(client_for, caseworker, own):
    html = panel_html(page(client_for(caseworker), own))
    assert "No assessed level yet" in html
    assert "progress chart appears with the first assessment" in html
    assert "<svg" not in html.split("Courses")[0].split("Language progress")[1]


# --- The chart on its own -----------------------------------------------------------------------------


def point(pk, day, cefr, framework="jft_basic"):
    return LevelPoint(pk, day, cefr, framework, framework, cefr)


def test_chart_is_xml_with_one_marker_per_point_and_a_step_line():
    day = date(2026, 3, 1)
    points = [
        point(1, day, "A1", "trainer_cefr"),
        point(2, day + timedelta(days=60), "A2", "jft_basic"),
        point(3, day + timedelta(days=120), "B1", "jlpt"),
        point(4, day + timedelta(days=150), "B1", "placement"),
    ]
    minutes = [(day + timedelta(days=7 * i), 90) for i in range(20)]
    result = progress_chart(points, minutes, today=day + timedelta(days=160))
    svg = ET.fromstring(str(result.svg))
    markers = [el for el in svg.iter() if "level-point" in (el.get("class") or "")]
    assert [m.get("data-assessment-id") for m in markers] == ["1", "2", "3", "4"]
    tags = {m.get("data-assessment-id"): m.tag.replace(SVG, "") for m in markers}
    assert tags == {"1": "polygon", "2": "rect", "3": "circle", "4": "polygon"}
    official = [m.get("data-assessment-id") for m in markers if "official" in m.get("class").split()]
    assert official == ["2", "3"]
    assert svg.find(f"{SVG}polyline[@class='level-line']") is not None
    line = svg.find(f"{SVG}polyline[@class='hours-line']")
    assert line is not None and line.get("data-hours") == "30.0"
    # Higher CEFR levels are drawn higher (smaller y).
    ys = {
        m.get("data-cefr"): float(m.get("cy") or m.get("y") or m.get("points").split(",")[1].split()[0])
        for m in markers
    }
    assert ys["A1"] > ys["A2"] > ys["B1"]
    assert result.steps[-1].hours == 30.0 and "4 assessed levels" in result.summary


def test_chart_without_data_is_empty():
    result = progress_chart([], [], today=date(2026, 5, 1))
    assert result.is_empty and str(result.svg) == ""


def test_chart_escapes_labels():
    nasty = LevelPoint(1, date(2026, 1, 5), "A2", "placement", "<script>x</script>", "A2")
    svg = str(progress_chart([nasty], [], today=date(2026, 2, 1)).svg)
    assert "<script>" not in svg
    ET.fromstring(svg)


def test_the_panel_itself_runs_seven_queries(caseworker, own, trainer, django_assert_num_queries):
    from learning.ui.learners import applicant_panel_context

    populate(own, enrolments=3, assessments=5, attendance=40, trainer=trainer)
    caseworker.has_role("caseworker")  # the user's roles are read once per request, before the panels
    with django_assert_num_queries(7):
        context = applicant_panel_context(user=caseworker, applicant=own)
    assert context is not None and len(context["learning"].enrolments) == 3


def test_the_enrol_form_of_the_panel_enrols_and_comes_back(client_for, caseworker, own, trainer):
    course = CourseFactory(trainers=[trainer], name="Japanese A2 evening")
    client = client_for(caseworker)
    html = panel_html(page(client, own))
    form = html[html.index('<form method="post" action="') :]
    action = form.split('action="', 1)[1].split('"', 1)[0]
    next_url = form.split('name="next" value="', 1)[1].split('"', 1)[0]
    response = client.post(action, {"course": course.pk, "applicant": own.reference_code, "next": next_url})
    assert response.status_code == 302 and response["Location"] == next_url
    assert own.enrollments.get().course == course

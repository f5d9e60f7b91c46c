"""Every staff list page has its export: the menu on the page (carrying its filters), the columns on
screen, the list's filters and visible_to, and the page's roles."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.roles import Role
from learning.models import Course
from reports.selectors.catalogue import REPORTS
from reports.selectors.tables import table, tables
from tests.casework.applicant_factories import ApplicantFactory
from tests.casework.record_factories import TaskFactory
from tests.jobs.factories import EmployerFactory
from tests.learning.factories import CourseFactory

pytestmark = pytest.mark.django_db

# list page → (its table, a role that may open it)
LIST_PAGES = {
    "applicant_list": ("applicants", "caseworker"),
    "my_tasks": ("tasks", "caseworker"),
    "reminder_inbox": ("reminders", "caseworker"),
    "learning:course_list": ("courses", "trainer"),
    "learning:teaching": ("teaching", "trainer"),
    "jobs:employer_list": ("employers", "caseworker"),
    "jobs:opening_list": ("openings", "caseworker"),
    "jobs:referral_list": ("referrals", "caseworker"),
    "jobs:placement_list": ("placements", "caseworker"),
    "jobs:follow_up_list": ("follow-ups", "caseworker"),
}


def rows_of(response) -> list[list[str]]:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_every_list_page_and_every_report_has_a_registered_table():
    reports = {f"report-{key}" for key in REPORTS}
    assert {key for key, _role in LIST_PAGES.values()} | reports == {source.key for source in tables()}


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_the_list_page_has_the_menu_and_its_export_the_columns(name, role_users, client_for):
    key, role = LIST_PAGES[name]
    client = client_for(role_users[role])
    page = client.get(reverse(name), {"page": "1", "q": "x"} if name != "my_tasks" else {})
    assert page.status_code == 200
    html = page.content.decode()
    export_url = reverse("reports:export_start", args=[key])
    assert f"{export_url}?" in html and "format=csv" in html and "format=xlsx" in html
    response = client.get(export_url, {"format": "csv"})
    assert response.status_code == 200
    header = rows_of(response)[0]
    assert header == [str(column.label) for column in table(key).columns]
    xlsx = client.get(export_url, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue()), read_only=True).worksheets[0]
    assert list(next(sheet.iter_rows(values_only=True))) == header


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_the_export_has_the_pages_roles(name, role_users, client_for):
    key, _role = LIST_PAGES[name]
    page_url, export_url = reverse(name), reverse("reports:export_start", args=[key])
    for role, user in role_users.items():
        client = client_for(user)
        page_ok = client.get(page_url).status_code == 200
        assert (client.get(export_url).status_code == 200) == page_ok, role


def test_employers_with_filters_and_escaping(client_for, caseworker):
    EmployerFactory(name='=HYPERLINK("http://evil")', industry="construction")
    EmployerFactory(name="Sakura", industry="food_manufacturing")
    url = reverse("reports:export_start", args=["employers"])
    rows = rows_of(client_for(caseworker).get(url, {"format": "csv"}))
    assert sorted(row[0] for row in rows[1:]) == ['\'=HYPERLINK("http://evil")', "Sakura"]
    rows = rows_of(client_for(caseworker).get(url, {"format": "csv", "industry": "food_manufacturing"}))
    assert [row[:2] for row in rows[1:]] == [["Sakura", "Food manufacturing"]]
    bad = client_for(caseworker).get(url, {"format": "csv", "industry": "mining on the moon"})
    assert bad.status_code == 400 and "industry" in bad.content.decode()


def test_tasks_are_the_users_own(client_for, caseworker, other_caseworker, team, other_team):
    mine = TaskFactory(applicant=ApplicantFactory(team=team, caseworker=caseworker), assignee=caseworker)
    TaskFactory(
        applicant=ApplicantFactory(team=other_team, caseworker=other_caseworker), assignee=other_caseworker
    )
    rows = rows_of(
        client_for(caseworker).get(reverse("reports:export_start", args=["tasks"]), {"format": "csv"})
    )
    assert [row[0] for row in rows[1:]] == [mine.title]


def test_a_trainer_exports_only_their_courses(client_for, trainer, make_user):
    CourseFactory(name="Mine", trainers=[trainer])
    CourseFactory(name="Someone else's", trainers=[make_user(Role.TRAINER)])
    visible = set(Course.objects.visible_to(trainer).values_list("name", flat=True))
    url = reverse("reports:export_start", args=["courses"])
    rows = rows_of(client_for(trainer).get(url, {"format": "csv"}))
    assert {row[0] for row in rows[1:]} == visible
    rows = rows_of(client_for(trainer).get(url, {"format": "csv", "mine": "true"}))
    assert [row[0] for row in rows[1:]] == ["Mine"]
    rows = rows_of(
        client_for(trainer).get(reverse("reports:export_start", args=["teaching"]), {"format": "csv"})
    )
    assert [row[0] for row in rows[1:]] == ["Mine"]

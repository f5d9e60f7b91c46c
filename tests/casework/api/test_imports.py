"""The imports API (issue 18): the same steps as the pages, through the same services — upload, mapping,
dry run, rows, decisions, start, undo — with 400s naming the field, 403 and 404 where the matrix says."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from rest_framework.test import APIClient

from casework.models import Applicant, Import
from casework.roles import Role
from tests.casework.applicant_factories import ApplicantFactory

pytestmark = pytest.mark.django_db

CSV = "Family name,Given name,Date of birth,Nationality\nSILVA,Ana,1990-01-02,BR\nSILVA,Ana,1990-01-02,BR\nKHAN,Imran,1985-02-30,PK\n"


def on_commit():
    return TestCase.captureOnCommitCallbacks(execute=True)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def upload(client: APIClient, team, text: str = CSV, name: str = "people.csv"):
    return client.post(
        "/api/v1/imports/",
        {"kind": "applicants", "target": str(team.pk), "file": SimpleUploadedFile(name, text.encode())},
        format="multipart",
    )


def test_the_whole_flow_through_the_api(supervisor, team):
    client = api(supervisor)
    kinds = client.get("/api/v1/import-kinds/").json()
    applicants = next(kind for kind in kinds if kind["kind"] == "applicants")
    assert [str(team.pk), str(team)] in applicants["targets"] or any(
        t[0] == str(team.pk) for t in applicants["targets"]
    )
    assert "氏名" in next(f for f in applicants["fields"] if f["key"] == "full_name")["aliases"]

    response = upload(client, team)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "uploaded" and body["headers"][0] == "Family name"
    assert body["mapping"]["columns"]["family_name"] == "Family name"
    pk = body["id"]

    response = client.post(
        f"/api/v1/imports/{pk}/mapping/", {"columns": body["mapping"]["columns"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    with on_commit():
        response = client.post(f"/api/v1/imports/{pk}/check/")
    assert response.status_code == 202
    imp = Import.objects.get(pk=pk)
    assert (imp.rows_valid, imp.rows_error, imp.rows_duplicate) == (1, 1, 1)

    rows = client.get(f"/api/v1/imports/{pk}/rows/?show=errors").json()["results"]
    assert rows[0]["number"] == 4 and rows[0]["errors"][0][0] == "Date of birth"
    duplicates = client.get(f"/api/v1/imports/{pk}/rows/?show=duplicates").json()["results"]
    assert duplicates[0]["same_as_row"] == 2 and duplicates[0]["decision"] == "skip"

    response = client.post(f"/api/v1/imports/{pk}/decisions/", {"decisions": {"3": "create"}}, format="json")
    assert response.status_code == 200
    response = client.post(f"/api/v1/imports/{pk}/start/", {"mode": "all"}, format="json")
    assert response.status_code == 400 and "mode" in response.json()
    with on_commit():
        response = client.post(f"/api/v1/imports/{pk}/start/", {"mode": "valid"}, format="json")
    assert response.status_code == 202
    body = client.get(f"/api/v1/imports/{pk}/").json()
    assert body["status"] == "done" and body["created_count"] == 2 and body["failed_count"] == 1
    assert Applicant.objects.filter(family_name="SILVA").count() == 2

    with on_commit():
        response = client.post(f"/api/v1/imports/{pk}/undo/")
    assert response.status_code == 200 and response.json()["status"] == "undone"
    assert not Applicant.objects.filter(family_name="SILVA").exists()


def test_the_same_people_again_are_duplicates_of_the_database(supervisor, team):
    ApplicantFactory(
        family_name="SILVA", given_name="Ana", date_of_birth="1990-01-02", nationality="BR", team=team
    )
    client = api(supervisor)
    pk = upload(
        client, team, "Family name,Given name,Date of birth,Nationality\nSILVA,Ana,1990-01-02,BR\n"
    ).json()["id"]
    imp = Import.objects.get(pk=pk)
    client.post(f"/api/v1/imports/{pk}/mapping/", {"columns": imp.mapping["columns"]}, format="json")
    with on_commit():
        client.post(f"/api/v1/imports/{pk}/check/")
    row = client.get(f"/api/v1/imports/{pk}/rows/").json()["results"][0]
    assert row["verdict"] == "duplicate" and "SILVA" in row["candidates"][0]["label"]
    response = client.post(f"/api/v1/imports/{pk}/decisions/", {"decisions": {"2": "merge"}}, format="json")
    assert response.status_code == 400 and "decisions" in response.json()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "applicants"}, "target"),
        ({"kind": "nothing"}, "kind"),
        ({"kind": "applicants", "target": "TEAM", "file": "x"}, "file"),
        ({"kind": "applicants", "target": "999999"}, "target"),
    ],
)
def test_bad_uploads_name_the_field(supervisor, team, data, field):
    response = api(supervisor).post("/api/v1/imports/", data, format="multipart")
    assert response.status_code == 400
    assert field in response.json()


def test_a_nul_byte_or_renamed_pdf_is_a_400_naming_the_file(supervisor, team):
    client = api(supervisor)
    response = upload(client, team, "%PDF-1.4\n", name="people.xlsx")
    assert response.status_code == 400 and "file" in response.json()
    response = client.post(
        "/api/v1/imports/",
        {
            "kind": "applicants",
            "target": str(team.pk),
            "file": SimpleUploadedFile("bin.csv", b"\x00\x01\x02" * 100),
        },
        format="multipart",
    )
    assert response.status_code == 400 and "file" in response.json()


def test_bad_steps_are_400s_naming_the_field(supervisor, team):
    client = api(supervisor)
    pk = upload(client, team).json()["id"]
    response = client.post(
        f"/api/v1/imports/{pk}/mapping/", {"columns": {"family_name": "Nope"}}, format="json"
    )
    assert response.status_code == 400 and "family_name" in response.json()
    response = client.post(f"/api/v1/imports/{pk}/check/")
    assert response.status_code == 400 and "columns" in response.json()
    response = client.post(f"/api/v1/imports/{pk}/start/", {"mode": "valid"}, format="json")
    assert response.status_code == 400 and "status" in response.json()
    response = client.post(f"/api/v1/imports/{pk}/sheet/", {"sheet": "Nope"}, format="json")
    assert response.status_code == 400 and "sheet" in response.json()
    response = client.get(f"/api/v1/imports/{pk}/rows/?show=secret")
    assert response.status_code == 400 and "show" in response.json()


def test_roles(supervisor, team, trainer, employer, make_user):
    pk = upload(api(supervisor), team).json()["id"]
    assert api(employer).get("/api/v1/imports/").status_code == 403
    assert (
        api(employer).post("/api/v1/imports/", {"kind": "employers"}, format="multipart").status_code == 403
    )
    assert (
        api(trainer).post("/api/v1/imports/", {"kind": "applicants"}, format="multipart").status_code == 403
    )
    other = make_user(Role.SUPERVISOR, username="super-other")
    assert api(other).get(f"/api/v1/imports/{pk}/").status_code == 404
    assert api(other).post(f"/api/v1/imports/{pk}/undo/").status_code == 404
    assert APIClient().get("/api/v1/imports/").status_code == 401


def test_a_trainer_imports_attendance_into_their_own_courses_only(trainer, make_user):
    from tests.learning.factories import CourseFactory

    own = CourseFactory(trainers=[trainer])
    other = CourseFactory(trainers=[make_user(Role.TRAINER, username="trainer-other")])
    client = api(trainer)
    kinds = client.get("/api/v1/import-kinds/").json()
    assert [kind["kind"] for kind in kinds] == ["attendance"]
    assert [target[0] for target in kinds[0]["targets"]] == [str(own.pk)]
    grid = "氏名,2026/4/1\nLEE Min,○\n".encode()
    response = client.post(
        "/api/v1/imports/",
        {"kind": "attendance", "target": str(other.pk), "file": SimpleUploadedFile("grid.csv", grid)},
        format="multipart",
    )
    assert response.status_code == 400 and "target" in response.json()
    response = client.post(
        "/api/v1/imports/",
        {"kind": "attendance", "target": str(own.pk), "file": SimpleUploadedFile("grid.csv", grid)},
        format="multipart",
    )
    assert response.status_code == 201


def test_the_status_labels_are_proposed_but_a_bare_designated_activities_is_not(supervisor, team):
    client = api(supervisor)
    text = "氏名,在留資格,在留期限\nA B,特定活動,令和9年4月1日\nC D,定住者,令和9年4月1日\n"
    pk = upload(client, team, text).json()["id"]
    labels = client.get(f"/api/v1/imports/{pk}/status-labels/").json()
    assert labels == [{"label": "特定活動", "kind": ""}, {"label": "定住者", "kind": "long_term_resident"}]
    imp = Import.objects.get(pk=pk)
    client.post(
        f"/api/v1/imports/{pk}/mapping/",
        {"columns": imp.mapping["columns"], "statuses": {"特定活動": "da_humanitarian"}},
        format="json",
    )
    labels = client.get(f"/api/v1/imports/{pk}/status-labels/").json()
    assert labels[0] == {"label": "特定活動", "kind": "da_humanitarian"}

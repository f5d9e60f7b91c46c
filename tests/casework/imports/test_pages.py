"""The import pages (issue 18) with the real applicants importer: upload → mapping (statuses) → dry run →
decisions → import → report → undo, and bad input answered on the page naming the field, never a 500."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from openpyxl import Workbook

from casework.models import Applicant, ChangeRecord, Import, LegalStatusPeriod

pytestmark = pytest.mark.django_db

INTAKE = (
    "氏名,生年月日,国籍,在留資格,在留期限,在留カード番号\n"
    "NGUYEN Van An,1990/4/1,ベトナム,特定活動,令和9年4月1日,AB12345678CD\n"
    "PERERA Nimal,平成2年5月6日,スリランカ,定住者,R9.1.31,EF23456789GH\n"
    "HTUN Aung,1988/2/30,ミャンマー,定住者,R9.1.31,\n"
)


def on_commit():
    return TestCase.captureOnCommitCallbacks(execute=True)


def upload(
    client, text: str = INTAKE, *, team, kind: str = "applicants", name: str = "intake.csv", encoding="cp932"
):
    return client.post(
        reverse("import_new") + f"?kind={kind}",
        {"kind": kind, "target": str(team.pk), "file": SimpleUploadedFile(name, text.encode(encoding))},
    )


def test_a_supervisor_imports_people_through_the_pages(client_for, supervisor, team, caseworker):
    client = client_for(supervisor)
    response = upload(client, team=team)
    assert response.status_code == 302
    imp = Import.objects.get()
    assert imp.encoding == "cp932" and imp.target == str(team.pk)
    page = client.get(reverse("import_detail", args=[imp.pk]))
    assert page.status_code == 200
    assert "氏名" in page.content.decode()

    columns = imp.mapping["columns"]
    assert columns["full_name"] == "氏名" and columns["card_expiry"] == "在留期限"
    # The proposed status column's labels are there to be mapped with the columns.
    assert "特定活動" in page.content.decode() and "定住者" in page.content.decode()
    with on_commit():
        response = client.post(
            reverse("import_mapping", args=[imp.pk]),
            {**columns, "status-0": "da_refugee_applicant", "status-1": "long_term_resident"},
        )
    assert response.status_code == 302
    imp.refresh_from_db()
    assert imp.status == Import.Status.CHECKED, imp.error
    assert (imp.rows_valid, imp.rows_error, imp.rows_duplicate) == (2, 1, 0), list(
        imp.rows.values_list("errors", flat=True)
    )
    page = client.get(reverse("import_detail", args=[imp.pk]) + "?show=errors").content.decode()
    assert "生年月日" in page and "2026" not in page.split("1988/2/30")[0][-5:]

    response = client.post(reverse("import_start", args=[imp.pk]), {"mode": "all"})
    assert response.status_code == 400
    assert "rows have errors" in response.content.decode()
    with on_commit():
        response = client.post(reverse("import_start", args=[imp.pk]), {"mode": "valid"})
    imp.refresh_from_db()
    assert imp.status == Import.Status.DONE, imp.error
    assert (imp.created_count, imp.failed_count) == (2, 1)
    nguyen = Applicant.objects.get(family_name__iexact="NGUYEN")
    assert nguyen.team == team
    period = LegalStatusPeriod.objects.get(applicant=nguyen)
    assert period.status_kind == "da_refugee_applicant" and str(period.card_expiry_date) == "2027-04-01"
    assert ChangeRecord.objects.filter(applicant_id=nguyen.pk, source=imp.source).count() >= 2
    history = client.get(reverse("applicant_history", args=[nguyen.reference_code])).content.decode()
    assert f"from import #{imp.pk}" in history

    with on_commit():
        response = client.post(reverse("import_undo", args=[imp.pk]))
    assert response.status_code == 302
    assert not Applicant.objects.filter(pk=nguyen.pk).exists()
    imp.refresh_from_db()
    assert imp.status == Import.Status.UNDONE


def test_a_bare_designated_activities_label_is_never_guessed(client_for, supervisor, team):
    client = client_for(supervisor)
    upload(client, team=team)
    imp = Import.objects.get()
    page = client.get(reverse("import_detail", args=[imp.pk])).content.decode()
    # The select of the bare label has no option selected but the empty one; 定住者 is proposed.
    bare = page.split("特定活動</label>")[1].split("</select>")[0]
    assert "selected" not in bare.split('value=""')[1].split("</option>", 1)[1]
    with on_commit():
        client.post(
            reverse("import_mapping", args=[imp.pk]),
            {**imp.mapping["columns"], "status-1": "long_term_resident"},
        )
    imp.refresh_from_db()
    rows = {row.number: row for row in imp.rows.all()}
    assert rows[2].verdict == "error"
    assert any("特定活動" in message for _column, message in rows[2].errors)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("people.xlsx", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "not a CSV or Excel"),
        ("empty.csv", b"", "empty"),
        ("old.xls", bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 600, "not a CSV or Excel"),
    ],
)
def test_a_file_that_is_no_spreadsheet_is_answered_on_the_form(
    client_for, supervisor, team, name, content, says
):
    response = client_for(supervisor).post(
        reverse("import_new") + "?kind=applicants",
        {"kind": "applicants", "target": str(team.pk), "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Import.objects.exists()


def test_no_file_and_no_team_are_named(client_for, supervisor, team):
    response = client_for(supervisor).post(reverse("import_new") + "?kind=applicants", {"kind": "applicants"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose where to import" in body


def test_a_zip_bomb_disguised_as_xlsx_is_refused(client_for, supervisor, team):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (150 * 1024 * 1024))
    response = client_for(supervisor).post(
        reverse("import_new") + "?kind=applicants",
        {
            "kind": "applicants",
            "target": str(team.pk),
            "file": SimpleUploadedFile("bomb.xlsx", buffer.getvalue()),
        },
    )
    assert response.status_code == 400
    assert not Import.objects.exists()


def test_an_xlsx_with_a_hidden_sheet_asks_which_sheet(client_for, supervisor, team):
    workbook = Workbook()
    first = workbook.active
    first.title = "Hidden"
    first.append(["氏名"])
    first.append(["SECRET Person"])
    first.sheet_state = "hidden"
    second = workbook.create_sheet("Intake")
    second.append(["氏名", "生年月日"])
    second.append(["OMAR Ali", "1991/1/1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(supervisor)
    response = client.post(
        reverse("import_new") + "?kind=applicants",
        {
            "kind": "applicants",
            "target": str(team.pk),
            "file": SimpleUploadedFile("two.xlsx", buffer.getvalue()),
        },
    )
    assert response.status_code == 302
    imp = Import.objects.get()
    assert imp.sheet == "Intake"  # the only visible sheet was chosen
    page = client.get(reverse("import_detail", args=[imp.pk])).content.decode()
    assert "Hidden (hidden)" in page


def test_a_caseworker_imports_into_their_own_caseload_only(client_for, caseworker, other_team, team):
    client = client_for(caseworker)
    response = upload(client, team=other_team)
    assert response.status_code == 400
    assert not Import.objects.exists()
    assert upload(client, team=team).status_code == 302


def test_someone_elses_import_is_not_found(client_for, supervisor, make_user, team):
    from casework.roles import Role

    upload(client_for(supervisor), team=team)
    imp = Import.objects.get()
    other = make_user(Role.SUPERVISOR, username="super-other")
    client = client_for(other)
    assert client.get(reverse("import_detail", args=[imp.pk])).status_code == 404
    assert client.post(reverse("import_check", args=[imp.pk])).status_code == 404


def test_the_list_shows_the_kinds_a_trainer_may_import(client_for, trainer):
    from tests.learning.factories import CourseFactory

    assert "nothing you can import" in client_for(trainer).get(reverse("import_list")).content.decode()
    CourseFactory(trainers=[trainer])
    page = client_for(trainer).get(reverse("import_list")).content.decode()
    assert "kind=attendance" in page and "kind=applicants" not in page


def test_the_same_intake_file_twice_creates_nobody_the_second_time(client_for, supervisor, team):
    client = client_for(supervisor)
    text = INTAKE.replace("1988/2/30", "1988/2/3").replace("特定活動,", "定住者,")
    for round_ in (1, 2):
        upload(client, text, team=team)
        imp = Import.objects.order_by("-pk").first()
        if round_ == 2:
            page = client.get(reverse("import_detail", args=[imp.pk])).content.decode()
            assert "This same file was imported" in page
        with on_commit():
            client.post(
                reverse("import_mapping", args=[imp.pk]),
                {**imp.mapping["columns"], "status-0": "long_term_resident"},
            )
        imp.refresh_from_db()
        with on_commit():
            client.post(reverse("import_start", args=[imp.pk]), {"mode": "all"})
        imp.refresh_from_db()
        assert imp.status == Import.Status.DONE, imp.error
        if round_ == 1:
            assert imp.created_count == 3
        else:
            assert (imp.rows_duplicate, imp.created_count, imp.skipped_count) == (3, 0, 3)
    assert Applicant.objects.count() == 3


def _checked_import(user, rows: int) -> Import:
    from casework.models import ImportRow

    imp = Import.objects.create(
        organisation_id=user.organisation_id,
        created_by=user,
        kind="employers",
        file_name="list.csv",
        file_hash="1" * 64,
        file_format="csv",
        encoding="utf-8",
        sheets=[{"name": "", "hidden": False, "rows": rows + 1}],
        headers=["Company"],
        header_row=1,
        mapping={"columns": {"name": "Company"}, "statuses": {}},
        status=Import.Status.DONE,
        rows_total=rows,
    )
    from django.utils import timezone

    Import.objects.filter(pk=imp.pk).update(checked_at=timezone.now(), finished_at=timezone.now())
    ImportRow.objects.bulk_create(
        ImportRow(
            import_run=imp,
            number=number + 2,
            verdict=ImportRow.Verdict.ERROR,
            errors=[["Company", "Enter the name."]],
            candidates=[{"pk": 1, "label": "X"}],
            outcome=ImportRow.Outcome.FAILED,
        )
        for number in range(rows)
    )
    imp.refresh_from_db()
    return imp


def test_the_import_pages_make_a_fixed_number_of_queries(client_for, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(supervisor)
    counts = []
    for imports, rows in ((2, 5), (20, 60)):
        while Import.objects.count() < imports:
            last = _checked_import(supervisor, rows)
        with CaptureQueriesContext(connection) as listed:
            assert client.get(reverse("import_list")).status_code == 200
        with CaptureQueriesContext(connection) as shown:
            assert client.get(reverse("import_detail", args=[last.pk]) + "?show=all").status_code == 200
        counts.append((len(listed), len(shown)))
    assert counts[0] == counts[1], counts

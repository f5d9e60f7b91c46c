"""The employers importer (issue 18): an employer list with one contact person a row, called as the import
framework calls it (prepare → parse → find_duplicates → save), with cells as a spreadsheet gives them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.cells import Cell
from casework.services.importers import CREATE, SKIP, UPDATE, ParsedRow, importer_for, importers_for
from jobs.models import Employer, EmployerContact
from jobs.services import employer_import as importer
from tests.jobs.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def row(number: int, **values) -> ParsedRow:
    return ParsedRow(number=number, values={key: Cell(value) for key, value in values.items()})


def run(user, rows, mapping=None):
    context = importer.prepare(by=user, target=None, mapping=mapping or {})
    for each in rows:
        importer.parse(context=context, row=each)
    importer.find_duplicates(context=context, rows=[each for each in rows if not each.errors])
    return context


def existing(user, name="株式会社さくら食品", **values):
    return EmployerFactory(organisation=user.organisation, name=name, **values)


def test_registered_for_staff_who_write_employers(caseworker, supervisor, administrator, trainer, employer):
    assert importer_for("employers") is importer.IMPORTER
    assert importer.IMPORTER.decisions == (SKIP, CREATE, UPDATE) and importer.IMPORTER.targets is None
    for user in (caseworker, supervisor, administrator):
        assert importer.IMPORTER in importers_for(user)
    for user in (trainer, employer):
        assert importer.IMPORTER not in importers_for(user)
        with pytest.raises(PermissionDenied):
            importer.prepare(by=user, target=None, mapping={})


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("株式会社さくら食品", "さくら食品(株)"),
        ("株式会社 さくら食品", "㈱さくら食品"),
        ("ｻｸﾗ食品", "サクラ 食品"),
        ("Sakura Foods Co., Ltd.", "SAKURA FOODS"),
        ("Sakura Foods Inc.", "sakura-foods"),
        ("ＡＢＣ商事　有限会社", "ABC商事(有)"),
    ],
)
def test_company_key_ignores_legal_forms_spacing_and_width(one, other):
    assert importer.company_key(one) == importer.company_key(other) != ""


def test_a_japanese_list_creates_employers_and_contacts(caseworker):
    rows = [
        row(
            2,
            name="株式会社　みなと介護",
            name_kana="ミナトカイゴ",
            industry="介護・看護",
            prefecture="神奈川",
            address="横浜市中区１－２－３",
            size_band="１２０人",
            notes="夜勤あり",
            contact_name="山田 花子",
            contact_role="人事部",
            contact_email="ｈａｎａｋｏ@minato.example.jp",
            contact_phone="045-000-0000",
        ),
        row(3, name="Tokyo Build", industry="Construction", address="東京都江東区1-1"),
    ]
    context = run(caseworker, rows)
    assert [each.errors for each in rows] == [[], []]
    saved = [importer.save(by=caseworker, context=context, row=each) for each in rows]
    assert [len(each.created) for each in saved] == [2, 1]
    minato = Employer.objects.get(name="株式会社 みなと介護")
    assert (minato.industry, minato.prefecture, minato.size_band) == ("care", "14", "50-299")
    contact = minato.contacts.get()
    assert (contact.name, contact.role, contact.email, contact.is_primary) == (
        "山田 花子",
        "人事部",
        "hanako@minato.example.jp",
        True,
    )
    assert Employer.objects.get(name="Tokyo Build").prefecture == "13"  # from the address


def test_a_whole_address_in_the_prefecture_column(caseworker):
    rows = [row(2, name="大阪ロジ", industry="物流", prefecture="大阪府大阪市北区1-1")]
    run(caseworker, rows)
    assert rows[0].errors == []
    assert (rows[0].data["prefecture"], rows[0].data["address"]) == ("27", "大阪府大阪市北区1-1")


def test_bad_cells_are_errors_naming_their_field(caseworker):
    rows = [
        row(2, name="", industry="製造"),
        row(3, name="A社", industry="宇宙開発"),
        row(4, name="B社", industry="製造", prefecture="Atlantis"),
        row(5, name="C社", industry="製造", size_band="many"),
        row(6, name="D社", industry="製造", contact_email="x@example.jp"),
    ]
    run(caseworker, rows)
    assert [[key for key, _message in each.errors] for each in rows] == [
        ["name"],
        ["industry"],
        ["prefecture"],
        ["size_band"],
        ["contact_name"],
    ]


def test_service_errors_name_the_import_fields(caseworker):
    rows = [
        row(2, name="E社", contact_name="佐藤", contact_email="not-an-address")
    ]  # no industry, prefecture
    context = run(caseworker, rows)
    with pytest.raises(ValidationError) as raised:
        importer.save(by=caseworker, context=context, row=rows[0])
    assert set(raised.value.message_dict) == {"industry", "prefecture"}
    assert importer.IMPORTER.field_map["industry"] == "industry"
    rows = [
        row(
            2,
            name="E社",
            industry="製造",
            prefecture="東京都",
            contact_name="佐藤",
            contact_email="not-an-address",
        )
    ]
    context = run(caseworker, rows)
    with pytest.raises(ValidationError) as raised:
        importer.save(by=caseworker, context=context, row=rows[0])
    assert set(raised.value.message_dict) == {"contact_email"}


def test_the_same_company_twice_in_a_file_is_a_repeated_row(caseworker):
    rows = [
        row(2, name="株式会社さくら食品", industry="食品", prefecture="東京", contact_name="山田"),
        row(3, name="さくら食品（株）", contact_name="鈴木", contact_email="suzuki@sakura.example.jp"),
    ]
    context = run(caseworker, rows)
    assert rows[0].key == rows[1].key
    importer.save(by=caseworker, context=context, row=rows[0])
    # The framework's repeated row, updated: the contact is added to the employer the first row made.
    saved = importer.save(by=caseworker, context=context, row=rows[1], decision=UPDATE, candidate=None)
    employer = Employer.objects.get()
    assert [each.name for each in employer.contacts.all()] == ["山田", "鈴木"]
    assert saved.created == [EmployerContact.objects.get(name="鈴木")]


def test_an_existing_employer_is_a_candidate_and_update_fills_it(caseworker):
    sakura = existing(caseworker, industry="food_manufacturing", prefecture="13", notes="長年の取引先")
    EmployerContact.objects.create(
        employer=sakura, name="山田 太郎", email="yamada@sakura.example.jp", is_primary=True
    )
    rows = [
        row(
            2,
            name="さくら食品(株)",
            industry="製造業",
            address="東京都大田区1-2",
            notes="寮あり",
            contact_name="山田　太郎",
            contact_phone="03-0000-0000",
        ),
        row(3, name="さくら食品", contact_name="鈴木 一郎", contact_email="suzuki@sakura.example.jp"),
    ]
    context = run(caseworker, rows)
    assert [[candidate.pk for candidate in each.candidates] for each in rows] == [[sakura.pk], [sakura.pk]]
    first = importer.save(
        by=caseworker, context=context, row=rows[0], decision=UPDATE, candidate=rows[0].candidates[0]
    )
    sakura.refresh_from_db()
    assert (sakura.name, sakura.industry, sakura.address) == (
        "株式会社さくら食品",
        "manufacturing",
        "東京都大田区1-2",
    )
    assert sakura.notes == "長年の取引先\n寮あり"
    assert first.updated[0] == (
        sakura,
        {"industry": "food_manufacturing", "address": "", "notes": "長年の取引先"},
    )
    yamada = sakura.contacts.get(name="山田 太郎")
    assert yamada.phone == "03-0000-0000" and first.updated[1] == (yamada, {"phone": ""})
    second = importer.save(
        by=caseworker, context=context, row=rows[1], decision=UPDATE, candidate=rows[1].candidates[0]
    )
    assert [each.name for each in second.created] == ["鈴木 一郎"]
    assert not sakura.contacts.get(name="鈴木 一郎").is_primary
    # The same file again changes nothing more.
    again = importer.save(
        by=caseworker, context=context, row=rows[0], decision=UPDATE, candidate=rows[0].candidates[0]
    )
    assert again.created == [] and again.updated == []


def test_create_anyway_makes_a_second_employer_unless_the_name_is_the_same(caseworker):
    existing(caseworker)
    rows = [
        row(2, name="さくら食品(株)", industry="食品", prefecture="13"),
        row(3, name="株式会社さくら食品", industry="食品", prefecture="13"),
    ]
    context = run(caseworker, rows)
    assert importer.save(by=caseworker, context=context, row=rows[0], decision=CREATE).created
    with pytest.raises(ValidationError) as raised:
        importer.save(by=caseworker, context=context, row=rows[1], decision=CREATE)
    assert set(raised.value.message_dict) == {"name"}


def test_duplicates_are_found_in_a_fixed_number_of_queries(caseworker):
    for n in range(50):
        existing(caseworker, name=f"株式会社テスト{n}")
    context = importer.prepare(by=caseworker, target=None, mapping={})

    def count(size: int) -> int:
        rows = [row(n + 2, name=f"テスト{n}(株)", industry="製造") for n in range(size)]
        with CaptureQueriesContext(connection) as parsing:
            for each in rows:
                importer.parse(context=context, row=each)
        assert len(parsing) == 0
        with CaptureQueriesContext(connection) as queries:
            importer.find_duplicates(context=context, rows=rows)
        assert all(len(each.candidates) == 1 for each in rows)
        return len(queries)

    assert count(5) == count(50) == 1


def test_other_organisations_employers_are_not_candidates(caseworker):
    from casework.models import Organisation

    elsewhere = Organisation.objects.create(name="Another NPO")
    EmployerFactory(organisation=elsewhere, name="株式会社さくら食品")
    rows = [row(2, name="さくら食品", industry="食品")]
    run(caseworker, rows)
    assert rows[0].candidates == []

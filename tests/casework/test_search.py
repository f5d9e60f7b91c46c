"""Search finds a person by any form of a name, alias, reference code or card number."""

from datetime import date

import pytest

from casework import selectors, services
from casework.models import Applicant


@pytest.fixture
def people(caseworker):
    nguyen = services.applicant_register(
        by=caseworker,
        data={
            "family_name": "Nguyen",
            "given_name": "Van A",
            "name_katakana": "グエン・ヴァン・ア",
            "date_of_birth": date(1990, 5, 1),
            "nationality": "VN",
        },
    )
    suriya = services.applicant_register(
        by=caseworker,
        data={
            "family_name": "Perera",
            "given_name": "Suriya",
            "name_katakana": "スリヤ・ペレラ",
            "nationality": "LK",
        },
        aliases=["Sooriya Perera"],
    )
    nguyet = services.applicant_register(
        by=caseworker, data={"family_name": "Tran", "given_name": "Nguyet", "nationality": "VN"}
    )
    services.legal_period_record(
        by=caseworker,
        applicant=suriya,
        data={
            "status_kind": "da_refugee_applicant",
            "start_date": date(2026, 6, 1),
            "end_date": date(2026, 11, 30),
        },
        card_number="ab 1234-5678 cd",
    )
    return nguyen, suriya, nguyet


def found(caseworker, query):
    return list(selectors.search_applicants(Applicant.objects.visible_to(caseworker), query))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["グエン", "ｸﾞｴﾝ", "ぐえん", "nguyen", "NGUYEN van a", "Van A Nguyen", "Nguyễn", "グエン ヴァン"]
)
def test_nguyen_is_found_by_every_form(people, caseworker, query):
    nguyen = people[0]
    assert nguyen in found(caseworker, query)
    assert people[1] not in found(caseworker, query)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ｽﾘﾔ", "suriya", "スーリヤ", "すりや", "sooriya"])
def test_suriya_is_found(people, caseworker, query):
    assert found(caseworker, query) == [people[1]]


@pytest.mark.django_db
def test_reference_code_and_card_number(people, caseworker):
    nguyen, suriya, _ = people
    assert found(caseworker, nguyen.reference_code) == [nguyen]
    assert found(caseworker, nguyen.reference_code.lower()) == [nguyen]
    assert found(caseworker, "ＡＢ１２３４５６７８ＣＤ") == [suriya]
    assert found(caseworker, "AB12345678CE") == []


@pytest.mark.django_db
def test_negative_cases(people, caseworker):
    nguyen, _, nguyet = people
    results = found(caseworker, "Nguyet")
    assert results[:1] == [nguyet]
    assert nguyen not in results
    assert found(caseworker, "Oyelaran") == []

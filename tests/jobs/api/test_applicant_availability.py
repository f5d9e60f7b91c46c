"""The applicant API reads and writes the availability fields that matching filters on (issue 15)."""

from __future__ import annotations

import pytest

from casework.models import Applicant

pytestmark = pytest.mark.django_db


def test_availability_round_trip(api_for, caseworker, person):
    client = api_for(caseworker)
    url = f"/api/v1/applicants/{person.reference_code}/"
    answer = client.patch(
        url,
        {
            "version": person.version,
            "available_from": "2030-01-06",
            "hours_per_week_wanted": 30,
            "available_days": ["tue", "mon"],
            "available_shifts": ["day", "evening"],
            "commute_prefectures": ["Kanagawa", "13"],
        },
        format="json",
    )
    assert answer.status_code == 200, answer.content
    body = client.get(url).json()
    assert body["available_from"] == "2030-01-06" and body["hours_per_week_wanted"] == 30
    assert body["available_days"] == ["mon", "tue"]
    assert body["available_shifts"] == ["day", "evening"]
    assert body["commute_prefectures"] == ["13", "14"]
    assert Applicant.objects.get(pk=person.pk).commute_prefectures == ",13,14,"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("commute_prefectures", ["Atlantis"]),
        ("available_days", ["someday"]),
        ("available_shifts", ["dawn"]),
        ("hours_per_week_wanted", 0),
    ],
)
def test_bad_availability_names_the_field(api_for, caseworker, person, field, value):
    answer = api_for(caseworker).patch(
        f"/api/v1/applicants/{person.reference_code}/",
        {"version": person.version, field: value},
        format="json",
    )
    assert answer.status_code == 400 and field in answer.json(), answer.content
    assert Applicant.objects.get(pk=person.pk).version == person.version

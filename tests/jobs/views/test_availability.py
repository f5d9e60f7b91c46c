"""Availability on the applicant profile form: saved as codes, shown back, bad values named."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def edit_data(client, applicant, **changes):
    form = client.get(reverse("applicant_edit", args=[applicant.reference_code])).context["form"]
    data = {key: ("" if value is None else value) for key, value in form.initial.items()}
    data["intake_date"] = applicant.intake_date.isoformat()
    data.update(changes)
    return data


def test_availability_is_saved_and_shown_back(client_for, caseworker, own_person):
    client = client_for(caseworker)
    url = reverse("applicant_edit", args=[own_person.reference_code])
    data = edit_data(
        client,
        own_person,
        available_from="2030-04-01",
        hours_per_week_wanted="30",
        available_days=["mon", "wed"],
        available_shifts=["day", "evening"],
        commute_prefectures=["13", "11"],
    )
    assert client.post(url, data).status_code == 302
    own_person.refresh_from_db()
    assert str(own_person.available_from) == "2030-04-01" and own_person.hours_per_week_wanted == 30
    assert own_person.available_days == ",mon,wed,"
    assert own_person.available_shifts == ",day,evening,"
    assert own_person.commute_prefectures == ",11,13,"
    initial = client.get(url).context["form"].initial
    assert initial["available_days"] == ["mon", "wed"] and initial["commute_prefectures"] == ["11", "13"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours_per_week_wanted": "0"}, "hours_per_week_wanted"),
        ({"hours_per_week_wanted": "many"}, "hours_per_week_wanted"),
        ({"available_days": ["someday"]}, "available_days"),
        ({"available_shifts": ["dawn"]}, "available_shifts"),
        ({"commute_prefectures": ["99"]}, "commute_prefectures"),
        ({"available_from": "1990-01-01"}, "available_from"),
    ],
)
def test_bad_availability_is_named_and_not_saved(client_for, caseworker, own_person, change, field):
    client = client_for(caseworker)
    url = reverse("applicant_edit", args=[own_person.reference_code])
    response = client.post(url, edit_data(client, own_person, **change))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    own_person.refresh_from_db()
    assert own_person.version == 1

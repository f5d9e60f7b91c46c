"""The "Right to work checked" section of the applicant's Legal status tab: the list, adding a check in
place with htmx and as a plain form post, bad input next to its field, access per role, queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from casework import services
from casework.models import RightToWorkCheck

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def today():
    return timezone.localdate()


@pytest.fixture
def own(caseworker):
    return services.applicant_register(
        by=caseworker, data={"family_name": "Haile", "given_name": "Meron", "nationality": "ER"}
    )


def add_url(applicant) -> str:
    return reverse("applicant_right_to_work_check_add", kwargs={"reference_code": applicant.reference_code})


def legal_tab(applicant) -> str:
    return reverse("applicant_detail", kwargs={"reference_code": applicant.reference_code}) + "?tab=legal"


def form_data(**values):
    data = {
        "rtw-checked_on": today().isoformat(),
        "rtw-saw_residence_card": "on",
        "rtw-saw_designation_paper": "on",
        "rtw-note": "",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def test_the_legal_tab_lists_the_checks_newest_first_with_who_and_what(
    client_for, caseworker, supervisor, own
):
    services.right_to_work_check_record(
        by=caseworker,
        applicant=own,
        data={"checked_on": today() - timedelta(days=40), "saw_residence_card": True, "note": "Card only"},
    )
    services.right_to_work_check_record(
        by=supervisor,
        applicant=own,
        data={
            "checked_on": today() - timedelta(days=2),
            "saw_residence_card": True,
            "saw_designation_paper": True,
        },
    )
    html = client_for(caseworker).get(legal_tab(own)).content.decode()
    section = html[html.index('id="right-to-work"') :]
    section = section[: section.index("</section>")]
    assert "Right to work checked" in html
    assert section.index("Residence card and designation paper") < section.index("Residence card only")
    assert str(supervisor) in section and str(caseworker) in section and "Card only" in section
    assert f'datetime="{(today() - timedelta(days=2)).isoformat()}"' in section
    assert 'action="' + add_url(own) + '"' in section and 'hx-post="' + add_url(own) + '"' in section


def test_no_check_yet_says_so_and_offers_the_form(client_for, caseworker, own):
    html = client_for(caseworker).get(legal_tab(own)).content.decode()
    assert "No right-to-work check recorded." in html
    assert 'name="rtw-saw_designation_paper"' in html
    assert f'name="rtw-checked_on" value="{today().isoformat()}"' in html  # today by default


def test_add_in_place_with_htmx(client_for, caseworker, own):
    response = client_for(caseworker).post(add_url(own), form_data(**{"rtw-note": "Seen at intake"}), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="right-to-work"')  # the section only, swapped in place
    assert "<html" not in html
    assert "The right-to-work check is recorded." in html and "Seen at intake" in html
    assert 'id="legal-summary"' not in html  # the header's legal facts did not change
    check = RightToWorkCheck.objects.get(applicant=own)
    assert check.checked_by == caseworker and check.saw_residence_card and check.saw_designation_paper


def test_add_without_javascript_lands_back_on_the_section(client_for, caseworker, own):
    client = client_for(caseworker)
    response = client.post(add_url(own), form_data(**{"rtw-saw_designation_paper": None}))
    assert response.status_code == 302
    assert response["Location"] == legal_tab(own) + "#right-to-work"
    check = RightToWorkCheck.objects.get(applicant=own)
    assert check.saw_residence_card and not check.saw_designation_paper
    page = client.get(response["Location"]).content.decode()
    assert "The right-to-work check is recorded." in page and "Residence card only" in page


def test_the_form_page_without_javascript(client_for, caseworker, own):
    response = client_for(caseworker).get(add_url(own))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Record a right-to-work check" in html and 'name="rtw-checked_on"' in html


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"rtw-checked_on": ""}, "checked_on", "Enter the day you saw the documents."),
        (
            {"rtw-checked_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "checked_on",
            "The check cannot be in the future.",
        ),
        ({"rtw-checked_on": "yesterday"}, "checked_on", "Enter a valid date."),
        (
            {"rtw-saw_residence_card": None, "rtw-saw_designation_paper": None},
            "saw_residence_card",
            "Tick the documents you saw: the residence card, the designation paper, or both.",
        ),
    ],
    ids=["no date", "future", "not a date", "no document"],
)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_bad_input_is_shown_next_to_its_field(client_for, caseworker, own, values, field, message, htmx):
    headers = HTMX if htmx else {}
    response = client_for(caseworker).post(add_url(own), form_data(**values), **headers)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    if htmx:
        assert html.startswith('<section id="right-to-work"') and '<details class="add-record" open>' in html
    else:
        assert "<html" in html
    assert [str(error) for error in response.context["form"].errors[field]] == [message]
    assert not RightToWorkCheck.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("teammate", 403), ("other_caseworker", 404), ("trainer", 403), ("employer", 403)],
)
def test_who_may_not_record_is_refused_and_nothing_is_written(client_for, request, own, who, status):
    client = client_for(request.getfixturevalue(who))
    assert client.post(add_url(own), form_data(), **HTMX).status_code == status
    assert client.post(add_url(own), form_data()).status_code == status
    assert not RightToWorkCheck.objects.exists()


def test_a_teammate_reading_the_shared_case_sees_no_checks(client_for, caseworker, teammate, own):
    services.right_to_work_check_record(
        by=caseworker,
        applicant=own,
        data={"checked_on": today(), "saw_residence_card": True, "note": "secret"},
    )
    html = client_for(teammate).get(legal_tab(own)).content.decode()
    assert 'id="right-to-work"' not in html and "secret" not in html


def test_the_supervisor_records_for_the_teams_case(client_for, supervisor, own):
    response = client_for(supervisor).post(add_url(own), form_data(), **HTMX)
    assert response.status_code == 200
    assert RightToWorkCheck.objects.get(applicant=own).checked_by == supervisor


def test_the_section_in_japanese(client_for, caseworker, own):
    services.right_to_work_check_record(
        by=caseworker, applicant=own, data={"checked_on": today(), "saw_designation_paper": True}
    )
    client = client_for(caseworker)
    with translation.override("ja"):
        html = client.get(legal_tab(own), HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "就労資格の確認" in html and "指定書のみ" in html
    assert "Right to work checked" not in html


def _checks(applicant, by, count):
    RightToWorkCheck.objects.bulk_create(
        [
            RightToWorkCheck(
                applicant=applicant,
                checked_on=today() - timedelta(days=index),
                saw_residence_card=True,
                saw_designation_paper=bool(index % 2),
                checked_by=by,
            )
            for index in range(count)
        ]
    )


def test_the_legal_tab_runs_the_same_queries_with_1_and_30_checks(client_for, caseworker, supervisor, own):
    many = services.applicant_register(by=caseworker, data={"given_name": "Many"})
    _checks(own, caseworker, 1)
    _checks(many, supervisor, 15)
    _checks(many, caseworker, 15)
    client = client_for(caseworker)
    client.get(legal_tab(own))  # warm up
    with CaptureQueriesContext(connection) as few:
        client.get(legal_tab(own))
    with CaptureQueriesContext(connection) as lots:
        response = client.get(legal_tab(many))
    assert response.content.decode().count("Residence card only") == 16  # 8 of each 15
    assert len(lots.captured_queries) == len(few.captured_queries)
    with CaptureQueriesContext(connection) as section:
        client.post(add_url(many), form_data(), **HTMX)
    with CaptureQueriesContext(connection) as section_few:
        client.post(add_url(own), form_data(), **HTMX)
    assert len(section.captured_queries) == len(section_few.captured_queries)

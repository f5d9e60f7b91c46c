"""Issue 19, found by the security test: reads of whole case files that left no trace, and card numbers
typed into search that travelled in addresses.

- Lists (API, the applicant list page, the admin's lists) returned full records and logged nothing, so
  paging through a list copied a caseload without trace. Every list page now writes one ``list_view``
  access-log entry per person it showed (one insert); detail reads in the admin are logged like the pages.
- Note, consent and learner detail reads are logged as case-file reads.
- A residence card number searched on the list or in the top bar went into the query string. The search
  forms post; the list's address carries the number's keyed hash (``card=``), never the number.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from casework import crypto, names
from casework.audit import person_path
from casework.models import AccessLogEntry, Applicant, Consent, LegalStatusPeriod
from learning.models import Attendance, Enrollment
from tests.casework.applicant_factories import ApplicantFactory, LegalStatusPeriodFactory
from tests.casework.record_factories import CaseNoteFactory
from tests.learning.factories import AttendanceFactory, CourseFactory, EnrollmentFactory

pytestmark = pytest.mark.django_db

LISTED = AccessLogEntry.Kind.LIST_VIEW


def listed(actor) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(actor=actor, kind=LISTED).order_by("pk"))


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_every_person_on_an_api_list_page_is_logged_as_listed(caseworker, team):
    people = [ApplicantFactory(team=team, caseworker=caseworker) for _ in range(30)]
    response = api_for(caseworker).get("/api/v1/applicants/")
    assert response.status_code == 200
    shown = {row["id"] for row in response.json()["results"]}
    assert len(shown) == 25
    entries = listed(caseworker)
    assert {entry.applicant_id for entry in entries} == shown
    assert len(entries) == 25
    assert entries[0].detail == {"via": "api", "list": "applicant"}
    # The second page logs the other five, nobody twice.
    api_for(caseworker).get("/api/v1/applicants/?page=2")
    assert {entry.applicant_id for entry in listed(caseworker)} == {person.pk for person in people}


def test_a_list_of_legal_records_logs_their_people(caseworker, team):
    person = ApplicantFactory(team=team, caseworker=caseworker)
    LegalStatusPeriodFactory(applicant=person)
    response = api_for(caseworker).get("/api/v1/legal-status-periods/")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert [(entry.applicant_id, entry.detail["list"]) for entry in listed(caseworker)] == [
        (person.pk, "legal-status-period")
    ]


def test_a_record_two_hops_from_its_person_is_logged_under_the_person(administrator, team, caseworker):
    learner = ApplicantFactory(team=team, caseworker=caseworker)
    attendance = AttendanceFactory(enrollment__applicant=learner)
    response = api_for(administrator).get("/api/v1/attendance/")
    assert response.status_code == 200, response.content
    assert attendance.pk in {row["id"] for row in response.json()["results"]}
    assert learner.pk in {entry.applicant_id for entry in listed(administrator)}


def test_the_person_path_of_each_kind_of_record():
    assert person_path(Applicant) == "pk"
    assert person_path(LegalStatusPeriod) == "applicant_id"
    assert person_path(Enrollment) == "applicant_id"
    assert person_path(Attendance) == "enrollment__applicant_id"
    assert person_path(AccessLogEntry) == "applicant_id"


def test_an_empty_list_logs_nothing(caseworker):
    assert api_for(caseworker).get("/api/v1/applicants/").status_code == 200
    assert listed(caseworker) == []


def test_the_applicant_list_page_logs_the_people_it_showed(client_for, caseworker, team):
    people = [ApplicantFactory(team=team, caseworker=caseworker) for _ in range(3)]
    response = client_for(caseworker).get(reverse("applicant_list"))
    assert response.status_code == 200
    entries = listed(caseworker)
    assert sorted(entry.applicant_id for entry in entries) == sorted(person.pk for person in people)
    assert entries[0].detail == {"via": "page", "list": "applicant_list"}


def test_the_admin_logs_its_lists_and_change_pages(client_for, administrator, caseworker, team):
    person = ApplicantFactory(team=team, caseworker=caseworker)
    period = LegalStatusPeriodFactory(applicant=person)
    client = client_for(administrator)
    assert client.get(reverse("admin:casework_applicant_changelist")).status_code == 200
    assert [(entry.applicant_id, entry.detail) for entry in listed(administrator)] == [
        (person.pk, {"via": "admin", "list": "casework.applicant"})
    ]
    assert client.get(reverse("admin:casework_applicant_change", args=[person.pk])).status_code == 200
    assert client.get(reverse("admin:casework_legalstatusperiod_change", args=[period.pk])).status_code == 200
    reads = AccessLogEntry.objects.filter(actor=administrator, detail__via="admin").exclude(kind=LISTED)
    assert [(entry.kind, entry.applicant_id, entry.detail["via"]) for entry in reads.order_by("pk")] == [
        (AccessLogEntry.Kind.APPLICANT_VIEW, person.pk, "admin"),
        (AccessLogEntry.Kind.LEGAL_VIEW, person.pk, "admin"),
    ]


def test_note_and_consent_reads_are_logged_as_case_file_reads(caseworker, team):
    person = ApplicantFactory(team=team, caseworker=caseworker)
    note = CaseNoteFactory(applicant=person, author=caseworker, text="Fled in 2019 with her brother")
    consent = Consent.objects.create(
        applicant=person, purpose="sensitive_information", granted_on=date(2026, 1, 5), recorded_by=caseworker
    )
    client = api_for(caseworker)
    assert client.get(f"/api/v1/notes/{note.pk}/").status_code == 200
    assert client.get(f"/api/v1/consents/{consent.pk}/").status_code == 200
    reads = AccessLogEntry.objects.filter(actor=caseworker, kind=AccessLogEntry.Kind.APPLICANT_VIEW)
    assert [entry.detail["record"] for entry in reads.order_by("pk")] == [
        "casework.casenote",
        "casework.consent",
    ]
    assert all(entry.applicant_id == person.pk for entry in reads)
    # The access log never repeats the note's words.
    assert not any("Fled" in entry.object_label for entry in reads)


def test_a_learner_page_read_is_logged(client_for, trainer, team, caseworker):
    learner = ApplicantFactory(team=team, caseworker=caseworker)
    EnrollmentFactory(applicant=learner, course=CourseFactory(trainers=[trainer]))
    response = client_for(trainer).get(reverse("learning:learner_detail", args=[learner.reference_code]))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(actor=trainer, kind=AccessLogEntry.Kind.APPLICANT_VIEW)
    assert (entry.applicant_id, entry.detail) == (learner.pk, {"via": "page", "page": "learner"})


CARD = "AB12345678CD"


def _person_with_card(team, caseworker) -> Applicant:
    person = ApplicantFactory(team=team, caseworker=caseworker)
    LegalStatusPeriodFactory(
        applicant=person, card_number_hash=crypto.lookup_hash(names.normalise_card_number(CARD))
    )
    return person


def test_a_card_number_searched_on_the_list_never_reaches_the_address(client_for, caseworker, team):
    person = _person_with_card(team, caseworker)
    ApplicantFactory(team=team, caseworker=caseworker)
    client = client_for(caseworker)
    response = client.post(reverse("applicant_list"), {"q": "ab 1234 5678 cd", "case_stage": ""})
    assert response.status_code == 302
    location = response["Location"]
    assert "1234" not in location and "AB12" not in location.upper()
    assert f"card={crypto.lookup_hash(CARD)}" in location
    page = client.get(location)
    assert [row.applicant.pk for row in page.context["rows"]] == [person.pk]
    assert "1234" not in page.content.decode()


def test_a_name_searched_on_the_list_keeps_its_filters(client_for, caseworker, team):
    response = client_for(caseworker).post(
        reverse("applicant_list"), {"q": "Perera", "case_stage": "intake", "sort": "", "page": ""}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("applicant_list") + "?q=Perera&case_stage=intake"


def test_the_top_bar_search_posts(client_for, caseworker, team):
    person = _person_with_card(team, caseworker)
    client = client_for(caseworker)
    page = client.get(reverse("home")).content.decode()
    assert 'hx-post="/applicants/search/"' in page and 'method="post" role="search"' in page
    results = client.post(reverse("applicant_quick_search"), {"q": CARD})
    assert results.status_code == 200
    assert person.reference_code in results.content.decode()

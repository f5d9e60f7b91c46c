"""The consent and sensitive-information sections of the applicant page through the test client: who
sees them, the `sensitive_view` access-log entry per view (and none for those who cannot see), the
in-place writes, revocation, erasure, and a fixed query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import AccessLogEntry, Consent, ConsentPurpose, SensitiveRecord
from tests.casework.applicant_factories import ApplicantFactory, build_caseload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
SENSITIVE = ConsentPurpose.SENSITIVE_INFORMATION
TEXT = "Sees a counsellor every two weeks."


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    return today() + timedelta(days=n)


def ymd(day: date) -> str:
    return day.strftime("%Y-%m-%d")


@pytest.fixture
def caseload(team, other_team, caseworker):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


@pytest.fixture
def own(caseload):
    return caseload.own


def give_consent(by, applicant, purpose=SENSITIVE, **data):
    return services.consent_record(
        by=by, applicant=applicant, data={"purpose": purpose, "granted_on": days(-30), **data}
    )


@pytest.fixture
def with_sensitive(caseworker, own):
    """`own` with a current sensitive-information consent and one health record."""
    consent = give_consent(caseworker, own)
    services.sensitive_record_save(by=caseworker, applicant=own, category="health", text=TEXT)
    return consent


def url(name, applicant, **kwargs):
    return reverse(name, kwargs={"reference_code": applicant.reference_code, **kwargs})


def page_of(client, applicant):
    return client.get(url("applicant_detail", applicant))


def sensitive_views(applicant=None) -> int:
    rows = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SENSITIVE_VIEW)
    if applicant is not None:
        rows = rows.filter(applicant_id=applicant.pk)
    return rows.count()


# --- Who sees the sections, and the access log -----------------------------------------------------------


def users_by_name(request, caseload) -> dict[str, object]:
    return {
        "administrator": request.getfixturevalue("administrator"),
        "supervisor": request.getfixturevalue("supervisor"),
        "other supervisor": caseload.other_supervisor,
        "caseworker": request.getfixturevalue("caseworker"),
        "teammate": caseload.colleague,
        "other caseworker": caseload.other_caseworker,
        "trainer": request.getfixturevalue("trainer"),
        "employer": request.getfixturevalue("employer"),
    }


# (status of the page, consent section shown, sensitive section with its text shown)
EXPECTED_ON_OWN = {
    "administrator": (200, True, False),  # all case records, but no sensitive information at all
    "supervisor": (200, True, True),  # the team's supervisor
    "other supervisor": (404, False, False),
    "caseworker": (200, True, True),  # the assigned caseworker
    # Same team: the shared caseload shows the profile; consents follow the legal records' door.
    "teammate": (200, False, False),
    "other caseworker": (404, False, False),
    "trainer": (403, False, False),
    "employer": (403, False, False),
}


@pytest.mark.parametrize("who", list(EXPECTED_ON_OWN))
def test_sections_and_sensitive_view_log_per_role(who, request, client_for, caseload, with_sensitive):
    user = users_by_name(request, caseload)[who]
    status, consent_shown, sensitive_shown = EXPECTED_ON_OWN[who]
    applicant = caseload.own
    response = page_of(client_for(user), applicant)
    assert response.status_code == status
    page = response.content.decode()
    assert ('id="consent"' in page) is consent_shown
    assert ('id="sensitive"' in page) is sensitive_shown
    assert (TEXT in page) is sensitive_shown
    assert sensitive_views() == (1 if sensitive_shown else 0)
    if sensitive_shown:
        entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.SENSITIVE_VIEW)
        assert entry.actor == user and entry.applicant_id == applicant.pk
        assert entry.detail == {"via": "page", "categories": ["health"]}


def test_every_view_is_logged(client_for, caseworker, supervisor, own, with_sensitive):
    for _ in range(3):
        assert page_of(client_for(caseworker), own).status_code == 200
    page_of(client_for(supervisor), own)
    actors = list(
        AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SENSITIVE_VIEW).values_list("actor", flat=True)
    )
    assert sorted(actors) == sorted([caseworker.pk] * 3 + [supervisor.pk])


def test_anonymous_visitors_are_sent_to_sign_in(client, own, with_sensitive):
    for path in (
        url("applicant_detail", own),
        url("applicant_consent_add", own),
        url("applicant_sensitive_edit", own, category="health"),
        url("applicant_sensitive_erase", own),
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert sensitive_views() == 0


def test_team_supervisor_sees_a_teammates_case_but_a_caseworker_of_the_team_does_not(
    client_for, caseworker, supervisor, caseload
):
    give_consent(caseload.colleague, caseload.shared)
    services.sensitive_record_save(
        by=caseload.colleague, applicant=caseload.shared, category="health", text=TEXT
    )
    page = page_of(client_for(caseworker), caseload.shared).content.decode()
    assert 'id="sensitive"' not in page and TEXT not in page and 'id="consent"' not in page
    assert sensitive_views() == 0
    assert TEXT in page_of(client_for(supervisor), caseload.shared).content.decode()
    assert sensitive_views(caseload.shared) == 1


def test_without_a_consent_the_section_explains_and_logs_nothing(client_for, caseworker, own):
    page = page_of(client_for(caseworker), own).content.decode()
    assert 'id="sensitive"' in page
    assert "record that consent first" in page
    assert 'id="sensitive-health-form"' not in page
    assert sensitive_views() == 0


def test_after_revocation_the_texts_are_hidden_and_erasure_is_offered(
    client_for, caseworker, own, with_sensitive
):
    services.consent_revoke(by=caseworker, consent=with_sensitive)
    page = page_of(client_for(caseworker), own).content.decode()
    assert TEXT not in page
    assert f"was revoked on {ymd(today())}" in page
    assert "Erase the sensitive information" in page and "Health" in page
    assert sensitive_views() == 0


def test_an_expired_consent_hides_the_texts_too(client_for, caseworker, own):
    Consent.objects.create(
        applicant=own, purpose=SENSITIVE, granted_on=days(-40), expires_on=days(-1), recorded_by=caseworker
    )
    SensitiveRecord.objects.create(applicant=own, category="detention", text=TEXT, recorded_by=caseworker)
    page = page_of(client_for(caseworker), own).content.decode()
    assert TEXT not in page and "expired on" in page and "Erase the sensitive information" in page
    assert sensitive_views() == 0


# --- Consent: add and revoke in place -------------------------------------------------------------------


def consent_post(**values):
    data = {"consent-purpose": SENSITIVE, "consent-granted_on": ymd(days(-1))}
    data.update({f"consent-{key}": value for key, value in values.items()})
    return data


def test_record_a_consent_in_place_brings_the_sensitive_section_along(client_for, caseworker, own):
    client = client_for(caseworker)
    response = client.post(url("applicant_consent_add", own), consent_post(), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<section id="consent"')
    assert "The consent is recorded." in html
    assert '<section id="sensitive"' in html and 'hx-swap-oob="true"' in html
    assert 'id="sensitive-health-form"' in html  # the sensitive section opened with the consent
    consent = Consent.objects.get()
    assert consent.recorded_by == caseworker and consent.purpose == SENSITIVE
    assert sensitive_views() == 1  # the section now shows its (empty) contents


def test_consent_errors_come_back_in_the_section(client_for, caseworker, own):
    client = client_for(caseworker)
    response = client.post(
        url("applicant_consent_add", own),
        consent_post(purpose=ConsentPurpose.SHARE_WITH_EMPLOYER, expires_on=ymd(days(-5))),
        **HTMX,
    )
    html = response.content.decode()
    assert "Name the employer the person agreed to share their information with." in html
    assert f"The consent cannot expire before the day it was given ({ymd(days(-1))})." in html
    assert '<details class="add-record" open>' in html
    assert not Consent.objects.exists()


def test_record_a_consent_without_javascript(client_for, caseworker, own):
    client = client_for(caseworker)
    assert client.get(url("applicant_consent_add", own)).status_code == 200
    response = client.post(
        url("applicant_consent_add", own),
        consent_post(
            purpose=ConsentPurpose.SHARE_WITH_EMPLOYER, employer_name="Sakura Foods", scope=["skills"]
        ),
    )
    assert response.status_code == 302 and response["Location"].endswith("#consent")
    consent = Consent.objects.get()
    assert consent.scope == ["skills"] and consent.employer_name == "Sakura Foods"
    page = page_of(client, own).content.decode()
    assert "Sakura Foods" in page and "Skills" in page and "current" in page


def test_consent_writes_need_write_access(client_for, caseworker, administrator, trainer, caseload):
    assert (
        client_for(caseworker).post(url("applicant_consent_add", caseload.shared), consent_post()).status_code
        == 403
    )
    assert (
        client_for(caseworker)
        .post(url("applicant_consent_add", caseload.foreign), consent_post())
        .status_code
        == 404
    )
    assert (
        client_for(trainer).post(url("applicant_consent_add", caseload.own), consent_post()).status_code
        == 403
    )
    response = client_for(administrator).post(url("applicant_consent_add", caseload.foreign), consent_post())
    assert response.status_code == 302 and Consent.objects.get().recorded_by == administrator


def test_revoke_in_place_hides_the_sensitive_section(client_for, caseworker, own, with_sensitive):
    client = client_for(caseworker)
    before = sensitive_views()
    response = client.post(
        url("applicant_consent_revoke", own, pk=with_sensitive.pk),
        {"confirmed": "1", "revoked_on": ymd(today())},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "The consent is revoked. The sensitive information is hidden from now on." in html
    assert TEXT not in html and "Erase the sensitive information" in html
    assert sensitive_views() == before  # nothing shown, nothing logged
    with_sensitive.refresh_from_db()
    assert with_sensitive.revoked_on == today()


def test_revoke_without_javascript_asks_first(client_for, caseworker, own):
    consent = give_consent(caseworker, own, ConsentPurpose.RESEARCH)
    client = client_for(caseworker)
    path = url("applicant_consent_revoke", own, pk=consent.pk)
    asked = client.post(path, {"revoked_on": ymd(days(-1))})
    assert asked.status_code == 200 and "Revoke the consent" in asked.content.decode()
    assert ymd(days(-1)) in asked.content.decode()
    consent.refresh_from_db()
    assert consent.revoked_on is None
    assert client.get(path).status_code == 200
    done = client.post(path, {"confirmed": "1", "revoked_on": ymd(days(-1))})
    assert done.status_code == 302 and done["Location"].endswith("#consent")
    consent.refresh_from_db()
    assert consent.revoked_on == days(-1)


def test_a_bad_revocation_is_shown(client_for, caseworker, own):
    consent = give_consent(caseworker, own, ConsentPurpose.RESEARCH)
    client = client_for(caseworker)
    path = url("applicant_consent_revoke", own, pk=consent.pk)
    response = client.post(path, {"confirmed": "1", "revoked_on": ymd(days(2))}, **HTMX)
    assert "A revocation cannot be recorded ahead" in response.content.decode()
    response = client.post(path, {"confirmed": "1", "revoked_on": ymd(days(2))})
    assert (
        response.status_code == 200 and "A revocation cannot be recorded ahead" in response.content.decode()
    )
    consent.refresh_from_db()
    assert consent.revoked_on is None


def test_revoke_someone_elses_consent_is_refused(client_for, caseworker, caseload):
    consent = give_consent(caseload.colleague, caseload.shared)
    foreign = give_consent(caseload.other_caseworker, caseload.foreign)
    client = client_for(caseworker)
    confirmed = {"confirmed": "1"}
    assert (
        client.post(url("applicant_consent_revoke", caseload.shared, pk=consent.pk), confirmed).status_code
        == 403
    )
    assert (
        client.post(url("applicant_consent_revoke", caseload.foreign, pk=foreign.pk), confirmed).status_code
        == 404
    )
    # A consent of another person under the own applicant's URL.
    assert (
        client.post(url("applicant_consent_revoke", caseload.own, pk=foreign.pk), confirmed).status_code
        == 404
    )


# --- Sensitive information: edit in place, erase -------------------------------------------------------------


def test_add_and_edit_a_category_in_place(client_for, caseworker, own):
    give_consent(caseworker, own)
    client = client_for(caseworker)
    path = url("applicant_sensitive_edit", own, category="persecution")
    response = client.post(path, {"sensitive-persecution-text": "Threats at work."}, **HTMX)
    html = response.content.decode()
    assert html.startswith('<section id="sensitive"') and "The sensitive information is saved." in html
    assert "Threats at work." in html
    assert sensitive_views() == 1
    client.post(path, {"sensitive-persecution-text": "Threats at work; statement filed."}, **HTMX)
    assert SensitiveRecord.objects.get().text == "Threats at work; statement filed."
    assert sensitive_views() == 2


def test_sensitive_save_without_consent_shows_the_services_message(client_for, caseworker, own):
    client = client_for(caseworker)
    path = url("applicant_sensitive_edit", own, category="health")
    response = client.post(path, {"sensitive-health-text": TEXT}, **HTMX)
    assert "record that consent first" in response.content.decode()
    response = client.post(path, {"sensitive-health-text": TEXT})
    assert response.status_code == 200 and "record that consent first" in response.content.decode()
    assert not SensitiveRecord.objects.exists() and sensitive_views() == 0


def test_sensitive_empty_text_is_refused_next_to_the_field(client_for, caseworker, own):
    give_consent(caseworker, own)
    response = client_for(caseworker).post(
        url("applicant_sensitive_edit", own, category="health"), {"sensitive-health-text": "  "}, **HTMX
    )
    assert "Write the information for this category." in response.content.decode()


def test_the_edit_page_without_javascript_logs_its_view(client_for, caseworker, own, with_sensitive):
    client = client_for(caseworker)
    response = client.get(url("applicant_sensitive_edit", own, category="health"))
    assert response.status_code == 200 and TEXT in response.content.decode()
    assert sensitive_views() == 1
    saved = client.post(
        url("applicant_sensitive_edit", own, category="health"), {"sensitive-health-text": "New."}
    )
    assert saved.status_code == 302 and saved["Location"].endswith("#sensitive")
    assert client.get(url("applicant_sensitive_edit", own, category="religion")).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("administrator", 403),
        ("teammate", 403),
        ("other supervisor", 404),
        ("other caseworker", 404),
        ("trainer", 403),
        ("employer", 403),
    ],
)
def test_sensitive_urls_refuse_everyone_else(who, status, request, client_for, caseload, with_sensitive):
    client = client_for(users_by_name(request, caseload)[who])
    own = caseload.own
    edit = url("applicant_sensitive_edit", own, category="health")
    assert client.get(edit).status_code == status
    assert client.post(edit, {"sensitive-health-text": "x"}).status_code == status
    assert client.get(url("applicant_sensitive_erase", own)).status_code == status
    assert client.post(url("applicant_sensitive_erase", own), {"confirmed": "1"}).status_code == status
    assert SensitiveRecord.objects.get().text == TEXT
    assert sensitive_views() == 0


def test_erase_after_revocation(client_for, caseworker, supervisor, own, with_sensitive):
    client = client_for(supervisor)
    path = url("applicant_sensitive_erase", own)
    refused = client.post(path, {"confirmed": "1"}, **HTMX)
    assert "still current" in refused.content.decode()
    assert SensitiveRecord.objects.exists()
    services.consent_revoke(by=caseworker, consent=with_sensitive)
    asked = client.get(path)
    assert (
        asked.status_code == 200 and "Health" in asked.content.decode() and TEXT not in asked.content.decode()
    )
    assert client.post(path).status_code == 200 and SensitiveRecord.objects.exists()  # not confirmed
    response = client.post(path, {"confirmed": "1"}, **HTMX)
    html = response.content.decode()
    assert "The sensitive information is erased (1 category)." in html
    assert "Erase the sensitive information" not in html.split("hx-swap-oob")[0]
    assert not SensitiveRecord.objects.exists()


def test_erase_without_javascript(client_for, caseworker, own, with_sensitive):
    services.consent_revoke(by=caseworker, consent=with_sensitive)
    response = client_for(caseworker).post(url("applicant_sensitive_erase", own), {"confirmed": "1"})
    assert response.status_code == 302 and response["Location"].endswith("#sensitive")
    assert not SensitiveRecord.objects.exists()


# --- Query count --------------------------------------------------------------------------------------------


def populate(applicant, by, rows: int):
    for index in range(rows):
        give_consent(by, applicant, ConsentPurpose.RESEARCH, granted_on=days(-100 + index), note=f"n{index}")
    give_consent(by, applicant, ConsentPurpose.SHARE_WITH_EMPLOYER, employer_name="Sakura", scope=["skills"])
    give_consent(by, applicant)
    for category in ("health", "persecution", "detention")[: max(1, min(rows, 3))]:
        services.sensitive_record_save(by=by, applicant=applicant, category=category, text=f"{category} text")


def count_queries(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["caseworker", "supervisor", "administrator"])
def test_applicant_page_query_count_does_not_grow_with_consents(role, request, client_for, caseworker, team):
    client = client_for(request.getfixturevalue(role))
    few = ApplicantFactory(team=team, caseworker=caseworker)
    many = ApplicantFactory(team=team, caseworker=caseworker)
    populate(few, caseworker, rows=1)
    populate(many, caseworker, rows=15)
    page_of(client, few)
    small = count_queries(client, url("applicant_detail", few))
    large = count_queries(client, url("applicant_detail", many))
    assert small == large, (small, large)
    shown = role != "administrator"
    assert sensitive_views(many) == (1 if shown else 0)
    print(f"\napplicant page queries for {role} with consents: {small} (1 consent row) / {large} (17)")


def test_htmx_section_query_count_does_not_grow(client_for, caseworker, team):
    client = client_for(caseworker)
    few = ApplicantFactory(team=team, caseworker=caseworker)
    many = ApplicantFactory(team=team, caseworker=caseworker)
    populate(few, caseworker, rows=1)
    populate(many, caseworker, rows=15)

    def queries_for(applicant) -> int:
        with CaptureQueriesContext(connection) as queries:
            client.post(
                url("applicant_sensitive_edit", applicant, category="health"),
                {"sensitive-health-text": ""},
                **HTMX,
            )
        return len(queries)

    queries_for(few)
    assert queries_for(few) == queries_for(many)

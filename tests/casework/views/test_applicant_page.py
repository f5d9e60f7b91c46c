"""The applicant page as a header card and tabs: who sees which tab, the htmx fragment, the header's
legal facts, and every write landing back on the tab of its section."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from casework import selectors, services
from casework.models import Consent, ConsentPurpose, LegalStatusPeriod, WorkPermission
from casework.templatetags.date_tags import distance_phrase
from casework.ui import applicant_page, panels

HTMX = {"HTTP_HX_REQUEST": "true"}
TABS = list(applicant_page.TAB_LABELS)

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


def detail(applicant, tab: str | None = None) -> str:
    path = reverse("applicant_detail", kwargs={"reference_code": applicant.reference_code})
    return f"{path}?tab={tab}" if tab else path


@pytest.fixture
def own(caseworker):
    applicant = services.applicant_register(
        by=caseworker,
        data={
            "family_name": "Perera",
            "given_name": "Suriya",
            "name_katakana": "ペレラ スリヤ",
            "name_native": "සූරිය පෙරේරා",
            "nationality": "LK",
        },
    )
    services.legal_period_record(
        by=caseworker,
        applicant=applicant,
        data={
            "status_kind": "da_refugee_applicant",
            "start_date": today() - timedelta(days=100),
            "end_date": today() + timedelta(days=80),
        },
    )
    return applicant


def test_the_tabs_match_the_selectors_tabs():
    assert tuple(applicant_page.TAB_LABELS) == selectors.APPLICANT_TABS


# --- Who sees which tab --------------------------------------------------------------------------------

ALLOWED = ["caseworker", "supervisor", "administrator", "teammate"]
REFUSED = [("other_caseworker", 404), ("other_supervisor", 404), ("trainer", 403), ("employer", 403)]


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize("role", ALLOWED)
def test_every_tab_renders_for_everyone_who_may_see_the_person(request, client_for, own, role, tab):
    response = client_for(request.getfixturevalue(role)).get(detail(own, tab))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="applicant-header"' in html and 'id="applicant-tabs"' in html
    (current,) = re.findall(r'<a [^>]*class="nav-link[^"]*"[^>]*aria-current="page"[^>]*>', html)
    assert f'data-tab="{tab}"' in current and "nav-link active" in current
    assert html.count('aria-current="page"') == 2  # the breadcrumb's and the current tab's
    assert 'id="applicant-tab-panel" class="applicant-tab-panel pt-3" role="region"' in html


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize(("role", "status"), REFUSED)
def test_every_tab_is_refused_as_the_page_is(request, client_for, own, role, status, tab):
    client = client_for(request.getfixturevalue(role))
    assert client.get(detail(own, tab)).status_code == status
    assert client.get(detail(own, tab), **HTMX).status_code == status


def test_an_unknown_tab_is_the_overview(client_for, caseworker, own):
    """A stale or mistyped link still shows the person (a 404 would suggest the person is gone)."""
    client = client_for(caseworker)
    for value in ("nonsense", "", "OVERVIEW", "../legal"):
        response = client.get(detail(own, value))
        assert response.status_code == 200
        assert response.context["tab"] == "overview"
        assert 'id="profile"' in response.content.decode()


def test_the_default_tab_is_the_overview_and_shows_no_other_tab(client_for, caseworker, own):
    html = client_for(caseworker).get(detail(own)).content.decode()
    assert 'id="profile"' in html and 'id="household"' in html and 'id="consent"' in html
    for other in ('id="periods"', 'id="notes"', 'id="documents"', 'id="history"', 'id="assignments"'):
        assert other not in html, other


def test_an_htmx_tab_request_gets_the_tab_list_and_the_panel_only(client_for, caseworker, own):
    response = client_for(caseworker).get(detail(own, "legal"), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.startswith('<div id="applicant-tabs"') and "<html" not in html
    assert 'id="periods"' in html and 'id="applicant-header"' not in html
    assert "HX-Request" in response["Vary"]
    # The links fetch the same URL into the same container and push it to the address bar.
    assert f'hx-get="{detail(own, "notes")}"' in html and 'hx-target="#applicant-tabs"' in html
    assert 'hx-push-url="true"' in html


def test_an_htmx_history_restore_gets_the_whole_page(client_for, caseworker, own):
    response = client_for(caseworker).get(
        detail(own, "legal"), HTTP_HX_HISTORY_RESTORE_REQUEST="true", **HTMX
    )
    assert "<html" in response.content.decode()


# --- The header card -----------------------------------------------------------------------------------


def test_the_header_shows_every_name_status_dates_deadline_and_people(client_for, caseworker, own):
    html = client_for(caseworker).get(detail(own, "notes")).content.decode()
    header = html[html.index('id="applicant-header"') : html.index('id="applicant-tabs"')]
    for text in (
        "PERERA Suriya",
        "ペレラ スリヤ",
        "සූරිය පෙරේරා",
        own.reference_code,
        str(caseworker),
        str(own.team),
    ):
        assert text in header, text
    summary = header[header.index('id="legal-summary"') :]
    ends = (today() + timedelta(days=80)).isoformat()
    assert "Designated Activities (refugee applicant)" in summary
    # 80 days ahead is said in months once it is two calendar months away (date_tags' own tests).
    phrase = distance_phrase(today() + timedelta(days=80), today())
    assert "Lawfully staying until" in summary and ends in summary and f"{phrase} ({ends})" in summary
    assert "May work until" in summary
    assert "Next deadline" in summary and ends in summary.split("Next deadline", 1)[1]
    assert "Edit profile" in header


def test_the_header_dates_are_selectors_legal_summary(client_for, caseworker, own):
    """One computation: the header shows what selectors.legal_summary says, may work until included."""
    WorkPermission.objects.create(
        applicant=own,
        basis="permission_outside_status",
        scope="hours",
        hours_per_week=28,
        start_date=today() - timedelta(days=10),
        end_date=today() + timedelta(days=30),
    )
    periods = list(LegalStatusPeriod.objects.filter(applicant=own))
    permissions = list(WorkPermission.objects.filter(applicant=own))
    summary = selectors.legal_summary(periods, permissions, today())
    assert summary.may_work and summary.may_work_until == today() + timedelta(days=30)
    html = client_for(caseworker).get(detail(own)).content.decode()
    header = html[html.index('id="legal-summary"') :]
    may_work = header.split("May work until", 1)[1][:600]
    assert summary.may_work_until.isoformat() in may_work and "in 30 days" in may_work


def test_a_teammate_sees_no_legal_facts_in_the_header(client_for, teammate, own):
    html = client_for(teammate).get(detail(own)).content.decode()
    header = html[html.index('id="applicant-header"') : html.index('id="applicant-tabs"')]
    assert 'id="legal-summary"' not in header and "Designated Activities" not in html
    assert "Lawfully staying until" not in html and "Next deadline" not in html
    assert "You can read this case" in header and "Edit profile" not in header
    legal = client_for(teammate).get(detail(own, "legal")).content.decode()
    assert "shown only to the assigned caseworker" in legal and 'id="periods"' not in legal


def test_the_employment_tab_is_an_empty_state_until_jobs_registers_a_panel(
    client_for, caseworker, own, monkeypatch
):
    monkeypatch.delitem(panels._PANELS["applicant"], "jobs")  # as before jobs registers its panel
    html = client_for(caseworker).get(detail(own, "employment")).content.decode()
    assert "Nothing here yet — employment records arrive with the jobs module." in html
    panels.register_panel(
        "applicant",
        panels.Panel(
            key="jobs-probe",
            title="Placements",
            template="casework/applicants/tabs/_empty.html",
            context=lambda user, applicant: {"empty_text": "A placement"},
            tab="employment",
        ),
    )
    try:
        html = client_for(caseworker).get(detail(own, "employment")).content.decode()
    finally:
        panels.unregister_panel("applicant", "jobs-probe")
    assert 'id="panel-jobs-probe"' in html and "A placement" in html
    assert "arrive with the jobs module" not in html


def test_learning_registers_its_panel_on_the_learning_tab():
    (panel,) = [p for p in panels.panels_for("applicant") if p.key == "learning"]
    assert panel.tab == "learning"
    assert panel in panels.panels_for("applicant", tab="learning")
    assert panel not in panels.panels_for("applicant", tab="overview")


# --- Writes land back on their tab ---------------------------------------------------------------------


def test_writes_without_javascript_land_back_on_the_tab_of_their_section(client_for, caseworker, own):
    client = client_for(caseworker)
    base = detail(own)
    ymd = today().isoformat

    def post(name, data, **kwargs):
        path = reverse(name, kwargs={"reference_code": own.reference_code, **kwargs})
        return client.post(path, data)

    cases = [
        (
            post(
                "applicant_period_add",
                {
                    "period-status_kind": "long_term_resident",
                    "period-start_date": (today() + timedelta(days=81)).isoformat(),
                    "period-end_date": (today() + timedelta(days=500)).isoformat(),
                },
            ),
            "?tab=legal#periods",
        ),
        (
            post(
                "applicant_reporting_add",
                {
                    "reporting-kind": "supervisory_measures",
                    "reporting-next_report_date": ymd(),
                    "reporting-place": "Tokyo",
                },
            ),
            "?tab=legal#reporting",
        ),
        (
            post("applicant_household_add", {"household-name": "Ana", "household-relation": "child"}),
            "?tab=overview#household",
        ),
        (post("applicant_note_add", {"note-text": "Called"}), "?tab=notes#notes"),
        (
            post("applicant_task_add", {"task-title": "Call back", "task-assignee": caseworker.pk}),
            "?tab=notes#tasks",
        ),
    ]
    for response, anchor in cases:
        assert response.status_code == 302, response.content.decode()[:800]
        assert response["Location"] == base + anchor
    consent = services.consent_record(
        by=caseworker,
        applicant=own,
        data={"purpose": ConsentPurpose.RESEARCH, "granted_on": today(), "scope": []},
    )
    response = post("applicant_consent_revoke", {"confirmed": "1", "revoked_on": ymd()}, pk=consent.pk)
    assert response["Location"] == base + "?tab=overview#consent"
    assert Consent.objects.get(pk=consent.pk).revoked_on == today()
    period = LegalStatusPeriod.objects.filter(applicant=own).first()
    response = post("applicant_period_delete", {}, pk=period.pk)
    assert response["Location"] == base + "?tab=legal#periods"


def test_a_refused_write_offers_the_way_back_to_its_tab(client_for, caseworker, own):
    path = reverse("applicant_period_add", kwargs={"reference_code": own.reference_code})
    response = client_for(caseworker).post(path, {"period-status_kind": "long_term_resident"})
    html = response.content.decode()
    assert response.status_code == 200 and response.context["form"].errors  # shown next to the fields
    assert f'href="{detail(own)}?tab=legal#periods"' in html


def test_every_section_anchor_belongs_to_a_tab():
    for section, tab in applicant_page.SECTION_TABS.items():
        assert tab in applicant_page.TAB_LABELS, section

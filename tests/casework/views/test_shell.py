"""The app shell: the sidebar from the navigation registry, the top bar's search, the manifest, the
error pages and the form renderer that gives every widget the design system's class."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from django import forms
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.forms.base import TobiraForm
from tests.casework.applicant_factories import ApplicantFactory

pytestmark = pytest.mark.django_db


def _sidebar(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main".*?</nav>', html, re.S)
    assert nav, "no sidebar"
    return re.findall(r'<span class="nav-link-title">([^<]+)</span>', nav.group(0))


def test_the_sidebar_holds_each_roles_pages_and_the_organisations_under_them(
    client_for, administrator, caseworker, trainer
):
    admin_nav = _sidebar(client_for(administrator).get(reverse("home")).content.decode())
    assert admin_nav[:5] == ["Home", "People", "Deadlines", "My tasks", "Courses"]
    assert admin_nav[-3:] == ["API", "Service accounts", "Administration"]

    caseworker_page = client_for(caseworker).get(reverse("applicant_list")).content.decode()
    assert "Administration" not in _sidebar(caseworker_page)
    # The current page is marked for assistive technology and for the eye.
    assert re.search(
        r'<li class="nav-item active">\s*<a class="nav-link" href="/applicants/" aria-current="page">',
        caseworker_page,
    )

    trainer_nav = _sidebar(client_for(trainer).get(reverse("home")).content.decode())
    assert "People" not in trainer_nav
    assert {"My teaching", "Courses"} <= set(trainer_nav)  # learning adds its own through the registry


def test_signed_out_pages_have_no_sidebar_and_no_search(client):
    html = client.get(reverse("login")).content.decode()
    assert '<nav aria-label="Main"' not in html
    assert 'id="global-search-q"' not in html
    assert 'class="plain"' in html


def test_the_search_box_is_only_for_those_who_may_list_people(client_for, caseworker, trainer):
    assert 'id="global-search-q"' in client_for(caseworker).get(reverse("home")).content.decode()
    assert 'id="global-search-q"' not in client_for(trainer).get(reverse("home")).content.decode()


def test_quick_search_finds_any_name_form_among_the_visible_people_only(
    client_for, caseworker, team, other_team
):
    mine = ApplicantFactory(
        team=team, caseworker=caseworker, family_name="Perera", given_name="Nimal", name_katakana="ペレラ"
    )
    ApplicantFactory(team=other_team, family_name="Perera", given_name="Kamal")  # another team's case
    client = client_for(caseworker)

    for query in ("per", "Nimal perera", "ペレ", mine.reference_code):
        html = client.get(reverse("applicant_quick_search"), {"q": query}).content.decode()
        assert f'href="/applicants/{mine.reference_code}/"' in html, query
        assert "Kamal" not in html
        assert f'href="/applicants/?q={quote(query)}"' in html  # Enter, or this link: every match

    nobody = client.get(reverse("applicant_quick_search"), {"q": "zz"}).content.decode()
    assert "Nobody matches" in nobody
    # One letter searches nothing: half the organisation would match.
    assert client.get(reverse("applicant_quick_search"), {"q": "p"}).content.decode().strip() == ""


def test_quick_search_costs_the_same_queries_for_one_match_or_many(client_for, caseworker, team):
    client = client_for(caseworker)
    ApplicantFactory(team=team, caseworker=caseworker, family_name="Silva")
    client.get(reverse("applicant_quick_search"), {"q": "silva"})
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("applicant_quick_search"), {"q": "silva"})
    for _ in range(12):
        ApplicantFactory(team=team, caseworker=caseworker, family_name="Silva")
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("applicant_quick_search"), {"q": "silva"}).content.decode()
    assert len(many) == len(one)
    assert html.count("list-group-item") == 8  # the first eight; the list shows them all


def test_the_manifest_is_public_and_its_icons_exist(client):
    response = client.get(reverse("web_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]
    html = client.get(reverse("login")).content.decode()
    assert 'rel="manifest"' in html and 'rel="icon"' in html and 'rel="apple-touch-icon"' in html


def test_a_missing_page_is_drawn_in_the_shell_for_a_signed_in_user_and_plain_otherwise(
    client_for, caseworker
):
    response = client_for(caseworker).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and '<nav aria-label="Main"' in html

    anonymous = Client().get("/applicants/A-0000-00000/no/")
    assert anonymous.status_code == 404
    assert "Page not found" in anonymous.content.decode()
    assert '<nav aria-label="Main"' not in anonymous.content.decode()


def test_a_refused_page_says_what_to_ask_for(client_for, trainer):
    response = client_for(trainer).get(reverse("applicant_list"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Not allowed" in html and "ask an administrator" in html


def test_the_server_error_page_uses_the_shell_and_falls_back_to_plain(rf, caseworker, monkeypatch):
    from casework.views import home

    request = rf.get("/")
    request.user = caseworker
    response = home.server_error(request)
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()

    def broken(*args, **kwargs):
        raise RuntimeError("the database is down")

    monkeypatch.setattr(home, "render", broken)
    plain = home.server_error(request)
    assert plain.status_code == 500
    assert "Something went wrong" in plain.content.decode()
    assert '<nav aria-label="Main"' not in plain.content.decode()


class _Everything(TobiraForm):
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])
    agree = forms.BooleanField(required=False)
    how = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect)
    secret = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(widget=forms.Textarea(attrs={"class": "form-control notes"}))


def test_every_widget_gets_the_design_systems_class_once():
    form = _Everything()
    assert 'class="form-control"' in str(form["name"])
    assert 'class="form-select"' in str(form["kind"])
    assert 'class="form-check-input"' in str(form["agree"])
    assert "class=" not in str(form["secret"])
    assert 'class="form-control notes"' in str(form["note"])  # its own class is kept, not doubled
    # A radio group's class would land on the wrapper, not the inputs: the stylesheet styles those.
    assert "form-check-input" not in str(form["how"]).split(">")[0]


def test_the_role_label_on_the_nav_comes_from_the_registry_with_an_icon(client_for, trainer):
    html = client_for(trainer).get(reverse("home")).content.decode()
    # learning registers "Courses" with its icon (learning/apps.py); casework imports nothing of it.
    assert re.search(r'sprite\.svg#school"></use></svg></span>\s*<span class="nav-link-title">Courses', html)

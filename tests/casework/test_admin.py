"""The Django admin for the casework core: administrators (not superusers) through their group's
permissions, reads through visible_to, writes through the services, no per-row queries."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework import crypto, services
from casework.models import (
    Applicant,
    Assignment,
    LegalStatusPeriod,
    Organisation,
    ProcedureEvent,
    RefugeeProcedure,
)
from casework.roles import Role
from tests.casework.factories import TeamFactory, UserFactory

TODAY = date(2026, 6, 15)
MODELS = (
    "applicant",
    "legalstatusperiod",
    "workpermission",
    "reportingobligation",
    "refugeeprocedure",
    "assignment",
    "duplicatecheck",
)


@pytest.fixture(autouse=True)
def frozen_today(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")), tick=False)


@pytest.fixture
def admin_client(client_for, administrator):
    assert not administrator.is_superuser
    return client_for(administrator)


def make_people(by, count: int, start: int = 0) -> list[Applicant]:
    """People with a period, a card, a permission, a report, a procedure with events, a duplicate check."""
    people = []
    for n in range(start, start + count):
        applicant = services.applicant_register(
            by=by,
            data={"family_name": f"Perera{n}", "given_name": "Suriya", "name_katakana": "スリヤ・ペレラ"},
            aliases=[f"Sooriya {n}"],
        )
        services.legal_period_record(
            by=by,
            applicant=applicant,
            data={
                "status_kind": "da_refugee_applicant",
                "start_date": date(2026, 3, 1),
                "end_date": date(2026, 8, 31),
            },
            card_number=f"AB{n:08d}CD",
        )
        services.work_permission_record(
            by=by, applicant=applicant, data={"basis": "designation_sheet", "start_date": date(2026, 3, 1)}
        )
        services.reporting_obligation_record(
            by=by,
            applicant=applicant,
            data={"kind": "provisional_release", "next_report_date": date(2026, 7, 1), "place": "Shinagawa"},
        )
        procedure = services.procedure_record(
            by=by, applicant=applicant, data={"ordinal": 1, "applied_on": date(2026, 1, 5)}
        )
        services.procedure_event_record(
            by=by, procedure=procedure, data={"kind": "refusal_notice", "date": date(2026, 6, 13)}
        )
        services.duplicate_check_run(by=by, family_name=f"Perera{n}", given_name="Suriya")
        people.append(applicant)
    return people


def changelist(model: str) -> str:
    return reverse(f"admin:casework_{model}_changelist")


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


# --- Permissions -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_administrator_group_has_the_casework_permissions():
    codenames = set(Group.objects.get(name=Role.ADMINISTRATOR).permissions.values_list("codename", flat=True))
    for model in (
        "applicant",
        "alias",
        "householdmember",
        "legalstatusperiod",
        "workpermission",
        "reportingobligation",
        "refugeeprocedure",
        "procedureevent",
    ):
        assert {f"{action}_{model}" for action in ("add", "view", "change", "delete")} <= codenames
    assert {"view_assignment", "view_duplicatecheck"} <= codenames
    assert not {"add_assignment", "change_assignment", "delete_duplicatecheck"} & codenames
    supervisor_codenames = set(
        Group.objects.get(name=Role.SUPERVISOR).permissions.values_list("codename", flat=True)
    )
    assert "view_applicant" not in supervisor_codenames


@pytest.mark.django_db
def test_history_rows_are_read_only(admin_client, caseworker):
    applicant = make_people(caseworker, 1)[0]
    assert admin_client.get(reverse("admin:casework_assignment_add")).status_code == 403
    assignment = Assignment.objects.get(applicant=applicant)
    page = admin_client.get(reverse("admin:casework_assignment_change", args=[assignment.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client.get(reverse("admin:casework_duplicatecheck_add")).status_code == 403


@pytest.mark.django_db
def test_staff_without_the_administrator_role_are_kept_out(client_for, make_user, caseworker):
    make_people(caseworker, 1)
    staff_caseworker = make_user(Role.CASEWORKER, username="staffcw", is_staff=True)
    response = client_for(staff_caseworker).get(changelist("applicant"))
    assert response.status_code == 403


# --- Changelists: every page, constant queries -----------------------------------------------------------


@pytest.mark.django_db
def test_changelists_run_the_same_number_of_queries_for_3_and_30_rows(admin_client, caseworker):
    make_people(caseworker, 3)
    few = {model: queries_for(admin_client, changelist(model)) for model in MODELS}
    make_people(caseworker, 27, start=3)
    many = {model: queries_for(admin_client, changelist(model)) for model in MODELS}
    assert many == few


@pytest.mark.django_db
def test_change_pages_run_a_bounded_number_of_queries(admin_client, caseworker):
    applicant = make_people(caseworker, 1)[0]
    period = LegalStatusPeriod.objects.get(applicant=applicant)
    procedure = RefugeeProcedure.objects.get(applicant=applicant)
    for url in (
        reverse("admin:casework_applicant_change", args=[applicant.pk]),
        reverse("admin:casework_legalstatusperiod_change", args=[period.pk]),
        reverse("admin:casework_refugeeprocedure_change", args=[procedure.pk]),
    ):
        assert queries_for(admin_client, url) <= 30


@pytest.mark.django_db
def test_the_admin_shows_only_the_administrators_organisation(admin_client, caseworker):
    make_people(caseworker, 2)
    elsewhere = Organisation.objects.create(name="Other NPO", slug="other")
    far_team = TeamFactory(organisation=elsewhere, name="Far")
    far_caseworker = UserFactory(
        roles=[Role.CASEWORKER], organisation=elsewhere, team=far_team, username="far"
    )
    hidden = services.applicant_register(by=far_caseworker, data={"family_name": "Hidden", "given_name": "X"})
    page = admin_client.get(changelist("applicant"))
    assert b"PERERA0" in page.content and b"HIDDEN" not in page.content
    assert admin_client.get(reverse("admin:casework_applicant_change", args=[hidden.pk])).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ｽﾘﾔ ﾍﾟﾚﾗ", "perera1", "sooriya 1", "A-2026-00002"])
def test_the_admin_search_goes_through_the_search_key(admin_client, caseworker, query):
    make_people(caseworker, 3)
    page = admin_client.get(changelist("applicant"), {"q": query})
    assert b"PERERA1" in page.content
    if query != "ｽﾘﾔ ﾍﾟﾚﾗ":
        assert b"PERERA2" not in page.content
    periods = admin_client.get(changelist("legalstatusperiod"), {"q": query})
    assert b"PERERA1" in periods.content


@pytest.mark.django_db
def test_card_numbers_are_shown_masked_only(admin_client, caseworker):
    applicant = make_people(caseworker, 1)[0]
    period = LegalStatusPeriod.objects.get(applicant=applicant)
    for url in (
        changelist("legalstatusperiod"),
        reverse("admin:casework_legalstatusperiod_change", args=[period.pk]),
        reverse("admin:casework_applicant_change", args=[applicant.pk]),
    ):
        content = admin_client.get(url).content.decode()
        assert "AB******CD" in content
        assert "AB00000000CD" not in content
        assert period.card_number_encrypted not in content


# --- Writes go through the services ----------------------------------------------------------------------


def period_form(applicant, start, end, **extra):
    return {
        "applicant": applicant.pk,
        "status_kind": "da_refugee_applicant",
        "start_date": start,
        "end_date": end,
        "card_number": "",
        **extra,
    }


@pytest.mark.django_db
def test_an_overlapping_period_is_refused_on_the_form(admin_client, caseworker):
    applicant = make_people(caseworker, 1)[0]
    response = admin_client.post(
        reverse("admin:casework_legalstatusperiod_add"), period_form(applicant, "2026-08-01", "2026-10-31")
    )
    assert response.status_code == 200
    assert "2026-03-01" in response.content.decode() and "2026-08-31" in response.content.decode()
    assert LegalStatusPeriod.objects.filter(applicant=applicant).count() == 1


@pytest.mark.django_db
def test_a_period_added_in_the_admin_is_saved_by_the_service(admin_client, caseworker):
    applicant = make_people(caseworker, 1)[0]
    other = make_people(caseworker, 1, start=1)[0]
    url = reverse("admin:casework_legalstatusperiod_add")
    conflict = admin_client.post(
        url, period_form(other, "2026-09-01", "2026-11-30", card_number="ab 0000 0000 cd")
    )
    assert conflict.status_code == 200
    assert applicant.reference_code in conflict.content.decode()
    response = admin_client.post(
        url,
        period_form(
            applicant,
            "2026-06-01",
            "2026-11-30",
            card_number="ｘｙ９８７６５４３２ｚｚ",
            status_kind="long_term_resident",
            end_current="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    added = LegalStatusPeriod.objects.get(applicant=applicant, status_kind="long_term_resident")
    assert added.card_number_hash == crypto.lookup_hash("XY98765432ZZ")
    assert LegalStatusPeriod.objects.get(applicant=applicant, start_date=date(2026, 3, 1)).end_date == date(
        2026, 5, 31
    )


def applicant_form(applicant, **changes):
    data = {
        "family_name": applicant.family_name,
        "given_name": applicant.given_name,
        "name_native": applicant.name_native,
        "name_katakana": applicant.name_katakana,
        "date_of_birth": "",
        "birth_date_precision": applicant.birth_date_precision,
        "gender": applicant.gender,
        "nationality": applicant.nationality,
        "languages": json.dumps(applicant.languages),
        "phone": "",
        "email": "",
        "prefecture": "",
        "city": "",
        "education": "",
        "work_history": "",
        "skills": json.dumps(applicant.skills),
        "intake_date": applicant.intake_date.isoformat(),
        "case_stage": applicant.case_stage,
        "team": applicant.team_id,
        "caseworker": applicant.caseworker_id or "",
        "expected_version": applicant.version,
    }
    for prefix, initial in (("aliases", applicant.aliases.count() if applicant.pk else 0), ("household", 0)):
        data |= {f"{prefix}-TOTAL_FORMS": initial, f"{prefix}-INITIAL_FORMS": initial}
    for index, alias in enumerate(applicant.aliases.all() if applicant.pk else []):
        data |= {
            f"aliases-{index}-id": alias.pk,
            f"aliases-{index}-name": alias.name,
            f"aliases-{index}-kind": alias.kind,
        }
    data |= {"periods-TOTAL_FORMS": 0, "periods-INITIAL_FORMS": 0}
    if applicant.pk:
        count = applicant.periods.count()
        data |= {"periods-TOTAL_FORMS": count, "periods-INITIAL_FORMS": count}
        for index, period in enumerate(applicant.periods.all()):
            data[f"periods-{index}-id"] = period.pk
    return {**data, **changes}


@pytest.mark.django_db
def test_an_applicant_is_registered_in_the_admin_through_the_service(admin_client, caseworker, team):
    blank = Applicant(team=team, caseworker=caseworker, intake_date=TODAY)
    data = applicant_form(
        blank,
        family_name="",
        given_name="Thin Thin Aye",
        name_katakana="ティン・ティン・エー",
        nationality="MM",
        **{
            "aliases-TOTAL_FORMS": 1,
            "aliases-0-name": "Thin Thin Aye (old passport)",
            "aliases-0-kind": "former",
        },
    )
    response = admin_client.post(reverse("admin:casework_applicant_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    applicant = Applicant.objects.get(given_name="Thin Thin Aye")
    assert applicant.reference_code == "A-2026-00001"
    assert " passport " in applicant.search_key and " ティン " in applicant.search_key
    assert Assignment.objects.filter(applicant=applicant, caseworker=caseworker).exists()


@pytest.mark.django_db
def test_a_stale_admin_edit_is_refused(admin_client, caseworker):
    applicant = make_people(caseworker, 1)[0]
    url = reverse("admin:casework_applicant_change", args=[applicant.pk])
    stale = applicant_form(applicant, city="Warabi")
    services.applicant_update(
        by=caseworker, applicant=applicant, data={"city": "Kawaguchi"}, expected_version=1
    )
    response = admin_client.post(url, stale)
    assert response.status_code == 200
    assert "Someone else saved" in response.content.decode()
    applicant.refresh_from_db()
    assert applicant.city == "Kawaguchi"


@pytest.mark.django_db
def test_a_reassignment_in_the_admin_is_recorded(admin_client, caseworker, make_user, team):
    colleague = make_user(Role.CASEWORKER, username="colleague", team=team)
    applicant = make_people(caseworker, 1)[0]
    url = reverse("admin:casework_applicant_change", args=[applicant.pk])
    response = admin_client.post(url, applicant_form(applicant, caseworker=colleague.pk, city="Ota"))
    assert response.status_code == 302, response.content.decode()[:3000]
    applicant.refresh_from_db()
    assert (applicant.caseworker, applicant.city) == (colleague, "Ota")
    assert Assignment.objects.filter(applicant=applicant, caseworker=colleague).count() == 1


@pytest.mark.django_db
def test_procedures_and_events_in_the_admin_go_through_the_services(admin_client, caseworker):
    applicant = make_people(caseworker, 1)[0]
    response = admin_client.post(
        reverse("admin:casework_refugeeprocedure_add"),
        {"applicant": applicant.pk, "ordinal": 3, "applied_on": "2026-05-01", "note": ""},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    third = RefugeeProcedure.objects.get(applicant=applicant, ordinal=3)
    assert third.is_missing_grounds
    assert list(third.events.values_list("kind", flat=True)) == ["filed"]
    filed = third.events.get()
    url = reverse("admin:casework_refugeeprocedure_change", args=[third.pk])
    form = {
        "grounds_submitted": "on",
        "is_open": "on",
        "note": "",
        "events-TOTAL_FORMS": 2,
        "events-INITIAL_FORMS": 1,
        "events-0-id": filed.pk,
        "events-0-procedure": third.pk,
        "events-0-kind": "filed",
        "events-0-date": "2026-05-01",
        "events-1-procedure": third.pk,
        "events-1-kind": "refusal_notice",
        "events-1-date": "2026-04-30",
    }
    refused = admin_client.post(url, form)
    assert refused.status_code == 200
    assert "2026-05-01" in refused.content.decode()
    assert third.events.count() == 1
    form["events-1-date"] = "2026-06-12"
    assert admin_client.post(url, form).status_code == 302
    third.refresh_from_db()
    assert not third.is_missing_grounds
    event = ProcedureEvent.objects.get(procedure=third, kind="refusal_notice")
    assert event.recorded_by.username == "admin1"


# --- Roles need teams ------------------------------------------------------------------------------------


def user_form(username: str, role: str, **extra) -> dict:
    group = Group.objects.get(name=role)
    return {
        "username": username,
        "password1": "a-long-passphrase-2026",
        "password2": "a-long-passphrase-2026",
        "usable_password": "true",
        "groups": [group.pk],
        "language": "en",
        **extra,
    }


@pytest.mark.django_db
def test_a_caseworker_without_a_team_is_refused_in_the_admin(admin_client, team):
    response = admin_client.post(reverse("admin:casework_user_add"), user_form("nobody", Role.CASEWORKER))
    assert response.status_code == 200
    assert "A caseworker must belong to a team" in response.content.decode()
    assert not Organisation.objects.get().users.filter(username="nobody").exists()

    response = admin_client.post(
        reverse("admin:casework_user_add"), user_form("somebody", Role.CASEWORKER, team=team.pk)
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Organisation.objects.get().users.get(username="somebody").team == team


@pytest.mark.django_db
def test_a_supervisor_leading_no_team_is_refused_in_the_admin(admin_client, team):
    response = admin_client.post(reverse("admin:casework_user_add"), user_form("boss", Role.SUPERVISOR))
    assert response.status_code == 200
    assert "A supervisor must lead at least one team" in response.content.decode()

    response = admin_client.post(
        reverse("admin:casework_user_add"), user_form("boss", Role.SUPERVISOR, led_teams=[team.pk])
    )
    assert response.status_code == 302
    boss = Organisation.objects.get().users.get(username="boss")
    assert list(boss.led_teams.all()) == [team]


@pytest.mark.django_db
def test_taking_away_a_caseworkers_team_is_refused(admin_client, caseworker):
    url = reverse("admin:casework_user_change", args=[caseworker.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        groups=[group.pk for group in caseworker.groups.all()],
        user_permissions=[],
        team="",
        led_teams=[],
        date_joined_0="2026-01-01",
        date_joined_1="09:00:00",
        last_login_0="",
        last_login_1="",
    )
    data.pop("password", None)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A caseworker must belong to a team" in response.content.decode()
    caseworker.refresh_from_db()
    assert caseworker.team_id is not None


@pytest.mark.django_db
def test_a_supervisors_last_team_cannot_be_taken_away(admin_client, supervisor, team):
    url = reverse("admin:casework_team_change", args=[team.pk])
    response = admin_client.post(
        url, {"organisation": team.organisation_id, "name": team.name, "supervisors": []}
    )
    assert response.status_code == 200
    assert "would lead no team" in response.content.decode()
    assert list(team.supervisors.all()) == [supervisor]

    other = TeamFactory(name="Kanagawa")
    other.supervisors.add(supervisor)
    response = admin_client.post(
        url, {"organisation": team.organisation_id, "name": team.name, "supervisors": []}
    )
    assert response.status_code == 302
    assert not team.supervisors.exists()


# --- No deletion of case records -------------------------------------------------------------------------


@pytest.mark.django_db
def test_no_case_record_can_be_deleted_in_the_admin(admin_client, caseworker):
    from django.contrib import admin as django_admin

    from casework.admin.base import VisibleAdmin

    make_people(caseworker, 1)
    case_admins = {
        model: model_admin
        for model, model_admin in django_admin.site._registry.items()
        if isinstance(model_admin, VisibleAdmin)
    }
    labels = {model._meta.label_lower for model in case_admins}
    assert {"casework.applicant", "casework.legalstatusperiod", "learning.assessment"} <= labels
    for model, model_admin in case_admins.items():
        assert not model_admin.has_delete_permission(None), model
        row = model._default_manager.first()
        info = (model._meta.app_label, model._meta.model_name)
        listing = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert b'value="delete_selected"' not in listing.content, model
        if row is None:
            continue
        page = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
        assert reverse("admin:{}_{}_delete".format(*info), args=[row.pk]).encode() not in page.content
        refused = admin_client.post(
            reverse("admin:{}_{}_delete".format(*info), args=[row.pk]), {"post": "yes"}
        )
        assert refused.status_code == 403, model
        assert model._default_manager.filter(pk=row.pk).exists(), model

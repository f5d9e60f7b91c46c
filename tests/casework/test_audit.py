"""The audit: a history entry for every kind of change made through a service (and the admin), access-log
entries for sign-ins, failed sign-ins, lockouts, sign-outs, two-factor events and duplicate checks, rows
that cannot be changed or deleted, and erasure that keeps who/when/what-field."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework import audit, services
from casework.models import (
    ERASED_MARKER,
    AccessLogEntry,
    Applicant,
    AuditRowIsImmutable,
    ChangeRecord,
    LegalStatusPeriod,
    ProcedureEvent,
    RefugeeProcedure,
    ReportingObligation,
    WorkPermission,
)
from casework.roles import Role
from casework.services import accounts as account_services

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def today() -> date:
    return timezone.localdate()


def register(by, **data):
    data.setdefault("given_name", "Suriya")
    data.setdefault("family_name", "Perera")
    return services.applicant_register(by=by, data=data, aliases=data.pop("aliases", None))


def period_data(start: date, end: date, kind: str = "da_refugee_applicant") -> dict:
    return {"status_kind": kind, "start_date": start, "end_date": end}


def records(instance, action: str | None = None):
    rows = ChangeRecord.objects.filter(model=instance._meta.label_lower, object_id=str(instance.pk))
    return rows.filter(action=action) if action else rows


def one(instance, action: str) -> ChangeRecord:
    found = list(records(instance, action))
    assert len(found) == 1, [(r.action, r.changes) for r in records(instance)]
    return found[0]


# --- Change history: one entry per kind of change ---------------------------------------------------------


def test_registering_records_every_value_and_the_aliases(caseworker, team):
    applicant = services.applicant_register(
        by=caseworker,
        data={"family_name": "Perera", "given_name": "Suriya", "nationality": "LK"},
        aliases=["Sooriya Pereira"],
    )
    record = one(applicant, "create")
    assert record.actor == caseworker
    assert record.applicant_id == applicant.pk
    assert record.organisation_id == caseworker.organisation_id
    assert record.changes["family_name"] == {"old": None, "new": "Perera"}
    assert record.changes["nationality"] == {"old": None, "new": "LK"}
    assert record.changes["aliases"] == {"old": None, "new": ["Sooriya Pereira"]}
    assert record.changes["team_id"] == {"old": None, "new": team.pk}
    assert record.changes["caseworker_id"] == {"old": None, "new": caseworker.pk}
    # Keys derived from names, the lock counter and timestamps are not history.
    assert not {"search_key", "name_key", "version", "created_at", "updated_at"} & set(record.changes)
    assert record.object_label.startswith(applicant.reference_code)
    assert record.request_id == ""  # no request: a service called from code


def test_updating_records_only_the_changed_fields_old_and_new(caseworker):
    applicant = register(caseworker, aliases=["Old Spelling"])
    services.applicant_update(
        by=caseworker,
        applicant=applicant,
        data={"city": "Warabi", "given_name": "Suriya"},
        expected_version=applicant.version,
        aliases=["New Spelling"],
    )
    record = one(applicant, "update")
    assert record.changes == {
        "aliases": {"old": ["Old Spelling"], "new": ["New Spelling"]},
        "city": {"old": "", "new": "Warabi"},
    }
    # Saving the same values again is no change: no empty entry.
    services.applicant_update(
        by=caseworker, applicant=applicant, data={"city": "Warabi"}, expected_version=applicant.version
    )
    assert records(applicant, "update").count() == 1


def test_the_before_values_are_the_stored_ones_not_the_objects(caseworker):
    applicant = register(caseworker)
    stale = Applicant.objects.get(pk=applicant.pk)
    stale.city = "Typed on a form"  # an admin form puts its values on the object before the service runs
    services.applicant_update(
        by=caseworker, applicant=stale, data={"city": "Typed on a form"}, expected_version=stale.version
    )
    assert one(applicant, "update").changes["city"] == {"old": "", "new": "Typed on a form"}


def test_reassigning_in_bulk_writes_one_entry_per_person_with_team_and_caseworker(
    caseworker, supervisor, team, make_user
):
    colleague = make_user(Role.CASEWORKER, username="colleague", team=team)
    first, second = register(caseworker), register(caseworker, given_name="Aung")
    already = register(colleague, given_name="Meron")
    moved = services.applicants_reassign(
        by=supervisor, applicants=[first, second, already], team=team, caseworker=colleague, reason="leave"
    )
    assert moved == 3
    for applicant in (first, second):
        record = one(applicant, "update")
        assert record.actor == supervisor
        assert record.changes == {"caseworker_id": {"old": caseworker.pk, "new": colleague.pk}}
        assert record.applicant_id == applicant.pk
    # Moved to where it already was: nothing changed, nothing recorded.
    assert not records(already, "update").exists()


def test_adding_a_household_member(caseworker):
    applicant = register(caseworker)
    member = services.household_member_add(
        by=caseworker, applicant=applicant, data={"name": "Nimal", "relation": "son", "birth_year": 2015}
    )
    record = one(member, "create")
    assert record.applicant_id == applicant.pk
    assert record.changes["name"] == {"old": None, "new": "Nimal"}
    assert record.changes["birth_year"] == {"old": None, "new": 2015}


def test_a_period_with_a_card_number_appears_masked_only(caseworker):
    applicant = register(caseworker)
    start = today() - timedelta(days=30)
    period = services.legal_period_record(
        by=caseworker,
        applicant=applicant,
        data=period_data(start, start + timedelta(days=180)),
        card_number="AB12345678CD",
    )
    record = one(period, "create")
    assert record.applicant_id == applicant.pk
    assert record.changes["status_kind"] == {"old": None, "new": "da_refugee_applicant"}
    assert record.changes["start_date"] == {"old": None, "new": start.isoformat()}
    assert record.changes["card_number"] == {"old": None, "new": "AB******CD"}
    stored = json.dumps(list(ChangeRecord.objects.values_list("changes", flat=True)))
    assert "12345678" not in stored
    assert period.card_number_encrypted not in stored and period.card_number_hash not in stored


def test_ending_the_running_period_is_recorded_on_that_period(caseworker):
    applicant = register(caseworker)
    start = today() - timedelta(days=100)
    running = services.legal_period_record(
        by=caseworker, applicant=applicant, data=period_data(start, start + timedelta(days=365))
    )
    change_day = today() - timedelta(days=10)
    services.legal_period_record(
        by=caseworker,
        applicant=applicant,
        data=period_data(change_day, change_day + timedelta(days=365), kind="long_term_resident"),
        end_current=True,
    )
    record = one(running, "update")
    assert record.changes == {
        "end_date": {
            "old": (start + timedelta(days=365)).isoformat(),
            "new": (change_day - timedelta(days=1)).isoformat(),
        }
    }


def test_updating_and_deleting_a_period(caseworker):
    applicant = register(caseworker)
    start = today() - timedelta(days=30)
    period = services.legal_period_record(
        by=caseworker,
        applicant=applicant,
        data=period_data(start, start + timedelta(days=180)),
        card_number="AB12345678CD",
    )
    services.legal_period_update(
        by=caseworker,
        period=period,
        data={"renewal_filed_on": today()},
        card_number="XY87654321ZZ",
    )
    updated = one(period, "update")
    assert updated.changes == {
        "card_number": {"old": "AB******CD", "new": "XY******ZZ"},
        "renewal_filed_on": {"old": None, "new": today().isoformat()},
    }
    pk = period.pk
    services.legal_period_delete(by=caseworker, period=period)
    deleted = ChangeRecord.objects.get(model="casework.legalstatusperiod", object_id=str(pk), action="delete")
    assert deleted.changes["status_kind"] == {"old": "da_refugee_applicant", "new": None}
    assert deleted.changes["card_number"] == {"old": "XY******ZZ", "new": None}
    assert deleted.applicant_id == applicant.pk
    assert not LegalStatusPeriod.objects.filter(pk=pk).exists()


def test_work_permission_and_reporting_obligation(caseworker):
    applicant = register(caseworker)
    permission = services.work_permission_record(
        by=caseworker,
        applicant=applicant,
        data={"basis": "outside_status", "scope": "hours", "hours_per_week": 28, "start_date": today()},
    )
    assert one(permission, "create").changes["hours_per_week"] == {"old": None, "new": 28}
    obligation = services.reporting_obligation_record(
        by=caseworker,
        applicant=applicant,
        data={"kind": "provisional_release", "next_report_date": today(), "place": "Shinagawa"},
    )
    record = one(obligation, "create")
    assert record.changes["place"] == {"old": None, "new": "Shinagawa"}
    assert record.applicant_id == applicant.pk


def test_a_procedure_its_filed_event_its_update_and_events(caseworker):
    applicant = register(caseworker)
    applied = today() - timedelta(days=300)
    procedure = services.procedure_record(
        by=caseworker, applicant=applicant, data={"ordinal": 3, "applied_on": applied}
    )
    assert one(procedure, "create").changes["ordinal"] == {"old": None, "new": 3}
    filed = ProcedureEvent.objects.get(procedure=procedure, kind="filed")
    filed_record = one(filed, "create")
    assert filed_record.applicant_id == applicant.pk
    assert filed_record.changes["kind"] == {"old": None, "new": "filed"}

    services.procedure_update(by=caseworker, procedure=procedure, data={"grounds_submitted": True})
    assert one(procedure, "update").changes == {"grounds_submitted": {"old": False, "new": True}}

    event = services.procedure_event_record(
        by=caseworker,
        procedure=procedure,
        data={"kind": "decision", "date": today(), "outcome": "recognised"},
    )
    assert one(event, "create").changes["outcome"] == {"old": None, "new": "recognised"}
    # A decision closes the procedure: that change is in its history too.
    closing = records(procedure, "update").order_by("-pk").first()
    assert closing.changes == {"is_open": {"old": True, "new": False}}
    assert RefugeeProcedure.objects.get(pk=procedure.pk).is_open is False


def test_changes_made_through_a_request_carry_its_request_id(client_for, caseworker):
    applicant = register(caseworker)
    response = client_for(caseworker).post(
        reverse("applicant_household_add", kwargs={"reference_code": applicant.reference_code}),
        {"household-name": "Nimal", "household-relation": "son", "household-birth_year": "2015"},
    )
    assert response.status_code == 302
    record = ChangeRecord.objects.get(model="casework.householdmember")
    assert record.request_id and record.request_id == response["X-Request-ID"]
    assert record.actor == caseworker


def test_a_request_id_from_the_proxy_is_kept(client_for, caseworker):
    applicant = register(caseworker)
    client_for(caseworker).post(
        reverse("applicant_household_add", kwargs={"reference_code": applicant.reference_code}),
        {"household-name": "Nimal", "household-relation": "son"},
        HTTP_X_REQUEST_ID="proxy-abc-123",
    )
    assert ChangeRecord.objects.get(model="casework.householdmember").request_id == "proxy-abc-123"


def test_system_bulk_work_writes_no_per_row_history(db):
    call_command("seed_bench", "--applicants", "20", verbosity=0)
    assert Applicant.objects.count() == 20
    assert not ChangeRecord.objects.exists()


# --- The admin's writes are in the history too ------------------------------------------------------------


def _admin_applicant_form(applicant, **changes):
    data = {
        "family_name": applicant.family_name,
        "given_name": applicant.given_name,
        "name_native": "",
        "name_katakana": "",
        "date_of_birth": "",
        "birth_date_precision": applicant.birth_date_precision,
        "gender": "",
        "nationality": applicant.nationality,
        "languages": "[]",
        "phone": "",
        "email": "",
        "prefecture": "",
        "city": "",
        "education": "",
        "work_history": "",
        "skills": "[]",
        "intake_date": applicant.intake_date.isoformat(),
        "case_stage": applicant.case_stage,
        "team": applicant.team_id,
        "caseworker": applicant.caseworker_id or "",
        "expected_version": applicant.version,
        "aliases-TOTAL_FORMS": 0,
        "aliases-INITIAL_FORMS": 0,
        "household-TOTAL_FORMS": 0,
        "household-INITIAL_FORMS": 0,
        "periods-TOTAL_FORMS": 0,
        "periods-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def test_the_admins_add_and_change_paths_write_history(
    client_for, administrator, caseworker, team, make_user
):
    client = client_for(administrator)
    applicant = register(caseworker)
    colleague = make_user(Role.CASEWORKER, username="colleague", team=team)
    url = reverse("admin:casework_applicant_change", args=[applicant.pk])
    form = _admin_applicant_form(
        applicant,
        city="Ota",
        caseworker=colleague.pk,
        **{"household-TOTAL_FORMS": 1, "household-0-name": "Nimal", "household-0-relation": "son"},
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    update = ChangeRecord.objects.filter(model="casework.applicant", action="update", actor=administrator)
    changes = [record.changes for record in update]
    assert any(change.get("city") == {"old": "", "new": "Ota"} for change in changes), changes
    assert any(
        change.get("caseworker_id") == {"old": caseworker.pk, "new": colleague.pk} for change in changes
    ), changes
    member = applicant.household.get()
    assert one(member, "create").actor == administrator
    assert update.first().request_id  # done through a request

    # A period added in the admin goes through the service (history included)...
    start = today() - timedelta(days=10)
    added = client.post(
        reverse("admin:casework_legalstatusperiod_add"),
        {
            "applicant": applicant.pk,
            "status_kind": "da_refugee_applicant",
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=180)).isoformat(),
            "card_number": "",
        },
    )
    assert added.status_code == 302, added.content.decode()[:2000]
    period = LegalStatusPeriod.objects.get(applicant=applicant)
    assert one(period, "create").actor == administrator
    # ... and a plain correction of a work permission (no service of its own) is recorded as well.
    permission = services.work_permission_record(
        by=colleague, applicant=applicant, data={"basis": "outside_status", "start_date": start}
    )
    changed = client.post(
        reverse("admin:casework_workpermission_change", args=[permission.pk]),
        {
            "basis": "outside_status",
            "scope": "hours",
            "hours_per_week": 20,
            "start_date": start.isoformat(),
            "end_date": "",
            "note": "corrected",
        },
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    correction = one(permission, "update")
    assert correction.actor == administrator
    assert correction.changes["hours_per_week"] == {"old": None, "new": 20}
    assert correction.changes["note"] == {"old": "", "new": "corrected"}
    # Case records are corrected, never deleted, in the admin (erasure is an audited service).
    deleted = client.post(
        reverse("admin:casework_workpermission_delete", args=[permission.pk]), {"post": "yes"}
    )
    assert deleted.status_code == 403
    assert WorkPermission.objects.filter(pk=permission.pk).exists()


def test_the_admins_event_corrections_write_history(client_for, administrator, caseworker):
    applicant = register(caseworker)
    procedure = services.procedure_record(
        by=caseworker, applicant=applicant, data={"ordinal": 1, "applied_on": today() - timedelta(days=50)}
    )
    filed = procedure.events.get()
    url = reverse("admin:casework_refugeeprocedure_change", args=[procedure.pk])
    form = {
        "is_open": "on",
        "note": "",
        "events-TOTAL_FORMS": 1,
        "events-INITIAL_FORMS": 1,
        "events-0-id": filed.pk,
        "events-0-procedure": procedure.pk,
        "events-0-kind": "filed",
        "events-0-date": (today() - timedelta(days=49)).isoformat(),
        "events-0-note": "date corrected",
    }
    assert client_for(administrator).post(url, form).status_code == 302
    record = one(filed, "update")
    assert record.actor == administrator and record.applicant_id == applicant.pk
    assert record.changes["note"] == {"old": "", "new": "date corrected"}


# --- Access log: duplicate checks, sign-ins, two-factor ----------------------------------------------------


def test_the_duplicate_check_logs_each_match_it_shows(caseworker, make_user, other_team):
    stranger = make_user(Role.CASEWORKER, username="osaka", team=other_team)
    match = services.applicant_register(
        by=stranger, data={"family_name": "Perera", "given_name": "Suriya", "date_of_birth": date(1990, 1, 1)}
    )
    check = services.duplicate_check_run(
        by=caseworker, family_name="Perera", given_name="Suriya", date_of_birth=date(1990, 5, 5)
    )
    entries = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.DUPLICATE_CHECK)
    assert [(entry.actor, entry.applicant_id) for entry in entries] == [(caseworker, match.pk)]
    assert entries.get().detail == {"duplicate_check": check.pk}
    # A check that finds no one is logged as having run.
    services.duplicate_check_run(by=caseworker, family_name="Nobody", given_name="Here")
    empty = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.DUPLICATE_CHECK, applicant__isnull=True)
    assert empty.get().detail["matches"] == 0


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sign_in_and_sign_out_are_logged(caseworker):
    client = Client()
    response = sign_in(client, "case1")
    assert response.status_code == 302
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.SIGN_IN)
    assert entry.actor == caseworker and entry.actor_label == "case1"
    assert entry.organisation_id == caseworker.organisation_id
    assert entry.ip_address == "127.0.0.1"
    assert entry.request_id == response["X-Request-ID"]
    client.post("/accounts/logout/")
    assert AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.SIGN_OUT).actor == caseworker


def test_a_failed_sign_in_keeps_the_username_never_the_password(caseworker):
    sign_in(Client(), "case1", "wrong-password-123")
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.SIGN_IN_FAILED)
    assert entry.actor is None
    assert entry.detail == {"username": "case1", "known_account": True}
    assert entry.organisation_id == caseworker.organisation_id  # its administrators can see it
    assert "wrong-password-123" not in json.dumps(list(AccessLogEntry.objects.values()), default=str)


def test_an_unknown_username_is_kept_cut_short(caseworker):
    # People type their password into the username field: never keep all of what was typed.
    sign_in(Client(), "Tr0ub4dor&3-secret", "whatever")
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.SIGN_IN_FAILED)
    assert entry.detail == {"username": "Tr0…", "known_account": False}
    assert entry.organisation_id is None
    assert "Tr0ub4dor" not in json.dumps(list(AccessLogEntry.objects.values()), default=str)


def test_a_lockout_is_logged(caseworker, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    for attempt in range(3):
        sign_in(client, "case1", f"wrong-{attempt}")
    locked = AccessLogEntry.objects.filter(
        kind=AccessLogEntry.Kind.SIGN_IN_FAILED, detail__event="locked_out"
    )
    assert locked.count() == 1
    assert locked.get().detail["username"] == "case1"
    # While locked, the right password is refused: that try is logged as failed too.
    refused = sign_in(client, "case1")
    assert refused.status_code == 429
    assert not AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SIGN_IN).exists()
    assert AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SIGN_IN_FAILED).count() >= 5


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _two_factor_events(user) -> list[str]:
    entries = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.TWO_FACTOR, actor=user).order_by("pk")
    return [entry.detail["event"] for entry in entries]


@override_settings(REQUIRE_2FA=True)
def test_two_factor_setup_and_verification_are_logged(caseworker):
    client = Client()
    sign_in(client, "case1")
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=caseworker)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        wrong = "000000" if _code(device) != "000000" else "111111"
        client.post("/accounts/two-factor/setup/", {"token": wrong})
    with time_machine.travel(now + timedelta(seconds=40), tick=False):
        done = client.post("/accounts/two-factor/setup/", {"token": _code(device)})
    assert done.status_code == 200
    assert _two_factor_events(caseworker) == ["setup_failed", "setup_confirmed"]

    second = Client()
    sign_in(second, "case1")
    with time_machine.travel(now + timedelta(seconds=80), tick=False):
        second.post("/accounts/two-factor/verify/", {"token": wrong})
    with time_machine.travel(now + timedelta(seconds=120), tick=False):
        assert second.post("/accounts/two-factor/verify/", {"token": _code(device)}).status_code == 302
    assert _two_factor_events(caseworker)[-2:] == ["verify_failed", "verified"]
    entries = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.TWO_FACTOR)
    assert _code(device) not in json.dumps(list(entries.values_list("detail", flat=True)))


@override_settings(REQUIRE_2FA=False)
def test_recovery_codes_and_turning_two_factor_off_are_logged(employer):
    TOTPDevice.objects.create(user=employer, name="authenticator", confirmed=True)
    codes = account_services.recovery_codes_regenerate(user=employer)
    client = Client()
    sign_in(client, "employer1")
    assert client.post("/accounts/two-factor/verify/", {"token": codes[0]}).status_code == 302
    client.post("/accounts/two-factor/recovery-codes/")
    client.post("/accounts/two-factor/disable/")
    assert _two_factor_events(employer) == ["recovery_code_used", "recovery_codes_regenerated", "turned_off"]
    used = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.TWO_FACTOR, detail__event="recovery_code_used")
    assert used.detail == {"event": "recovery_code_used", "codes_left": 9}
    assert codes[0] not in json.dumps(list(AccessLogEntry.objects.values_list("detail", flat=True)))


# --- Audit rows are never changed or deleted ------------------------------------------------------------


@pytest.fixture
def audit_rows(caseworker):
    applicant = register(caseworker)
    entry = audit.log_access(
        actor=caseworker, kind=AccessLogEntry.Kind.APPLICANT_VIEW, applicant_id=applicant.pk
    )
    return ChangeRecord.objects.get(model="casework.applicant"), entry


def test_audit_rows_cannot_be_updated_or_deleted_through_the_orm(audit_rows):
    record, entry = audit_rows
    for model, row in ((ChangeRecord, record), (AccessLogEntry, entry)):
        with pytest.raises(AuditRowIsImmutable):
            model.objects.filter(pk=row.pk).update(request_id="forged")
        with pytest.raises(AuditRowIsImmutable):
            model.objects.all().update(request_id="forged")
        with pytest.raises(AuditRowIsImmutable):
            model.objects.filter(pk=row.pk).delete()
        with pytest.raises(AuditRowIsImmutable):
            model.objects.all().delete()
        row.request_id = "forged"
        with pytest.raises(AuditRowIsImmutable):
            row.save()
        with pytest.raises(AuditRowIsImmutable):
            row.delete()
        assert model.objects.get(pk=row.pk).request_id != "forged"


def _routes(resolver: URLResolver, prefix: str = "") -> list[tuple[str, object]]:
    found = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            found += _routes(pattern, prefix + namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((prefix + pattern.name, pattern.callback))
    return found


def test_no_url_of_the_app_writes_audit_rows(audit_rows, client_for, administrator, make_user):
    record, entry = audit_rows
    superuser = make_user(Role.ADMINISTRATOR, username="root", is_staff=True, is_superuser=True)
    # Outside the admin (checked below) the audit has these routes, all read-only: a new one must be
    # looked at here.
    names = {name for name, _view in _routes(get_resolver()) if not name.startswith("admin:")}
    audit_names = {name for name in names if "history" in name or "access" in name}
    assert audit_names == {
        "applicant_history",
        "applicant_access_log",
        "history-list",
        "history-detail",
        "access-log-list",
        "access-log-detail",
    }
    # The admin offers no add, change or delete for them, not even to a superuser.
    for client in (client_for(administrator), client_for(superuser)):
        for model, row in (("changerecord", record), ("accesslogentry", entry)):
            assert client.get(reverse(f"admin:casework_{model}_add")).status_code == 403
            assert (
                client.post(
                    reverse(f"admin:casework_{model}_delete", args=[row.pk]), {"post": "yes"}
                ).status_code
                == 403
            )
            changed = client.post(
                reverse(f"admin:casework_{model}_change", args=[row.pk]), {"request_id": "x"}
            )
            assert changed.status_code == 403
            listing = client.get(reverse(f"admin:casework_{model}_changelist"))
            assert listing.status_code == 200
            assert b'value="delete_selected"' not in listing.content
            bulk = client.post(
                reverse(f"admin:casework_{model}_changelist"),
                {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
            )
            assert bulk.status_code in (200, 302, 403)
    # The API is read-only.
    api = client_for(administrator)
    for name, row in (("history", record), ("access-log", entry)):
        detail = reverse(f"{name}-detail", args=[row.pk])
        assert api.delete(detail).status_code == 405
        assert api.patch(detail, {}, content_type="application/json").status_code == 405
        assert api.put(detail, {}, content_type="application/json").status_code == 405
        assert api.post(reverse(f"{name}-list"), {}, content_type="application/json").status_code == 405
    # The pages only read.
    reference = record.applicant.reference_code
    for page in ("applicant_history", "applicant_access_log"):
        assert api.post(reverse(page, kwargs={"reference_code": reference})).status_code == 405
    assert ChangeRecord.objects.filter(pk=record.pk, request_id=record.request_id).exists()
    assert AccessLogEntry.objects.filter(pk=entry.pk).exists()


# --- Erasure on request (APPI) ----------------------------------------------------------------------------


def test_erasure_replaces_values_by_the_marker_and_keeps_who_when_what(caseworker, supervisor):
    applicant = register(caseworker, aliases=["Sooriya"])
    services.applicant_update(
        by=caseworker, applicant=applicant, data={"city": "Warabi"}, expected_version=applicant.version
    )
    services.household_member_add(
        by=caseworker, applicant=applicant, data={"name": "Nimal", "relation": "son"}
    )
    audit.log_access(
        actor=supervisor,
        kind=AccessLogEntry.Kind.DOCUMENT_DOWNLOAD,
        applicant_id=applicant.pk,
        object_label="perera.pdf",
    )
    before = {
        record.pk: (record.actor_id, record.at, set(record.changes), record.action, record.model)
        for record in ChangeRecord.objects.filter(applicant_id=applicant.pk)
    }
    assert len(before) == 3

    count = audit.erase_personal_values(applicant_id=applicant.pk)

    assert count == 3
    for record in ChangeRecord.objects.filter(applicant_id=applicant.pk):
        assert (record.actor_id, record.at, set(record.changes), record.action, record.model) == before[
            record.pk
        ]
        assert record.erased
        assert record.object_label == ERASED_MARKER
        assert all(
            change == {"old": ERASED_MARKER, "new": ERASED_MARKER} for change in record.changes.values()
        )
    stored = json.dumps(list(ChangeRecord.objects.values_list("changes", "object_label")))
    assert "Warabi" not in stored and "Perera" not in stored and "Nimal" not in stored
    download = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.DOCUMENT_DOWNLOAD)
    assert (download.actor, download.object_label) == (supervisor, ERASED_MARKER)


def test_erasure_of_some_fields_only(caseworker):
    applicant = register(caseworker)
    services.applicant_update(
        by=caseworker,
        applicant=applicant,
        data={"city": "Warabi", "phone": "090-0000-0000"},
        expected_version=applicant.version,
    )
    audit.erase_personal_values(applicant_id=applicant.pk, fields=["phone"])
    record = ChangeRecord.objects.get(model="casework.applicant", action="update")
    assert record.changes == {
        "city": {"old": "", "new": "Warabi"},
        "phone": {"old": ERASED_MARKER, "new": ERASED_MARKER},
    }
    assert record.object_label != ERASED_MARKER


def test_restricted_records_never_repeat_their_text_in_the_label(caseworker):
    from casework.models import CaseNote

    applicant = register(caseworker)
    note = CaseNote.objects.create(
        applicant=applicant, author=caseworker, text="Fled after arrest", confidential=True
    )
    record = audit.record_change(actor=caseworker, instance=note, before=None)
    assert record is not None
    assert "Fled" not in record.object_label
    assert record.changes["text"] == {
        "old": None,
        "new": "Fled after arrest",
    }  # stored: the history is complete


def test_reporting_obligation_history_names_the_applicant(caseworker):
    applicant = register(caseworker)
    obligation = services.reporting_obligation_record(
        by=caseworker,
        applicant=applicant,
        data={"kind": "provisional_release", "next_report_date": today(), "place": "Shinagawa"},
    )
    assert ReportingObligation.objects.filter(pk=obligation.pk).exists()
    assert ChangeRecord.objects.filter(
        applicant_id=applicant.pk, model="casework.reportingobligation"
    ).exists()


# --- The audit in the Django admin ---------------------------------------------------------------------


def _admin_queries(client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


def test_the_audit_admin_lists_run_a_fixed_number_of_queries(client_for, administrator, caseworker):
    client = client_for(administrator)
    for _index in range(3):
        applicant = register(caseworker)
        audit.log_access(actor=caseworker, kind=AccessLogEntry.Kind.APPLICANT_VIEW, applicant_id=applicant.pk)
    lists = [
        reverse("admin:casework_changerecord_changelist"),
        reverse("admin:casework_accesslogentry_changelist"),
    ]
    few = [_admin_queries(client, path) for path in lists]
    for _index in range(30):
        applicant = register(caseworker)
        audit.log_access(actor=caseworker, kind=AccessLogEntry.Kind.APPLICANT_VIEW, applicant_id=applicant.pk)
    assert [_admin_queries(client, path) for path in lists] == few
    page = client.get(lists[0]).content.decode()
    assert applicant.reference_code in page and "Applicant" in page


def test_the_admin_shows_restricted_values_only_to_those_who_may_read_them(
    client_for, administrator, caseworker
):
    from casework.models import CaseNote

    applicant = register(caseworker)
    note = CaseNote.objects.create(
        applicant=applicant, author=caseworker, text="Fled after arrest", confidential=True
    )
    record = audit.record_change(actor=caseworker, instance=note, before=None)
    page = client_for(administrator).get(reverse("admin:casework_changerecord_change", args=[record.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fled after arrest" not in html and "Not shown" in html
    registration = ChangeRecord.objects.get(model="casework.applicant", applicant_id=applicant.pk)
    page = client_for(administrator).get(
        reverse("admin:casework_changerecord_change", args=[registration.pk])
    )
    assert "Family name: — → Perera" in page.content.decode()


def test_audit_admins_are_for_administrators_only(client_for, make_user, caseworker):
    staff_supervisor = make_user(Role.SUPERVISOR, username="staffsuper", is_staff=True)
    assert (
        client_for(staff_supervisor).get(reverse("admin:casework_changerecord_changelist")).status_code == 403
    )

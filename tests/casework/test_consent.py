"""Consent and sensitive information through the services and selectors: each bad input of issue 4,
who may write, the history of every change, erasure after revocation, and "may X be used for P"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from casework import selectors, services
from casework.models import (
    ERASED_MARKER,
    AccessLogEntry,
    ChangeRecord,
    Consent,
    ConsentPurpose,
    Document,
    SensitiveRecord,
)
from casework.roles import Role
from tests.casework.applicant_factories import ApplicantFactory, build_caseload

pytestmark = pytest.mark.django_db

SENSITIVE = ConsentPurpose.SENSITIVE_INFORMATION
SHARE = ConsentPurpose.SHARE_WITH_EMPLOYER


def today() -> date:
    return timezone.localdate()


def days(n: int) -> date:
    return today() + timedelta(days=n)


@pytest.fixture
def caseload(team, other_team, caseworker):
    return build_caseload(team=team, other_team=other_team, caseworker=caseworker)


@pytest.fixture
def own(caseload):
    return caseload.own


def record(by, applicant, purpose=ConsentPurpose.CASE_MANAGEMENT, **data):
    return services.consent_record(
        by=by, applicant=applicant, data={"purpose": purpose, "granted_on": days(-30), **data}
    )


def messages_of(error: ValidationError, field: str) -> list[str]:
    return [str(message) for message in error.value.message_dict[field]]  # type: ignore[attr-defined]


# --- Recording a consent ----------------------------------------------------------------------------------


def test_record_a_consent_and_its_history(caseworker, own):
    consent = record(
        caseworker,
        own,
        SHARE,
        employer_name="  Sakura   Foods ",
        scope=["skills", "languages", "skills"],
        expires_on=days(300),
        note="Signed at the office.",
    )
    consent.refresh_from_db()
    assert consent.recorded_by == caseworker
    assert consent.employer_name == "Sakura Foods"
    assert consent.scope == ["languages", "skills"]  # the vocabulary's order, once each
    assert consent.is_current_on(today())
    change = ChangeRecord.objects.get(model="casework.consent", object_id=str(consent.pk))
    assert change.action == ChangeRecord.Action.CREATE
    assert change.actor == caseworker and change.applicant_id == own.pk
    assert change.changes["purpose"] == {"old": None, "new": SHARE}
    assert change.changes["employer_name"]["new"] == "Sakura Foods"


def test_consent_that_expires_before_it_was_given_is_refused(caseworker, own):
    with pytest.raises(ValidationError) as error:
        record(caseworker, own, granted_on=days(-10), expires_on=days(-11))
    assert messages_of(error, "expires_on") == [
        f"The consent cannot expire before the day it was given ({days(-10):%Y-%m-%d})."
    ]
    assert not Consent.objects.exists()


def test_expiring_on_the_day_it_was_given_is_accepted(caseworker, own):
    consent = record(caseworker, own, granted_on=days(-1), expires_on=days(-1))
    assert not consent.is_current_on(today()) and consent.is_current_on(days(-1))


def test_share_consent_without_an_employer_is_refused(caseworker, own):
    with pytest.raises(ValidationError) as error:
        record(caseworker, own, SHARE, employer_name="   ", scope=["skills"])
    assert messages_of(error, "employer_name") == [
        "Name the employer the person agreed to share their information with."
    ]


def test_an_employer_on_another_kind_of_consent_is_refused(caseworker, own):
    with pytest.raises(ValidationError) as error:
        record(caseworker, own, ConsentPurpose.RESEARCH, employer_name="Sakura Foods")
    assert "Only a consent to share with an employer names one" in messages_of(error, "employer_name")[0]


def test_unknown_scope_group_is_named(caseworker, own):
    with pytest.raises(ValidationError) as error:
        record(caseworker, own, scope=["skills", "religion", "postcode"])
    scope_errors = messages_of(error, "scope")
    assert len(scope_errors) == 2
    assert scope_errors[0].startswith("“religion” is not a field group a consent can cover.")
    assert "“postcode”" in scope_errors[1] and "japanese_level" in scope_errors[1]


@pytest.mark.parametrize("purpose", ["", None, "marketing"])
def test_purpose_is_required_from_the_list(caseworker, own, purpose):
    with pytest.raises(ValidationError) as error:
        record(caseworker, own, purpose)
    assert messages_of(error, "purpose") == ["Choose the purpose of the consent from the list."]


def test_grant_date_is_required_and_not_in_the_future(caseworker, own):
    with pytest.raises(ValidationError) as error:
        record(caseworker, own, granted_on=None)
    assert messages_of(error, "granted_on") == ["Enter the day the person gave their consent."]
    with pytest.raises(ValidationError) as error:
        record(caseworker, own, granted_on=days(1))
    assert "in the future" in messages_of(error, "granted_on")[0]


def test_signed_form_must_be_a_document_of_the_same_person(caseworker, own, caseload):
    def document(applicant):
        return Document.objects.create(
            applicant=applicant,
            kind=Document.Kind.CONSENT_FORM,
            file="applicants/x/form",
            original_name="consent.pdf",
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            uploaded_by=caseworker,
        )

    with pytest.raises(ValidationError) as error:
        record(caseworker, own, form_document=document(caseload.foreign))
    assert messages_of(error, "form_document") == ["The signed form must be a document of this person."]
    mine = document(own)
    assert record(caseworker, own, form_document=mine).form_document == mine


def test_only_those_who_may_change_the_case_record_consents(caseworker, supervisor, administrator, caseload):
    with pytest.raises(PermissionDenied):
        record(caseworker, caseload.shared)  # the team's case: readable, not writable
    with pytest.raises(PermissionDenied):
        record(caseworker, caseload.foreign)
    assert record(supervisor, caseload.shared).recorded_by == supervisor
    assert record(administrator, caseload.foreign).recorded_by == administrator


# --- Revoking and renewing -----------------------------------------------------------------------------------


def test_revoke_a_consent_records_the_change(caseworker, own):
    consent = record(caseworker, own, SENSITIVE)
    revoked = services.consent_revoke(by=caseworker, consent=consent, revoked_on=days(-2))
    assert revoked.revoked_on == days(-2)
    assert not revoked.is_current_on(days(-2)) and revoked.is_current_on(days(-3))
    change = ChangeRecord.objects.get(model="casework.consent", action=ChangeRecord.Action.UPDATE)
    assert change.changes == {"revoked_on": {"old": None, "new": days(-2).isoformat()}}
    assert change.actor == caseworker


def test_revoke_defaults_to_today(caseworker, own):
    consent = record(caseworker, own)
    assert services.consent_revoke(by=caseworker, consent=consent).revoked_on == today()


@pytest.mark.parametrize(
    ("setup", "revoked_on", "message"),
    [
        ({"revoked_on": -5}, 0, "This consent was already revoked on"),
        ({}, 1, "A revocation cannot be recorded ahead"),
        ({}, -31, "The consent cannot be revoked before the day it was given"),
        ({"expires_on": -10}, -2, "This consent had already expired on"),
    ],
)
def test_bad_revocations_are_refused(caseworker, own, setup, revoked_on, message):
    consent = record(
        caseworker, own, **({"expires_on": days(setup["expires_on"])} if "expires_on" in setup else {})
    )
    if "revoked_on" in setup:
        services.consent_revoke(by=caseworker, consent=consent, revoked_on=days(setup["revoked_on"]))
    with pytest.raises(ValidationError) as error:
        services.consent_revoke(by=caseworker, consent=consent, revoked_on=days(revoked_on))
    assert messages_of(error, "revoked_on")[0].startswith(message)


def test_revoking_needs_write_access(caseworker, caseload, make_user):
    consent = record(caseload.colleague, caseload.shared)
    with pytest.raises(PermissionDenied):
        services.consent_revoke(by=caseworker, consent=consent)


def test_renew_records_a_new_consent_with_the_same_terms(caseworker, own):
    old = record(caseworker, own, SHARE, employer_name="Sakura Foods", scope=["skills"], expires_on=days(3))
    new = services.consent_renew(by=caseworker, consent=old, expires_on=days(365))
    assert (new.purpose, new.employer_name, new.scope) == (SHARE, "Sakura Foods", ["skills"])
    assert (new.granted_on, new.expires_on) == (today(), days(365))
    old.refresh_from_db()
    assert old.expires_on == days(3)
    services.consent_revoke(by=caseworker, consent=new)
    with pytest.raises(ValidationError):
        services.consent_renew(by=caseworker, consent=new, expires_on=days(400))


# --- Sensitive information ------------------------------------------------------------------------------


def save(by, applicant, category="health", text="Mild asthma."):
    return services.sensitive_record_save(by=by, applicant=applicant, category=category, text=text)


def only_message(error) -> str:
    return " ".join(error.value.messages)


def test_sensitive_information_without_any_consent_is_refused(caseworker, own):
    record(caseworker, own)  # case management only
    with pytest.raises(ValidationError) as error:
        save(caseworker, own)
    assert error.value.code == "consent_required"
    assert "consent for sensitive information" in only_message(error)
    assert not SensitiveRecord.objects.exists()


def test_sensitive_information_with_an_expired_consent_is_refused(caseworker, own):
    record(caseworker, own, SENSITIVE, granted_on=days(-100), expires_on=days(-1))
    with pytest.raises(ValidationError) as error:
        save(caseworker, own)
    assert f"expired on {days(-1):%Y-%m-%d}" in only_message(error)


def test_sensitive_information_with_a_revoked_consent_is_refused(caseworker, own):
    consent = record(caseworker, own, SENSITIVE)
    services.consent_revoke(by=caseworker, consent=consent)
    with pytest.raises(ValidationError) as error:
        save(caseworker, own)
    assert f"was revoked on {today():%Y-%m-%d}" in only_message(error)


def test_sensitive_information_with_a_consent_not_yet_valid_is_refused(caseworker, own):
    # Recorded ahead (the service refuses a future grant date; an import or a clock may not).
    Consent.objects.create(applicant=own, purpose=SENSITIVE, granted_on=days(3), recorded_by=caseworker)
    with pytest.raises(ValidationError) as error:
        save(caseworker, own)
    assert f"valid only from {days(3):%Y-%m-%d}" in only_message(error)


def test_a_consent_for_another_purpose_or_person_does_not_count(caseworker, own, caseload):
    record(caseworker, own, ConsentPurpose.RESEARCH)
    other = ApplicantFactory(team=own.team, caseworker=caseworker)
    record(caseworker, other, SENSITIVE)
    with pytest.raises(ValidationError):
        save(caseworker, own)


def test_save_and_replace_a_category_with_history(caseworker, supervisor, own):
    record(caseworker, own, SENSITIVE)
    first = save(caseworker, own, text="  Mild asthma.  ")
    assert first.text == "Mild asthma." and first.recorded_by == caseworker
    second = save(supervisor, own, text="Mild asthma, controlled.")
    assert second.pk == first.pk and SensitiveRecord.objects.count() == 1
    assert second.recorded_by == supervisor
    history = list(ChangeRecord.objects.filter(model="casework.sensitiverecord").order_by("at", "pk"))
    assert [row.action for row in history] == ["create", "update"]
    assert history[1].changes["text"] == {"old": "Mild asthma.", "new": "Mild asthma, controlled."}
    assert history[1].actor == supervisor
    # The label never repeats the text.
    assert "asthma" not in history[0].object_label


def test_saving_the_same_text_again_writes_no_history(caseworker, own):
    record(caseworker, own, SENSITIVE)
    save(caseworker, own)
    save(caseworker, own)
    assert ChangeRecord.objects.filter(model="casework.sensitiverecord").count() == 1


def test_sensitive_bad_category_and_empty_text(caseworker, own):
    record(caseworker, own, SENSITIVE)
    with pytest.raises(ValidationError) as error:
        save(caseworker, own, category="religion")
    assert "category" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        save(caseworker, own, text="   ")
    assert messages_of(error, "text") == ["Write the information for this category."]


@pytest.mark.parametrize(
    "who", ["administrator", "colleague", "other_supervisor", "other_caseworker", "trainer"]
)
def test_only_the_assigned_caseworker_and_team_supervisors_may_write(who, request, caseworker, caseload):
    users = {
        "administrator": request.getfixturevalue("administrator"),
        "colleague": caseload.colleague,  # same team, reads the case, not the sensitive section
        "other_supervisor": caseload.other_supervisor,
        "other_caseworker": caseload.other_caseworker,
        "trainer": request.getfixturevalue("trainer"),
    }
    record(caseworker, caseload.own, SENSITIVE)
    with pytest.raises(PermissionDenied):
        save(users[who], caseload.own)


def test_the_assigned_caseworker_of_a_team_case_may_write_but_not_a_teammate(caseworker, caseload):
    record(caseload.colleague, caseload.shared, SENSITIVE)
    assert save(caseload.colleague, caseload.shared).applicant == caseload.shared
    with pytest.raises(PermissionDenied):
        save(caseworker, caseload.shared)


def test_an_administrator_who_is_also_the_caseworker_may_write(make_user, team, caseworker):
    both = make_user(Role.ADMINISTRATOR, Role.CASEWORKER, username="both", team=team)
    applicant = ApplicantFactory(team=team, caseworker=both)
    record(both, applicant, SENSITIVE)
    assert save(both, applicant).recorded_by == both


# --- Erasure ---------------------------------------------------------------------------------------------


def test_erase_is_refused_while_the_consent_is_current(caseworker, own):
    record(caseworker, own, SENSITIVE)
    save(caseworker, own)
    with pytest.raises(ValidationError) as error:
        services.sensitive_records_erase(by=caseworker, applicant=own)
    assert "still current" in only_message(error)
    assert SensitiveRecord.objects.count() == 1


def test_erasure_after_revocation_keeps_who_when_and_field_with_the_marker(caseworker, supervisor, own):
    consent = record(caseworker, own, SENSITIVE)
    save(caseworker, own, "health", "Mild asthma.")
    save(caseworker, own, "persecution", "Threats at work.")
    save(supervisor, own, "health", "Mild asthma, controlled.")
    services.legal_period_record(
        by=caseworker,
        applicant=own,
        data={"status_kind": "da_refugee_applicant", "start_date": days(-10), "end_date": days(170)},
    )
    services.consent_revoke(by=caseworker, consent=consent)
    log_before = AccessLogEntry.objects.count()

    assert services.sensitive_records_erase(by=supervisor, applicant=own) == 2

    assert not SensitiveRecord.objects.filter(applicant=own).exists()
    rows = list(ChangeRecord.objects.filter(model="casework.sensitiverecord").order_by("at", "pk"))
    assert [row.action for row in rows] == ["create", "create", "update", "delete", "delete"]
    assert [row.actor for row in rows] == [caseworker, caseworker, supervisor, supervisor, supervisor]
    for row in rows:
        assert row.erased and row.at is not None and row.applicant_id == own.pk
        assert row.changes, row
        for field, values in row.changes.items():
            assert values == {"old": ERASED_MARKER, "new": ERASED_MARKER}, (row.action, field)
    assert "text" in rows[0].changes and "category" in rows[0].changes
    assert set(rows[2].changes) == {"text", "recorded_by_id"}
    assert not any("asthma" in str(row.changes) or "Threats" in str(row.changes) for row in rows)
    # Only the sensitive records' history: the consent's and the period's keep their values and labels.
    consent_rows = ChangeRecord.objects.filter(model="casework.consent")
    assert not any(row.erased for row in consent_rows)
    assert consent_rows.filter(changes__revoked_on__new=today().isoformat()).exists()
    period = ChangeRecord.objects.get(model="casework.legalstatusperiod")
    assert not period.erased and period.changes["status_kind"]["new"] == "da_refugee_applicant"
    assert AccessLogEntry.objects.count() == log_before


def test_erasure_after_expiry_and_with_nothing_stored(caseworker, own):
    assert services.sensitive_records_erase(by=caseworker, applicant=own) == 0
    Consent.objects.create(
        applicant=own, purpose=SENSITIVE, granted_on=days(-30), expires_on=days(-1), recorded_by=caseworker
    )
    SensitiveRecord.objects.create(applicant=own, category="health", text="x", recorded_by=caseworker)
    assert services.sensitive_records_erase(by=caseworker, applicant=own) == 1


def test_administrators_cannot_erase(caseworker, administrator, own):
    consent = record(caseworker, own, SENSITIVE)
    save(caseworker, own)
    services.consent_revoke(by=caseworker, consent=consent)
    with pytest.raises(PermissionDenied):
        services.sensitive_records_erase(by=administrator, applicant=own)
    assert SensitiveRecord.objects.count() == 1


# --- Selectors ---------------------------------------------------------------------------------------------


def test_consent_allows_follows_the_days(caseworker, own):
    consent = record(caseworker, own, ConsentPurpose.RESEARCH, granted_on=days(-10), expires_on=days(10))
    allows = [
        selectors.consent_allows(own, ConsentPurpose.RESEARCH, on=days(n)) for n in (-11, -10, 0, 10, 11)
    ]
    assert allows == [False, True, True, True, False]
    assert not selectors.consent_allows(own, SENSITIVE, on=today())
    services.consent_revoke(by=caseworker, consent=consent, revoked_on=days(-1))
    assert selectors.consent_allows(own, ConsentPurpose.RESEARCH, on=days(-2))
    assert not selectors.consent_allows(own, ConsentPurpose.RESEARCH, on=days(-1))
    assert not selectors.consent_allows(own, ConsentPurpose.RESEARCH)


def test_consent_allows_sharing_with_the_named_employer_only(caseworker, own):
    by_name = record(caseworker, own, SHARE, employer_name="Sakura Foods Co., Ltd.", scope=["skills"])
    # A partner employer's reference is set when a consent names a partner (registered by the jobs app,
    # tests/jobs/test_consent_recipients.py); here the row is written as such a consent stores it.
    by_ref = Consent.objects.create(
        applicant=own,
        purpose=SHARE,
        employer_name="Aoba Logistics",
        employer_ref="jobs.employer:7",
        scope=["contact"],
        granted_on=days(-30),
        recorded_by=caseworker,
    )
    allows = selectors.consent_allows
    assert allows(own, SHARE, employer_name="sakura  foods co., ltd.")
    assert allows(own, SHARE, employer_ref="jobs.employer:3", employer_name="Sakura Foods Co., Ltd.")
    assert allows(own, SHARE, employer_ref="jobs.employer:7")
    assert not allows(own, SHARE, employer_ref="jobs.employer:8", employer_name="Aoba Logistics")
    assert not allows(own, SHARE, employer_name="Other Company")
    assert not allows(own, SHARE)  # sharing always names an employer
    assert allows(own, SHARE, employer_name="Sakura Foods Co., Ltd.", field_group="skills")
    assert not allows(own, SHARE, employer_name="Sakura Foods Co., Ltd.", field_group="contact")
    assert allows(own, SHARE, employer_ref="jobs.employer:7", field_group="contact")
    assert by_name.pk and by_ref.pk


def test_consent_allows_works_on_prefetched_rows_without_queries(caseworker, own, django_assert_num_queries):
    record(caseworker, own, SHARE, employer_name="Sakura Foods", scope=["skills", "languages"])
    record(caseworker, own, SENSITIVE)
    applicant = selectors.applicant_detail_queryset(caseworker).get(pk=own.pk)
    with django_assert_num_queries(0):
        assert selectors.consent_allows(
            applicant, SHARE, employer_name="Sakura Foods", field_group="languages"
        )
        assert selectors.consent_allows(applicant, SENSITIVE, on=today())
        consents = list(applicant.consents.all())
        assert selectors.consents_allow(consents, SHARE, on=today(), employer_name="Sakura Foods")
        assert not selectors.consents_allow(consents, ConsentPurpose.TRANSFER_ABROAD, on=today())


def test_consent_check_explains_why_not(caseworker, own):
    check = selectors.consent_check([], SENSITIVE, on=today())
    assert (check.allowed, check.reason) == (False, "none")
    expired = record(caseworker, own, SENSITIVE, granted_on=days(-60), expires_on=days(-30))
    revoked = record(caseworker, own, SENSITIVE, granted_on=days(-20))
    services.consent_revoke(by=caseworker, consent=revoked, revoked_on=days(-5))
    consents = list(Consent.objects.filter(applicant=own))
    check = selectors.consent_check(consents, SENSITIVE, on=today())
    assert (check.allowed, check.reason, check.latest.pk) == (False, "revoked", revoked.pk)
    assert selectors.consent_check(consents, SENSITIVE, on=days(-40)).current.pk == expired.pk
    assert selectors.consent_state(expired, today()) == "expired"


def test_sensitive_records_readable_needs_a_current_consent(caseworker, supervisor, administrator, own):
    consent = record(caseworker, own, SENSITIVE)
    save(caseworker, own)
    assert selectors.sensitive_records_readable(user=caseworker).count() == 1
    assert selectors.sensitive_records_readable(user=supervisor).count() == 1
    assert selectors.sensitive_records_readable(user=administrator).count() == 0
    services.consent_revoke(by=caseworker, consent=consent)
    assert selectors.sensitive_records_readable(user=caseworker).count() == 0
    assert selectors.sensitive_records_readable(user=caseworker, day=days(-1)).count() == 1


def test_sensitive_access_allowed(caseworker, supervisor, administrator, caseload, trainer):
    allowed = selectors.sensitive_access_allowed
    assert allowed(user=caseworker, applicant=caseload.own)
    assert allowed(user=supervisor, applicant=caseload.shared)
    assert not allowed(user=caseworker, applicant=caseload.shared)
    assert not allowed(user=caseload.other_supervisor, applicant=caseload.own)
    assert not allowed(user=administrator, applicant=caseload.own)
    assert not allowed(user=trainer, applicant=caseload.own)
    caseworker.is_active = False
    assert not allowed(user=caseworker, applicant=caseload.own)

"""Sign-in, throttling, two-factor sign-in, password change and password reset, through the pages."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import User
from casework.services import accounts as account_services

PASSWORD = "correct-horse-battery"
GENERIC_ERROR = "The username or password is not correct."
LOGIN = "/accounts/login/"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str = PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows right now for this device's secret."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def confirmed_totp(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- Sign-in --------------------------------------------------------------------------------------------


def test_right_password_signs_in_and_lands_on_home(caseworker):
    client = Client()
    response = sign_in(client, "case1")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert is_signed_in(client)


def test_wrong_password_and_unknown_user_get_the_same_generic_message(caseworker):
    wrong_password = sign_in(Client(), "case1", "not-the-password")
    unknown_user = sign_in(Client(), "nobody-here", "not-the-password")

    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        form = response.context["form"]
        # The message is not attached to a field: it must not say which one was wrong.
        assert form.errors == {"__all__": [GENERIC_ERROR]}
        assert GENERIC_ERROR in response.content.decode()
    # Nothing else in the page differs between "no such user" and "wrong password".
    assert _error_block(wrong_password) == _error_block(unknown_user)


def _error_block(response) -> str:
    match = re.search(r'<div class="form-errors".*?</div>', response.content.decode(), re.S)
    assert match
    return match.group(0)


def test_inactive_user_gets_the_same_generic_message(make_user):
    make_user("caseworker", username="gone", is_active=False)
    response = sign_in(Client(), "gone")
    assert response.context["form"].errors == {"__all__": [GENERIC_ERROR]}


def test_failed_sign_ins_lock_that_username_at_that_address(caseworker, supervisor, settings):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    client = Client()
    for attempt in range(1, limit):
        response = sign_in(client, "case1", f"wrong-{attempt}")
        assert response.status_code == 200, attempt

    locked = sign_in(client, "case1", "wrong-last")
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "locked for 15 minutes" in text
    assert GENERIC_ERROR not in text

    # While locked, even the right password is refused, from a new session at the same address.
    fresh = Client()
    again = sign_in(fresh, "case1", PASSWORD)
    assert again.status_code == 429
    assert "locked for 15 minutes" in again.content.decode()
    assert not is_signed_in(fresh)

    # Another account from the same address is not locked...
    other = Client()
    assert sign_in(other, "super1").status_code == 302
    assert is_signed_in(other)
    # ...and neither is the same account from another address.
    elsewhere = Client(REMOTE_ADDR="192.0.2.77")
    assert sign_in(elsewhere, "case1").status_code == 302
    assert is_signed_in(elsewhere)


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(caseworker, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "case1", f"wrong-{attempt}", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}")
    response = sign_in(Client(), "case1", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.200")
    assert response.status_code == 429


def test_lock_ends_after_the_cool_off_time(caseworker, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(Client(), "case1", f"wrong-{attempt}")
    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert sign_in(Client(), "case1").status_code == 429
    # Trying while locked starts the 15 minutes again (the message stays true: "locked for 15 minutes").
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert sign_in(Client(), "case1").status_code == 429
    with time_machine.travel(start + timedelta(minutes=16 + 16), tick=False):
        client = Client()
        assert sign_in(client, "case1").status_code == 302
        assert is_signed_in(client)


def test_lock_ends_after_the_cool_off_time_when_nobody_tries_meanwhile(caseworker, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            sign_in(Client(), "case1", f"wrong-{attempt}")
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        client = Client()
        assert sign_in(client, "case1").status_code == 302
        assert is_signed_in(client)


def test_a_successful_sign_in_resets_the_failure_count(caseworker, settings):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(Client(), "case1", f"wrong-{attempt}")
    assert sign_in(Client(), "case1").status_code == 302
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(Client(), "case1", f"wrong-again-{attempt}").status_code == 200
    assert sign_in(Client(), "case1").status_code == 302


def test_sign_out_is_a_post_and_ends_the_session(caseworker):
    client = Client()
    sign_in(client, "case1")
    assert client.get("/accounts/logout/").status_code == 405
    assert is_signed_in(client)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not is_signed_in(client)


def test_sign_in_sets_the_language_the_user_chose_last_time(make_user):
    make_user("caseworker", username="hanako", language="ja")
    client = Client()
    response = sign_in(client, "hanako")
    assert response.cookies["django_language"].value == "ja"
    page = client.get("/")
    assert page.status_code == 200
    assert '<html lang="ja">' in page.content.decode()


# --- Two-factor: a staff user without a device, while it is required -----------------------------------


@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/accounts/security/",
        "/accounts/password/change/",
        "/accounts/service-accounts/",
        "/accounts/two-factor/verify/",
        "/partner/",
        "/admin/",
    ],
)
def test_staff_without_a_device_is_sent_to_setup_from_every_page(administrator, path):
    client = Client()
    assert sign_in(client, "admin1").status_code == 302
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP)
    assert client.get(response["Location"]).status_code == 200


@override_settings(REQUIRE_2FA=True)
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/me/", "/api/v1/teams/", "/api/v1/schema/"])
def test_staff_without_a_device_gets_json_403_from_the_api(caseworker, path):
    client = Client()
    sign_in(client, "case1")
    response = client.get(path)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "Two-factor" in response.json()["detail"]


@override_settings(REQUIRE_2FA=True)
def test_staff_without_a_device_may_still_set_up_change_language_and_sign_out(trainer):
    client = Client()
    sign_in(client, "trainer1")
    assert client.get(SETUP).status_code == 200
    switched = client.post("/i18n/setlang/", {"language": "ja", "next": SETUP})
    assert switched.status_code == 302
    assert switched["Location"] == SETUP
    assert User.objects.get(pk=trainer.pk).language == "ja"
    signed_out = client.post("/accounts/logout/")
    assert signed_out.status_code == 302
    assert not is_signed_in(client)


@override_settings(REQUIRE_2FA=True)
def test_employer_users_are_not_forced_to_set_up_two_factor(employer):
    client = Client()
    sign_in(client, "employer1")
    response = client.get("/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/partner/", 302)]
    assert client.get("/api/v1/me/").status_code == 200


@override_settings(REQUIRE_2FA=False)
def test_staff_are_not_forced_when_two_factor_is_not_required(caseworker):
    client = Client()
    sign_in(client, "case1")
    assert client.get("/").status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_setting_up_two_factor_end_to_end(caseworker):
    client = Client()
    sign_in(client, "case1")
    sent_to_setup = client.get("/accounts/security/")
    assert sent_to_setup["Location"] == SETUP + "?next=%2Faccounts%2Fsecurity%2F"

    page = client.get(sent_to_setup["Location"])
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=caseworker)
    assert not device.confirmed
    html = page.content.decode()
    assert "<svg" in html
    assert page.context["secret"] in html
    # The secret shown is the device's key, so an app set up by hand produces the right codes.
    assert page.context["secret"] == _base32(device.bin_key)
    # Coming back to the page keeps the same pending device (the QR code already scanned stays valid).
    assert client.get(SETUP).context["secret"] == page.context["secret"]
    assert TOTPDevice.objects.filter(user=caseworker).count() == 1

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        wrong = client.post(SETUP, {"token": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 200
    assert "token" in wrong.context["form"].errors
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get("/").status_code == 302

    with time_machine.travel(now + timedelta(seconds=5), tick=False):
        done = client.post(SETUP, {"token": code_for(device), "next": "/accounts/security/"})
    assert done.status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    codes = done.context["codes"]
    assert len(codes) == 10
    assert len(set(codes)) == 10
    for code in codes:
        assert code in done.content.decode()
    assert set(StaticToken.objects.filter(device__user=caseworker).values_list("token", flat=True)) == set(
        codes
    )
    assert done.context["next"] == "/accounts/security/"
    # The session is verified: the pages open.
    assert client.get("/").status_code == 200
    assert client.get("/accounts/security/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


def _base32(key: bytes) -> str:
    import base64

    return base64.b32encode(key).decode().rstrip("=")


@override_settings(REQUIRE_2FA=True)
def test_setup_refuses_an_old_code_and_keeps_the_user_on_setup(caseworker):
    client = Client()
    sign_in(client, "case1")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=caseworker)
    now = timezone.now()
    with time_machine.travel(now - timedelta(minutes=10), tick=False):
        stale = code_for(device)
    with time_machine.travel(now, tick=False):
        if stale == code_for(device):  # one chance in a million
            pytest.skip("the old code happens to equal the current one")
        response = client.post(SETUP, {"token": stale})
    assert response.context["form"].errors["token"]
    assert client.get("/")["Location"].startswith(SETUP)


# --- Two-factor: a user with a confirmed device --------------------------------------------------------


@pytest.mark.parametrize("required", [True, False])
def test_a_user_with_a_device_must_verify_after_the_password(caseworker, required):
    device = confirmed_totp(caseworker)
    client = Client()
    with override_settings(REQUIRE_2FA=required):
        sign_in(client, "case1")
        sent = client.get("/accounts/security/")
        assert sent.status_code == 302
        assert sent["Location"] == VERIFY + "?next=%2Faccounts%2Fsecurity%2F"
        assert client.get("/api/v1/me/").status_code == 403
        # Verification cannot be skipped by going to setup to make a second device.
        assert client.get(SETUP)["Location"] == reverse("two_factor_verify")

        now = timezone.now()
        with time_machine.travel(now, tick=False):
            wrong = client.post(VERIFY, {"token": "12345", "next": "/accounts/security/"})
        assert wrong.status_code == 200
        assert wrong.context["form"].errors["token"] == ["That code is not correct."]

        with time_machine.travel(now + timedelta(seconds=5), tick=False):
            right = client.post(VERIFY, {"token": code_for(device), "next": "/accounts/security/"})
        assert right.status_code == 302
        assert right["Location"] == "/accounts/security/"
        assert client.get("/accounts/security/").status_code == 200
        assert client.get("/api/v1/me/").status_code == 200


@override_settings(REQUIRE_2FA=True)
def test_verify_does_not_redirect_to_another_site(caseworker):
    device = confirmed_totp(caseworker)
    client = Client()
    sign_in(client, "case1")
    response = client.post(VERIFY, {"token": code_for(device), "next": "https://evil.example.com/"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


@override_settings(REQUIRE_2FA=True)
def test_a_totp_code_is_accepted_only_once(caseworker):
    device = confirmed_totp(caseworker)
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        code = code_for(device)
        first = Client()
        sign_in(first, "case1")
        assert first.post(VERIFY, {"token": code})["Location"] == reverse("home")
    with time_machine.travel(now + timedelta(seconds=2), tick=False):
        second = Client()
        sign_in(second, "case1")
        replay = second.post(VERIFY, {"token": code})
        assert replay.status_code == 200
        assert replay.context["form"].errors["token"]


@override_settings(REQUIRE_2FA=True)
def test_a_recovery_code_works_once(supervisor):
    confirmed_totp(supervisor)
    codes = account_services.recovery_codes_regenerate(user=supervisor)
    # People copy codes with spaces or dashes; both are ignored.
    typed = f"{codes[0][:4]}-{codes[0][4:]}"

    first = Client()
    sign_in(first, "super1")
    response = first.post(VERIFY, {"token": typed}, follow=True)
    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert response.status_code == 200
    assert "9 codes are left" in response.content.decode()
    assert StaticToken.objects.filter(device__user=supervisor).count() == 9

    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=False):
        second = Client()
        sign_in(second, "super1")
        reused = second.post(VERIFY, {"token": codes[0]})
        assert reused.status_code == 200
        assert reused.context["form"].errors["token"]
        assert second.get("/").status_code == 302
    # Another code still works (after the short pause that follows a failed code).
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=False):
        assert second.post(VERIFY, {"token": codes[1]}).status_code == 302


@override_settings(REQUIRE_2FA=True)
def test_failed_codes_slow_down_guessing(caseworker):
    device = confirmed_totp(caseworker)
    client = Client()
    sign_in(client, "case1")
    now = timezone.now()
    with time_machine.travel(now, tick=False):
        for _ in range(3):
            client.post(VERIFY, {"token": "999999" if code_for(device) != "999999" else "888888"})
        # Right after three failures even the right code is refused for a while.
        assert client.post(VERIFY, {"token": code_for(device)}).status_code == 200
    with time_machine.travel(now + timedelta(seconds=10), tick=False):
        assert client.post(VERIFY, {"token": code_for(device)}).status_code == 302


# --- Account security page -----------------------------------------------------------------------------


def verified_client(user: User, device: TOTPDevice) -> Client:
    client = Client()
    sign_in(client, user.username)
    response = client.post(VERIFY, {"token": code_for(device)})
    assert response.status_code == 302, "could not verify"
    return client


@override_settings(REQUIRE_2FA=True)
def test_regenerating_recovery_codes_replaces_the_old_ones(caseworker):
    device = confirmed_totp(caseworker)
    old = account_services.recovery_codes_regenerate(user=caseworker)
    client = verified_client(caseworker, device)

    page = client.get("/accounts/security/")
    assert "You have 10 recovery codes left." in page.content.decode()
    assert client.get("/accounts/two-factor/recovery-codes/").status_code == 405

    response = client.post("/accounts/two-factor/recovery-codes/")
    assert response.status_code == 200
    new = response.context["codes"]
    assert len(new) == 10
    assert not set(new) & set(old)
    assert set(StaticToken.objects.filter(device__user=caseworker).values_list("token", flat=True)) == set(
        new
    )
    assert StaticDevice.objects.filter(user=caseworker).count() == 1


@override_settings(REQUIRE_2FA=True)
def test_turning_two_factor_off_is_refused_when_required(caseworker):
    device = confirmed_totp(caseworker)
    account_services.recovery_codes_regenerate(user=caseworker)
    client = verified_client(caseworker, device)
    page = client.get("/accounts/security/")
    assert "/accounts/two-factor/disable/" not in page.content.decode()

    response = client.post("/accounts/two-factor/disable/", follow=True)
    assert response.status_code == 200
    assert "required for your role and cannot be turned off" in response.content.decode()
    assert TOTPDevice.objects.filter(user=caseworker, confirmed=True).exists()
    assert StaticToken.objects.filter(device__user=caseworker).count() == 10


@override_settings(REQUIRE_2FA=True)
def test_an_employer_may_turn_two_factor_off(employer):
    device = confirmed_totp(employer)
    account_services.recovery_codes_regenerate(user=employer)
    client = verified_client(employer, device)
    assert "/accounts/two-factor/disable/" in client.get("/accounts/security/").content.decode()

    response = client.post("/accounts/two-factor/disable/", follow=True)
    assert "Two-factor sign-in is turned off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=employer).exists()
    assert not StaticDevice.objects.filter(user=employer).exists()
    # The next sign-in needs the password only.
    again = Client()
    sign_in(again, "employer1")
    assert again.get("/partner/").status_code == 200


# --- Password change and reset -------------------------------------------------------------------------


def test_password_change(caseworker):
    client = Client()
    sign_in(client, "case1")
    wrong_old = client.post(
        "/accounts/password/change/",
        {
            "old_password": "not-it",
            "new_password1": "a-new-long-pass-41",
            "new_password2": "a-new-long-pass-41",
        },
    )
    assert wrong_old.status_code == 200
    assert "old_password" in wrong_old.context["form"].errors

    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass-41",
            "new_password2": "a-new-long-pass-41",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    # The session that changed the password stays signed in.
    assert client.get(response["Location"]).status_code == 200

    assert sign_in(Client(), "case1", PASSWORD).status_code == 200
    assert sign_in(Client(), "case1", "a-new-long-pass-41").status_code == 302


def test_password_change_refuses_a_weak_password(caseworker):
    client = Client()
    sign_in(client, "case1")
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    assert User.objects.get(pk=caseworker.pk).check_password(PASSWORD)


def test_password_reset_by_email(caseworker):
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": "case1@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["case1@example.org"]
    assert "case1" in message.body
    links = re.findall(r"https?://testserver(/accounts/password/reset/[^/\s]+/[^/\s]+/)", message.body)
    assert len(links) == 1

    opened = client.get(links[0])
    assert opened.status_code == 302  # Django moves the token out of the URL into the session
    form_page = client.get(opened["Location"])
    assert form_page.status_code == 200
    assert form_page.context["validlink"]

    done = client.post(
        opened["Location"], {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("password_reset_complete")
    assert client.get(done["Location"]).status_code == 200

    assert sign_in(Client(), "case1", "brand-new-pass-77").status_code == 302
    assert sign_in(Client(), "case1", PASSWORD).status_code == 200
    # The link works once.
    reused = Client().get(links[0], follow=True)
    assert reused.status_code == 200
    assert not reused.context["validlink"]


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(caseworker):
    response = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_password_reset_link_with_a_bad_token_is_refused(caseworker):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    uid = urlsafe_base64_encode(force_bytes(caseworker.pk))
    response = Client().get(f"/accounts/password/reset/{uid}/bad-token/")
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert "This link is not valid" in response.content.decode()


# --- The Django admin signs in through our page ----------------------------------------------------------


def test_admin_sends_anonymous_people_to_our_sign_in_page(administrator):
    client = Client()
    to_admin_login = client.get("/admin/")
    assert to_admin_login.status_code == 302
    assert to_admin_login["Location"] == "/admin/login/?next=/admin/"
    to_sign_in = client.get(to_admin_login["Location"])
    assert to_sign_in.status_code == 302
    assert to_sign_in["Location"] == "/accounts/login/?next=/admin/"

    signed_in = client.post(
        to_sign_in["Location"], {"username": "admin1", "password": PASSWORD, "next": "/admin/"}
    )
    assert signed_in["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_refuses_a_signed_in_person_without_admin_access_instead_of_looping(supervisor):
    client = Client()
    sign_in(client, "super1")
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]


@pytest.mark.django_db
def test_language_chosen_on_the_sign_in_page_wins_and_is_remembered(client, caseworker):
    from django.conf import settings as django_settings

    assert caseworker.language == ""  # no choice made yet
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "ja"
    response = client.post(
        "/accounts/login/", {"username": caseworker.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    caseworker.refresh_from_db()
    assert caseworker.language == "ja"
    assert client.get("/").content.count("ようこそ".encode()) == 1


@pytest.mark.parametrize(("browser", "welcome"), [("en", "Welcome"), ("ja", "ようこそ")])
def test_a_person_who_never_chose_a_language_gets_their_browsers(client, caseworker, browser, welcome):
    from django.conf import settings as django_settings

    assert caseworker.language == ""
    response = client.post(
        "/accounts/login/",
        {"username": caseworker.username, "password": "correct-horse-battery"},
        HTTP_ACCEPT_LANGUAGE=browser,
    )
    assert response.status_code == 302
    assert django_settings.LANGUAGE_COOKIE_NAME not in response.cookies, "no choice is forced on them"
    assert welcome in client.get("/", HTTP_ACCEPT_LANGUAGE=browser).content.decode()
    caseworker.refresh_from_db()
    assert caseworker.language == ""


def test_a_language_once_chosen_follows_the_person_to_another_browser(client, caseworker):
    from django.conf import settings as django_settings

    caseworker.language = "ja"
    caseworker.save(update_fields=["language"])
    response = client.post(
        "/accounts/login/",
        {"username": caseworker.username, "password": "correct-horse-battery"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "ja"

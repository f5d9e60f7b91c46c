"""Sessions (issue 19): idle and absolute limits, background polling, keep-alive, administrators ending a
person's sessions, and the notices sent when a password or an e-mail address changes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.authtoken.models import Token

from casework.browser_sessions import EXPIRES_HEADER, activity_resolution
from casework.models import AccessLogEntry, OutgoingEmail, User, UserSession
from casework.roles import Role
from casework.services import accounts as account_services
from casework.services.account_notices import mask_email

pytestmark = pytest.mark.django_db

START = datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
IDLE = 30 * 60
ABSOLUTE = 12 * 60 * 60
PASSWORD = "correct-horse-battery"
BACKGROUND = {"HTTP_X_TOBIRA_BACKGROUND": "1"}


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def at(clock, seconds: int) -> None:
    clock.move_to(START + timedelta(seconds=seconds))


def signed_out_to(response, reason: str) -> dict[str, list[str]]:
    assert response.status_code == 302, response.status_code
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    query = parse_qs(location.query)
    assert query["signed_out"] == [reason]
    return query


# --- The limits -----------------------------------------------------------------------------------------


def test_the_defaults_are_thirty_minutes_idle_and_twelve_hours_at_most():
    assert settings.SESSION_IDLE_TIMEOUT == IDLE
    assert settings.SESSION_ABSOLUTE_TIMEOUT == ABSOLUTE
    assert settings.SESSION_EXPIRY_WARNING == 120


def test_a_session_idle_for_thirty_minutes_is_signed_out_with_a_message(clock, client_for, caseworker):
    client = client_for(caseworker)
    assert client.get("/").status_code == 200
    at(clock, IDLE - 1)
    assert client.get("/").status_code == 200  # not yet: and this request is activity
    at(clock, 2 * IDLE - 2)
    assert client.get("/").status_code == 200
    at(clock, 3 * IDLE - 2)  # thirty minutes after the last request

    response = client.get("/applicants/?q=x")

    query = signed_out_to(response, "idle")
    assert query["next"] == ["/applicants/?q=x"]
    assert not UserSession.objects.filter(user=caseworker).exists()
    page = client.get(response["Location"])
    assert (
        "You were signed out after 30 minutes without activity. Please sign in again."
        in page.content.decode()
    )
    assert client.get("/").status_code == 302  # the session is gone, not just refused once
    sign_out = AccessLogEntry.objects.filter(actor=caseworker, kind=AccessLogEntry.Kind.SIGN_OUT).get()
    assert sign_out.detail == {"reason": "idle"}


def test_a_session_ends_twelve_hours_after_signing_in_however_active(clock, client_for, caseworker):
    client = client_for(caseworker)
    for minutes in range(0, 12 * 60, 20):
        at(clock, minutes * 60)
        assert client.get("/").status_code == 200, minutes
    at(clock, ABSOLUTE)

    response = client.get("/")

    signed_out_to(response, "absolute")
    page = client.get(response["Location"])
    assert "You were signed out 12 hours after signing in. Please sign in again." in page.content.decode()


@pytest.mark.parametrize("seconds", [IDLE - 60, IDLE - 1])
def test_activity_is_written_at_most_once_a_minute_but_idle_is_never_late(
    clock, client_for, caseworker, seconds
):
    client = client_for(caseworker)
    row = UserSession.objects.get(user=caseworker)
    at(clock, activity_resolution() - 1)
    client.get("/")
    row.refresh_from_db()
    assert row.last_activity == START  # within the minute: the session and its row are not written
    at(clock, seconds)
    client.get("/")
    row.refresh_from_db()
    assert row.last_activity == START + timedelta(seconds=seconds)
    at(clock, seconds + IDLE)
    signed_out_to(client.get("/"), "idle")


def test_background_polling_does_not_keep_a_session_alive(clock, client_for, caseworker):
    client = client_for(caseworker)
    for seconds in range(120, IDLE, 120):  # a progress bar polled every two minutes for half an hour
        at(clock, seconds)
        response = client.get("/", **BACKGROUND)
        assert response.status_code == 200
        assert int(response[EXPIRES_HEADER]) == IDLE - seconds
    at(clock, IDLE)
    signed_out_to(client.get("/"), "idle")


def test_every_polling_element_marks_its_requests_as_background():
    templates = [
        path
        for app in ("casework", "learning", "jobs", "reports")
        for path in (Path(settings.BASE_DIR) / app / "templates").rglob("*.html")
        if 'hx-trigger="every' in path.read_text(encoding="utf-8")
    ]
    assert templates, "the import and export progress bars poll"
    for path in templates:
        for element in re.findall(r"<[^>]*hx-trigger=\"every[^>]*>", path.read_text(encoding="utf-8")):
            assert """hx-headers='{"X-Tobira-Background": "1"}'""" in element, path


def test_keep_alive_post_extends_the_session_and_its_get_does_not(clock, client_for, caseworker):
    client = client_for(caseworker)
    at(clock, IDLE - 100)
    status = client.get(reverse("session_keep_alive"))
    assert status.json() == {"expires_in": 100, "warning": 120}
    kept = client.post(reverse("session_keep_alive"))
    assert kept.status_code == 200
    assert kept.json()["expires_in"] == IDLE
    at(clock, 2 * IDLE - 101)
    assert client.get("/").status_code == 200
    at(clock, 2 * IDLE - 100 + IDLE)
    signed_out_to(client.get("/"), "idle")


def test_keep_alive_needs_the_csrf_token_and_a_session(caseworker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    assert client.post(reverse("session_keep_alive")).status_code == 403
    anonymous = Client().get(reverse("session_keep_alive"))
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "not_authenticated"


def test_an_expired_session_gets_401_json_from_the_api(clock, client_for, caseworker):
    client = client_for(caseworker)
    at(clock, IDLE)
    response = client.get("/api/v1/me/", HTTP_REFERER="http://testserver/applicants/")
    assert response.status_code == 401
    assert response.json()["code"] == "session_expired"
    assert response.json()["reason"] == "idle"
    assert "without activity" in response.json()["detail"]


def test_an_expired_keep_alive_answers_where_to_sign_in(clock, client_for, caseworker):
    client = client_for(caseworker)
    at(clock, IDLE)
    response = client.get(
        reverse("session_keep_alive"), HTTP_REFERER="http://testserver/applicants/", **BACKGROUND
    )
    assert response.status_code == 401
    query = parse_qs(urlsplit(response["HX-Redirect"]).query)
    assert query == {"signed_out": ["idle"], "next": ["/applicants/"]}


def test_an_expired_htmx_request_gets_hx_redirect(clock, client_for, caseworker):
    client = client_for(caseworker)
    at(clock, IDLE)
    response = client.get(
        "/applicants/search/?q=ab",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/applicants/",
    )
    assert response.status_code == 401
    location = urlsplit(response["HX-Redirect"])
    assert location.path == reverse("login")
    assert parse_qs(location.query) == {"signed_out": ["idle"], "next": ["/applicants/"]}


def test_api_tokens_are_not_sessions_and_have_no_idle_limit(clock):
    account, token = account_services.service_account_create(
        by=User.objects.create(username="boss"), username="integration", role=Role.TRAINER
    )
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/me/").status_code == 200
    at(clock, ABSOLUTE * 3)
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert EXPIRES_HEADER not in response
    assert Token.objects.filter(user=account).exists()
    assert not UserSession.objects.filter(user=account).exists()


def test_the_shell_renders_the_seconds_left_and_the_warning(clock, client_for, employer):
    client = client_for(employer)  # the partner portal shows shared case data too: the same limits
    at(clock, 600)
    page = client.get(reverse("partner_home")).content.decode()
    assert f'data-expires-in="{IDLE}"' in page  # this request was activity
    assert 'data-warning="120"' in page
    assert 'role="alertdialog"' in page
    assert "You will be signed out in 2 minutes." in page
    assert "Stay signed in" in page


# --- An administrator ends a person's sessions ---------------------------------------------------------


def test_an_administrator_ends_every_session_of_a_person(client_for, administrator, caseworker):
    laptop, phone = client_for(caseworker), client_for(caseworker)
    assert UserSession.objects.filter(user=caseworker).count() == 2
    admin = client_for(administrator)
    change_page = reverse("admin:casework_user_change", args=[caseworker.pk])

    page = admin.get(change_page).content.decode()
    assert "End all sessions" in page
    response = admin.post(reverse("user_sessions_end", args=[caseworker.pk]), {"next": change_page})

    assert response.status_code == 302
    assert response["Location"] == change_page
    for client in (laptop, phone):
        assert client.get("/")["Location"].startswith(reverse("login"))
    assert not UserSession.objects.filter(user=caseworker).exists()
    entry = AccessLogEntry.objects.get(kind=AccessLogEntry.Kind.SESSIONS_ENDED)
    assert (entry.actor, entry.object_label, entry.detail) == (
        administrator,
        caseworker.username,
        {"user_id": caseworker.pk, "sessions": 2},
    )
    assert admin.get("/").status_code == 200  # the administrator's own session stays


def test_the_admin_action_ends_the_sessions_of_the_selected_users(
    client_for, administrator, caseworker, trainer
):
    client_for(caseworker), client_for(trainer)
    admin = client_for(administrator)
    response = admin.post(
        reverse("admin:casework_user_changelist"),
        {"action": "end_sessions", "_selected_action": [caseworker.pk, trainer.pk]},
    )
    assert response.status_code == 302
    assert not UserSession.objects.filter(user__in=[caseworker, trainer]).exists()
    assert UserSession.objects.filter(user=administrator).exists()
    assert AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SESSIONS_ENDED).count() == 2


@pytest.mark.parametrize("role", ["supervisor", "caseworker", "trainer", "employer"])
def test_only_an_administrator_may_end_sessions(request, client_for, caseworker, role):
    victim = client_for(caseworker)
    actor = request.getfixturevalue(role)
    response = client_for(actor).post(reverse("user_sessions_end", args=[caseworker.pk]))
    assert response.status_code == 403
    assert victim.get("/").status_code == 200
    with pytest.raises(PermissionDenied):
        account_services.user_sessions_end(by=actor, user=caseworker)
    assert not AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SESSIONS_ENDED).exists()


def test_a_session_whose_row_was_removed_is_signed_out(client_for, caseworker, clock):
    client = client_for(caseworker)
    UserSession.objects.filter(user=caseworker).delete()  # a store that could not be deleted from
    at(clock, activity_resolution())
    signed_out_to(client.get("/"), "ended")


def test_signing_out_removes_the_row(client_for, caseworker):
    client = client_for(caseworker)
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user=caseworker).exists()


# --- Notices of changed credentials ---------------------------------------------------------------------


def sent(django_capture_on_commit_callbacks, action):
    with django_capture_on_commit_callbacks(execute=True):
        action()
    return [
        message
        for message in mail.outbox
        if "password was changed" in message.subject or "e-mail address" in message.subject
    ]


def test_a_password_reset_tells_the_person(client, caseworker, django_capture_on_commit_callbacks):
    uid = urlsafe_base64_encode(force_bytes(caseworker.pk))
    link = reverse("password_reset_confirm", args=[uid, default_token_generator.make_token(caseworker)])
    opened = client.get(link)

    def reset():
        client.post(
            opened["Location"], {"new_password1": "brand-new-pass-77", "new_password2": "brand-new-pass-77"}
        )

    [notice] = sent(django_capture_on_commit_callbacks, reset)
    assert notice.to == [caseworker.email]
    assert notice.subject == "Your Tobira password was changed"
    assert "If this wasn't you" in notice.body
    assert "/accounts/password/reset/" in notice.body


def test_a_password_change_tells_the_person(client_for, caseworker, django_capture_on_commit_callbacks):
    client = client_for(caseworker)

    def change():
        response = client.post(
            reverse("password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a-new-long-pass-41",
                "new_password2": "a-new-long-pass-41",
            },
        )
        assert response.status_code == 302

    [notice] = sent(django_capture_on_commit_callbacks, change)
    assert notice.to == [caseworker.email]
    assert client.get("/").status_code == 200  # the session that changed it stays (its key was cycled)
    assert UserSession.objects.filter(user=caseworker).count() == 1


def test_a_rehash_at_sign_in_or_a_first_password_sends_nothing(caseworker, make_user):
    caseworker.set_password(PASSWORD)
    caseworker._password = None  # what check_password's re-hashing leaves
    caseworker.save(update_fields=["password"])
    invitee = make_user(Role.EMPLOYER, username="invitee")
    invitee.set_unusable_password()
    invitee.save()
    invitee.set_password("first-ever-pass-12")
    invitee.save()
    assert not OutgoingEmail.objects.exists()


def test_an_email_change_tells_the_old_address_with_the_new_one_masked(
    caseworker, django_capture_on_commit_callbacks
):
    old = caseworker.email

    def change():
        caseworker.email = "maria.new@elsewhere.example"
        caseworker.save()

    [notice] = sent(django_capture_on_commit_callbacks, change)
    assert notice.to == [old]
    assert "m•••w@elsewhere.example" in notice.body
    assert "maria.new@" not in notice.body
    assert "If this wasn't you" in notice.body


def test_an_email_change_in_the_admin_tells_the_old_address(
    client_for, administrator, caseworker, django_capture_on_commit_callbacks
):
    old = caseworker.email
    admin = client_for(administrator)
    url = reverse("admin:casework_user_change", args=[caseworker.pk])
    form = admin.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in ((field.html_name, field.value()) for field in form if field.value() is not None)
        if not isinstance(value, list)
    }
    data.update(
        {
            "email": "new-address@example.org",
            "groups": [group.pk for group in caseworker.groups.all()],
            "date_joined_0": caseworker.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": caseworker.date_joined.strftime("%H:%M:%S"),
        }
    )
    data.pop("date_joined", None)
    data.pop("last_login", None)

    def change():
        response = admin.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    [notice] = sent(django_capture_on_commit_callbacks, change)
    assert notice.to == [old]
    assert "n•••s@example.org" in notice.body


@pytest.mark.parametrize(
    ("address", "masked"),
    [("maria.lopez@example.org", "m•••z@example.org"), ("ab@x.jp", "a•••@x.jp"), ("", "")],
)
def test_mask_email(address, masked):
    assert mask_email(address) == masked


def test_a_user_of_another_organisation_is_not_found(client_for, administrator, make_user):
    from casework.models import Organisation

    stranger = make_user(
        Role.CASEWORKER, organisation=Organisation.objects.create(name="Other", slug="other")
    )
    response = client_for(administrator).post(reverse("user_sessions_end", args=[stranger.pk]))
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        account_services.user_sessions_end(by=administrator, user=stranger)


def test_a_request_within_the_minute_writes_neither_the_session_nor_its_row(clock, client_for, caseworker):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(caseworker)
    at(clock, activity_resolution() - 1)
    with CaptureQueriesContext(connection) as quiet:
        assert client.get(reverse("session_keep_alive")).status_code == 200
    at(clock, activity_resolution() * 2)
    with CaptureQueriesContext(connection) as active:
        assert client.get("/accounts/security/").status_code == 200
    writes = [q["sql"] for q in quiet.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert writes == []
    written = [q["sql"] for q in active.captured_queries if q["sql"].startswith("UPDATE")]
    assert len([sql for sql in written if "casework_usersession" in sql]) == 1
    assert len([sql for sql in written if "django_session" in sql]) == 1


def test_an_expired_session_on_the_sign_in_page_keeps_where_it_was_going(clock, client_for, caseworker):
    client = client_for(caseworker)
    at(clock, IDLE)
    response = client.get(reverse("login") + "?next=/applicants/")
    assert signed_out_to(response, "idle")["next"] == ["/applicants/"]


@pytest.mark.parametrize(
    ("idle", "absolute", "warning", "words"),
    [
        (0, ABSOLUTE, 120, "more than 0 seconds"),
        (IDLE, 600, 120, "shorter than SESSION_IDLE_TIMEOUT"),
        (100, ABSOLUTE, 120, "less than SESSION_IDLE_TIMEOUT"),
        (IDLE, ABSOLUTE * 2, 120, "the cookie would end the session first"),
    ],
)
def test_limits_that_make_no_sense_stop_the_start(settings, idle, absolute, warning, words):
    from casework.checks import session_limits_make_sense

    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT = idle, absolute
    settings.SESSION_EXPIRY_WARNING = warning
    errors = session_limits_make_sense()
    assert any(words in error.msg for error in errors), errors
    assert {error.id for error in errors} == {"tobira.sessions.E001"}
    settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT = IDLE, ABSOLUTE
    settings.SESSION_EXPIRY_WARNING = 120
    assert session_limits_make_sense() == []


def test_the_keep_alive_answers_a_person_still_on_the_two_factor_pages(client_for, caseworker, settings):
    settings.REQUIRE_2FA = True  # a caseworker without a device is sent to set one up, page after page
    client = client_for(caseworker)
    assert client.get("/")["Location"].startswith(reverse("two_factor_setup"))
    response = client.post(reverse("session_keep_alive"))
    assert response.status_code == 200
    assert response.json()["expires_in"] == IDLE


def test_a_person_sees_their_sessions_and_signs_out_the_others(client_for, caseworker):
    shared_computer = client_for(caseworker)
    own = client_for(caseworker)
    page = own.get(reverse("account_security")).content.decode()
    assert "Where you are signed in" in page
    assert page.count("<li>") >= 2 and "(this browser)" in page

    response = own.post(reverse("account_sessions_end_others"))

    assert response.status_code == 302
    assert shared_computer.get("/")["Location"].startswith(reverse("login"))
    assert own.get("/").status_code == 200
    assert UserSession.objects.filter(user=caseworker).count() == 1
    entry = AccessLogEntry.objects.filter(kind=AccessLogEntry.Kind.SIGN_OUT, actor=caseworker).get()
    assert entry.detail == {"reason": "other_sessions", "sessions": 1}


def test_the_account_page_title_is_only_its_name(client_for, caseworker):
    """The sessions section once went into the title block too: the tab read as raw HTML."""
    html = client_for(caseworker).get(reverse("account_security")).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "Account and security" in title
    assert html.count('id="sessions-heading"') == 1

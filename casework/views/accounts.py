"""Account pages: sign-in, two-factor setup and verification, security settings, service accounts; the
session's keep-alive and an administrator ending a person's sessions."""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from casework import browser_sessions
from casework.access import role_required
from casework.audit import log_access
from casework.forms.accounts import ServiceAccountForm, SignInForm, TokenForm
from casework.models import AccessLogEntry, Team, User
from casework.roles import Role
from casework.selectors.accounts import demo_accounts, sessions_of
from casework.services import accounts as account_services
from casework.typing import AuthenticatedRequest


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def _safe_next(request: HttpRequest, fallback: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback)


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen in dict(settings.LANGUAGES) and chosen != user.language:
            # A language picked on the sign-in page itself wins, and is remembered for e-mails.
            User.objects.filter(pk=user.pk).update(language=chosen)
        elif user.language:
            # Otherwise the interface follows the language the person chose last time, on any device.
            _set_language_cookie(response, user.language)
        # A person who never chose one gets their browser's language (Accept-Language).
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reason = self.request.GET.get("signed_out")
        if reason in browser_sessions.REASONS:
            context["signed_out_message"] = browser_sessions.sign_out_message(reason)
        if settings.SHOW_DEMO_ACCOUNTS:
            context["demo_accounts"] = demo_accounts()
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """The admin signs in through our page, so two-factor and throttling apply there too.

    The admin sends a signed-in person here only when they may not use it; sending them on to the
    sign-in page would bounce them straight back to the admin, round and round, so they get a 403.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    query = request.META.get("QUERY_STRING", "")
    return redirect(f"{reverse('login')}?{query}" if query else reverse("login"))


def _log_two_factor(user: User, event: str, **detail: object) -> None:
    """A two-factor event in the access log (never the code itself)."""
    log_access(actor=user, kind=AccessLogEntry.Kind.TWO_FACTOR, detail={"event": event, **detail})


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = SignInForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": True, "lockout_minutes": minutes},
        status=429,
    )


@login_required
def two_factor_setup(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user_has_device(user, confirmed=True) and not user.is_verified():
        return redirect("two_factor_verify")
    device = account_services.totp_device_pending(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed, codes = account_services.totp_device_confirm(
                user=user, token=form.cleaned_data["token"]
            )
        except ValidationError as error:
            form.add_error(None, error)
            _log_two_factor(user, "setup_failed")
        else:
            otp_login(request, confirmed)
            _log_two_factor(user, "setup_confirmed")
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _safe_next(request), "just_enabled": True},
            )
    qr_svg = segno.make(device.config_url, micro=False).svg_inline(
        scale=4, dark="#111", light="#fff", omitsize=False
    )
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "registration/two_factor_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": request.GET.get("next", "")},
    )


@login_required
def two_factor_verify(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return HttpResponseRedirect(_safe_next(request))
    if not user_has_device(user, confirmed=True):
        # No code could ever pass here: send the person where they can get one.
        query = urlencode({"next": request.GET["next"]}) if request.GET.get("next") else ""
        return redirect(f"{reverse('two_factor_setup')}{'?' if query else ''}{query}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        for device in devices_for_user(user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    left = device.token_set.count()
                    _log_two_factor(user, "recovery_code_used", codes_left=left)
                    messages.warning(
                        request,
                        _("You signed in with a recovery code. %(left)d codes are left.") % {"left": left},
                    )
                else:
                    _log_two_factor(user, "verified")
                return HttpResponseRedirect(_safe_next(request))
        form.add_error("token", _("That code is not correct."))
        _log_two_factor(user, "verify_failed")
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")}
    )


@login_required
def account_security(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    recovery = StaticDevice.objects.filter(user=user, name="recovery").first()
    return render(
        request,
        "registration/account_security.html",
        {
            "two_factor_on": user_has_device(user, confirmed=True),
            "two_factor_required": settings.REQUIRE_2FA and user.is_staff_role,
            "recovery_codes_left": recovery.token_set.count() if recovery else 0,
            "sessions": sessions_of(user=user),
            "current_session_key": request.session.get(browser_sessions.TRACKED_KEY),
        },
    )


@login_required
@require_POST
def recovery_codes_regenerate(request: AuthenticatedRequest) -> HttpResponse:
    if not request.user.is_verified():
        return redirect("two_factor_verify")
    codes = account_services.recovery_codes_regenerate(user=request.user)
    _log_two_factor(request.user, "recovery_codes_regenerated")
    return render(
        request, "registration/recovery_codes.html", {"codes": codes, "next": reverse("account_security")}
    )


@login_required
@require_POST
def two_factor_disable(request: AuthenticatedRequest) -> HttpResponse:
    try:
        account_services.two_factor_disable(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _log_two_factor(request.user, "turned_off")
        messages.success(request, _("Two-factor sign-in is turned off."))
    return redirect("account_security")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also remembers the choice on the user (for e-mails)."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        User.objects.filter(pk=request.user.pk).update(language=language)
    return response


@role_required(Role.ADMINISTRATOR)
def service_accounts(request: AuthenticatedRequest) -> HttpResponse:
    form = ServiceAccountForm(request.POST or None, teams=Team.objects.visible_to(request.user))
    new_token = None
    new_account = None
    if request.method == "POST" and form.is_valid():
        try:
            new_account, new_token = account_services.service_account_create(
                by=request.user,
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                team=form.cleaned_data["team"],
                led_teams=form.cleaned_data["led_teams"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    accounts = (
        User.objects.visible_to(request.user)
        .filter(is_service_account=True)
        .prefetch_related("groups")
        .order_by("username")
    )
    return render(
        request,
        "casework/service_accounts.html",
        {"form": form, "accounts": accounts, "new_token": new_token, "new_account": new_account},
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def service_account_rotate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.visible_to(request.user).filter(is_service_account=True), pk=pk)
    token = account_services.service_account_rotate_token(account=account)
    accounts = (
        User.objects.visible_to(request.user).filter(is_service_account=True).prefetch_related("groups")
    )
    return render(
        request,
        "casework/service_accounts.html",
        {
            "form": ServiceAccountForm(teams=Team.objects.visible_to(request.user)),
            "accounts": accounts,
            "new_token": token,
            "new_account": account,
        },
    )


def session_keep_alive(request: HttpRequest) -> HttpResponse:
    """How long the signed-in session has left (GET, which the page asks in the background), or "Stay
    signed in" (POST, CSRF-protected: activity now). JSON for the shell's expiry warning (shell.js)."""
    if request.method not in ("GET", "POST"):
        return JsonResponse({"detail": _("Method not allowed.")}, status=405, headers={"Allow": "GET, POST"})
    if not request.user.is_authenticated or "_auth_user_id" not in request.session:
        return JsonResponse({"detail": _("You are not signed in."), "code": "not_authenticated"}, status=401)
    if request.method == "POST" and not browser_sessions.session_touch(request, force=True):
        return JsonResponse(
            {"detail": browser_sessions.sign_out_message(browser_sessions.ENDED), "code": "session_expired"},
            status=401,
        )
    return JsonResponse(
        {
            "expires_in": browser_sessions.session_remaining(request.session),
            "warning": settings.SESSION_EXPIRY_WARNING,
        }
    )


@role_required(Role.ADMINISTRATOR)
@require_POST
def user_sessions_end(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An administrator signs a person out of every browser ("End all sessions" on the user's admin page)."""
    person = get_object_or_404(User.objects.visible_to(request.user), pk=pk)
    ended = account_services.user_sessions_end(by=request.user, user=person)
    messages.success(
        request,
        ngettext(
            "%(count)d session of %(name)s was ended.", "%(count)d sessions of %(name)s were ended.", ended
        )
        % {"count": ended, "name": person.get_username()},
    )
    return HttpResponseRedirect(_safe_next(request, fallback="home"))


@login_required
@require_POST
def account_sessions_end_others(request: AuthenticatedRequest) -> HttpResponse:
    """Sign out of every other browser; this one stays signed in."""
    ended = account_services.user_sessions_end_others(
        user=request.user, current_key=request.session.get(browser_sessions.TRACKED_KEY, "")
    )
    messages.success(
        request,
        ngettext(
            "You were signed out of %(count)d other session.",
            "You were signed out of %(count)d other sessions.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("account_security")

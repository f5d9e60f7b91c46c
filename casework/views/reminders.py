"""Reminder pages: the inbox (acknowledge, snooze, create a task, mark read) and the deadlines ahead.

Actions answer htmx with the item re-rendered in place (and the bell out of band); without JavaScript
they are plain POST forms that redirect back to the inbox (or show the snooze form with its error).
A reminder the user may not act on is a 404 (selectors.reminders.reminders_actionable).
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework import selectors as casework_selectors
from casework import services
from casework.access import role_required
from casework.deadlines.chart import deadlines_chart_svg, deadlines_per_week
from casework.filtersets.reminders import NotificationFilterSet
from casework.forms.base import apply_service_error
from casework.forms.reminders import SnoozeForm
from casework.models import Notification, Reminder
from casework.roles import Role
from casework.selectors import reminders as selectors
from casework.typing import AuthenticatedRequest

PAGE_SIZE = 25
DEADLINES_PAGE_SIZE = 50
TEAM_ROWS = 100
FAILED_ROWS = 50
staff_required = role_required(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR)


def _day(day: date) -> str:
    return formats.date_format(day, "Y-m-d")


# --- Inbox ----------------------------------------------------------------------------------------------


@staff_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    base = selectors.notifications_for(user=user)
    filterset = NotificationFilterSet(request.GET, queryset=base, request=request)
    filterset.form.label_suffix = ""
    for name in ("due_from", "due_to"):
        filterset.form.fields[name].widget.input_type = "date"
    queryset = filterset.qs if filterset.is_valid() else base.none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "casework/reminders/inbox.html",
        {
            "filter_form": filterset.form,
            "page_obj": page,
            "items": selectors.inbox_items(page.object_list),
            "query": request.GET,
            "next_url": request.get_full_path(),
        },
    )


def _actionable(request: AuthenticatedRequest, pk: int) -> Reminder:
    return get_object_or_404(
        selectors.reminders_actionable(user=request.user).select_related("applicant"), pk=pk
    )


def _next_url(request: AuthenticatedRequest) -> str:
    """Back where the form was (the inbox with its filters, or the deadlines page), never elsewhere."""
    wanted = request.POST.get("next", "")
    allowed = {reverse("reminder_inbox"), reverse("deadlines_ahead")}
    safe = url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()})
    if wanted and safe and urlsplit(wanted).path in allowed:
        return wanted
    return reverse("reminder_inbox")


def _item_response(
    request: AuthenticatedRequest,
    reminder: Reminder,
    *,
    notice: str = "",
    snooze_form: SnoozeForm | None = None,
) -> HttpResponse:
    """htmx: the item again (the inbox one, or the row of the supervisors' table) and the bell."""
    user = request.user
    context: dict[str, object] = {"notice": notice, "next_url": _next_url(request), "oob_bell": True}
    if request.POST.get("from") == "team":
        row = selectors.team_unacknowledged(user=user).filter(pk=reminder.pk).first()
        context.update(reminder=reminder, row=row)
        template = "casework/reminders/_team_row.html"
    else:
        notification = (
            selectors.notifications_for(user=user).filter(pk=request.POST.get("notification") or 0).first()
            if (request.POST.get("notification") or "").isdigit()
            else None
        )
        if notification is None:
            notification = selectors.notifications_for(user=user).filter(reminder=reminder).first()
        if notification is None:
            return HttpResponse(render_to_string("casework/reminders/_notice.html", context, request=request))
        context["item"] = selectors.inbox_items([notification])[0]
        context["snooze_errors"] = snooze_form.errors.get("until", []) if snooze_form else []
        context["snooze_value"] = snooze_form.data.get("until", "") if snooze_form else ""
        template = "casework/reminders/_item.html"
    html = render_to_string(template, context, request=request)
    html += render_to_string("casework/reminders/_bell.html", {"oob": True}, request=request)
    return HttpResponse(html)


def _done(request: AuthenticatedRequest, reminder: Reminder, notice: str) -> HttpResponse:
    if request.htmx:  # type: ignore[attr-defined]
        return _item_response(request, reminder, notice=notice)
    messages.success(request, notice)
    return redirect(_next_url(request))


@staff_required
@require_POST
def acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    reminder = _actionable(request, pk)
    state = services.deadline_acknowledge(by=request.user, reminder=reminder)
    if state.acknowledged_by_id == request.user.pk:
        notice = _("Acknowledged: %(kind)s, %(date)s.")
    else:
        notice = _("Already acknowledged: %(kind)s, %(date)s.")
    return _done(
        request,
        reminder,
        notice % {"kind": selectors.kind_label(reminder.source_kind), "date": _day(reminder.deadline_date)},
    )


@staff_required
@require_POST
def snooze(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    reminder = _actionable(request, pk)
    window = selectors.snooze_window(reminder.deadline_date, timezone.localdate())
    form = SnoozeForm(request.POST, window=window)
    if form.is_valid():
        try:
            state = services.deadline_snooze(
                by=request.user, reminder=reminder, until=form.cleaned_data["until"]
            )
        except ValidationError as error:
            apply_service_error(form, error)
        else:
            assert state.snoozed_until is not None
            notice = _("Escalation paused until %(until)s.") % {"until": _day(state.snoozed_until)}
            return _done(request, reminder, notice)
    if request.htmx:  # type: ignore[attr-defined]
        return _item_response(request, reminder, snooze_form=form)
    return render(
        request,
        "casework/reminders/snooze.html",
        {
            "reminder": reminder,
            "kind_label": selectors.kind_label(reminder.source_kind),
            "form": form,
            "window": window,
            "next_url": _next_url(request),
            "notification": request.POST.get("notification", ""),
        },
    )


@staff_required
@require_POST
def create_task(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    reminder = _actionable(request, pk)
    task, created = services.task_from_reminder(by=request.user, reminder=reminder)
    assert task.due_date is not None
    values = {"title": task.title, "due": _day(task.due_date), "reference": reminder.applicant.reference_code}
    if created:
        notice = _("Task created for %(reference)s: “%(title)s”, due %(due)s.") % values
    else:
        notice = _("You already have this task for %(reference)s: “%(title)s”, due %(due)s.") % values
    return _done(request, reminder, notice)


@staff_required
@require_POST
def mark_read(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.filter(recipient_id=request.user.pk), pk=pk)
    services.notification_mark_read(by=request.user, notification=notification)
    return _done(request, notification.reminder, _("Marked as read."))


@staff_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(by=request.user)
    messages.success(request, _("All notifications are marked as read (%(count)d).") % {"count": count})
    return redirect(_next_url(request))


# --- Deadlines ahead ------------------------------------------------------------------------------------


@staff_required
def deadlines(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    days = selectors.DEADLINES_AHEAD_DAYS
    rows = selectors.deadlines_ahead(user=user, days=days, today=today)
    weeks = deadlines_per_week(rows, today=today, days=days)
    page = Paginator(rows, DEADLINES_PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, object] = {
        "days": days,
        "today": today,
        "page_obj": page,
        "rows": selectors.with_details(list(page.object_list), user=user),
        "total": len(rows),
        "chart": deadlines_chart_svg(weeks, days=days),
        "query": request.GET,
        "oversees": selectors.may_oversee(user),
        "next_url": request.get_full_path(),
        "assignment_gap": None if rows else casework_selectors.assignment_gap(user=user),
    }
    if context["oversees"]:
        unacknowledged = selectors.team_unacknowledged(user=user)
        context["team_rows"] = list(unacknowledged[:TEAM_ROWS])
        context["team_total"] = unacknowledged.count()
        context["failed_emails"] = list(selectors.failed_emails(user=user)[:FAILED_ROWS])
    return render(request, "casework/reminders/deadlines.html", context)

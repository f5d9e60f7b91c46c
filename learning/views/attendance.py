"""The attendance screen of one session: every enrolled learner with one tap each for present, late,
excused or absent.

With htmx each tap is saved at once (`session_attendance_mark` answers with the learner's row and a
status line out of band); without JavaScript the same radio buttons form one plain form that saves all
rows at once (`attendance_record_bulk`). Only the course's trainers and administrators mark (the
services decide); caseworkers and supervisors get the screen read-only, limited to the learners they may
see. A session the user cannot read is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from casework.typing import AuthenticatedRequest
from learning import selectors, services
from learning.models import AttendanceStatus, Course, Enrollment, Session
from learning.views.base import learning_staff

ALL_PRESENT = "all_present"


def _session(request: AuthenticatedRequest, pk: int) -> Session:
    session = selectors.session_for_sheet(user=request.user, pk=pk)
    if session is None:
        raise Http404
    return session


def _can_mark(request: AuthenticatedRequest, session: Session) -> bool:
    return Course.objects.editable_by(request.user).filter(pk=session.course_id).exists()


def _is_future(session: Session) -> bool:
    return timezone.localtime(session.starts_at).date() > timezone.localdate()


def _choices(session: Session) -> list[tuple[str, str]]:
    """The marks the screen offers: ahead of a session only an excused absence can be noted."""
    if _is_future(session):
        return [(AttendanceStatus.EXCUSED.value, str(AttendanceStatus.EXCUSED.label))]
    return [(value, str(label)) for value, label in AttendanceStatus.choices]


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


def _sheet_context(request: AuthenticatedRequest, session: Session, **extra: object) -> dict[str, object]:
    can_mark = _can_mark(request, session) and not session.cancelled
    return {
        "session": session,
        "course": session.course,
        "can_mark": can_mark,
        "choices": _choices(session),
        "is_future": _is_future(session),
        **extra,
    }


@learning_staff
@require_http_methods(["GET", "POST"])
def session_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    user = request.user
    rows = selectors.attendance_sheet(user=user, session=session)
    errors: list[str] = []
    if request.method == "POST":
        if not _can_mark(request, session):
            raise PermissionDenied
        everyone_present = request.POST.get("action") == ALL_PRESENT
        marks = []
        for row in rows:
            value = request.POST.get(f"status-{row.enrollment.pk}", "")
            if value and value != row.status:
                marks.append((row.enrollment.pk, value))
            elif everyone_present and not value and row.status is None:
                # "Mark everyone present" fills the rows left unmarked, keeping any mark chosen.
                marks.append((row.enrollment.pk, AttendanceStatus.PRESENT.value))
        if not marks:
            messages.info(request, _("Nothing to save: every mark was already saved."))
            return redirect("learning:session_attendance", pk=session.pk)
        try:
            services.attendance_record_bulk(by=user, session=session, marks=marks)
        except ValidationError as error:
            errors = _messages_of(error)
            # Show what was chosen again, so nothing typed is lost.
            chosen = dict(marks)
            for row in rows:
                if chosen.get(row.enrollment.pk) in AttendanceStatus.values:
                    row.chosen = chosen[row.enrollment.pk]
        else:
            messages.success(
                request,
                _("Attendance saved for %(count)d learners.") % {"count": len(marks)},
            )
            return redirect("learning:session_attendance", pk=session.pk)
    unmarked = sum(1 for row in rows if row.status is None)
    return render(
        request,
        "learning/attendance.html",
        _sheet_context(request, session, rows=rows, errors=errors, unmarked=unmarked),
    )


@learning_staff
@require_POST
def session_attendance_mark(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One tap: save one learner's mark; htmx gets the row back (and the status line), a plain POST goes
    back to the screen."""
    session = _session(request, pk)
    if not _can_mark(request, session):
        raise PermissionDenied
    raw_id = request.POST.get("enrollment", "")
    if not raw_id.isdigit():
        raise Http404
    enrollment = (
        Enrollment.objects.visible_to(request.user).select_related("applicant").filter(pk=int(raw_id)).first()
    )
    if enrollment is None:
        raise Http404
    status = request.POST.get(f"status-{enrollment.pk}") or request.POST.get("status", "")
    error = ""
    try:
        services.attendance_record(by=request.user, session=session, enrollment=enrollment, status=status)
    except ValidationError as problem:
        error = " ".join(_messages_of(problem))
    name = enrollment.applicant.display_name
    if error:
        notice = _("Not saved for %(name)s: %(error)s") % {"name": name, "error": error}
    else:
        notice = _("Saved: %(name)s, %(status)s.") % {
            "name": name,
            "status": AttendanceStatus(status).label,
        }
    if not request.htmx:  # type: ignore[attr-defined]
        (messages.error if error else messages.success)(request, notice)
        return redirect("learning:session_attendance", pk=session.pk)
    rows = selectors.attendance_sheet(user=request.user, session=session, enrollment_id=enrollment.pk)
    if not rows:  # not a learner of this course (another course's enrolment): say so in the status line
        context = {"notice": notice, "oob": True, "is_error": True}
        response = HttpResponse(render_to_string("learning/attendance_status.html", context, request))
        response["HX-Reswap"] = "none"  # keep the row as it is; the status line says why
        return response
    context = _sheet_context(request, session, row=rows[0], row_error=error)
    html = render_to_string("learning/attendance_row.html", context, request=request)
    html += render_to_string(
        "learning/attendance_status.html",
        {"notice": notice, "oob": True, "is_error": bool(error)},
        request=request,
    )
    # "Mark everyone present (N unmarked)" counts again after this mark.
    sheet = selectors.attendance_sheet(user=request.user, session=session)
    html += render_to_string(
        "learning/attendance_all_present.html",
        {
            "oob": True,
            "unmarked": sum(1 for row in sheet if row.status is None),
            "is_future": context["is_future"],
        },
        request=request,
    )
    return HttpResponse(html)

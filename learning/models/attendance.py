"""Attendance: one mark per session and enrolment (present, late, excused, absent)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learning.models.courses import Session
from learning.models.enrolments import Enrollment


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Late")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


# Statuses that count as attended (for rates and hours).
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.LATE)


class AttendanceQuerySet(models.QuerySet["Attendance"]):
    def visible_to(self, user) -> AttendanceQuerySet:
        return self.filter(enrollment__in=Enrollment.objects.visible_to(user).values("pk"))


class Attendance(models.Model):
    """Whether a learner came to a session: one row per session and enrolment, the last mark wins."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("session")
    )
    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("enrolment")
    )
    status = models.CharField(_("attendance"), max_length=10, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["session", "enrollment"]
        constraints = [
            models.UniqueConstraint(fields=["session", "enrollment"], name="attendance_once_per_session"),
        ]
        indexes = [models.Index(fields=["enrollment", "session"], name="attendance_enrollment_session")]

    def __str__(self) -> str:
        return f"{self.enrollment} {self.session.starts_at:%Y-%m-%d}: {self.get_status_display()}"

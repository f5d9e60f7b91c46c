"""Enrolments (with a waiting list), and the door to a learner's rows that attendance and assessments share."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Applicant
from casework.roles import Role
from learning.models.base import is_admin, signed_in
from learning.models.courses import Course


def learner_condition(user, path: str) -> Q | None:
    """Rows about learners this user may read, `path` leading to the applicant; None: the organisation.

    Trainers: learners of their own courses. Caseworkers and supervisors: the people they may change
    (own caseload, led teams; a shared team caseload shows the profile, not its records).
    """
    if is_admin(user):
        return None
    condition = Q(pk__in=[])
    if user.has_role(Role.SUPERVISOR, Role.CASEWORKER):
        condition |= Q(**{f"{path}__in": Applicant.objects.editable_by(user).values("pk")})
    if user.has_role(Role.TRAINER):
        taught = Enrollment.objects.filter(course__trainers=user).values("applicant_id")
        condition |= Q(**{f"{path}__in": taught})
    return condition


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("Waiting list")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped out")


# Enrolments whose learners are marked for sessions and counted in a course's attendance.
MARKABLE = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED)


class EnrollmentQuerySet(models.QuerySet["Enrollment"]):
    def visible_to(self, user) -> EnrollmentQuerySet:
        """Administrators: all; trainers: their courses' learners; caseworkers/supervisors: people they
        may change."""
        if not signed_in(user):
            return self.none()
        rows = self.filter(course__organisation_id=user.organisation_id)
        if is_admin(user):
            return rows
        condition = Q(pk__in=[])
        if user.has_role(Role.SUPERVISOR, Role.CASEWORKER):
            condition |= Q(applicant__in=Applicant.objects.editable_by(user).values("pk"))
        if user.has_role(Role.TRAINER):
            condition |= Q(course__in=Course.objects.editable_by(user).values("pk"))
        return rows.filter(condition)

    def enrollable_by(self, user) -> EnrollmentQuerySet:
        """Enrolments a user may change (enrol, drop, complete): the people they may change."""
        if not signed_in(user):
            return self.none()
        rows = self.filter(course__organisation_id=user.organisation_id)
        if is_admin(user):
            return rows
        return rows.filter(applicant__in=Applicant.objects.editable_by(user).values("pk"))


class Enrollment(models.Model):
    """A person in a course: enrolled, on the waiting list, completed or dropped out (with a reason)."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("course")
    )
    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="enrollments", verbose_name=_("learner")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ENROLLED
    )
    enrolled_on = models.DateField(_("enrolled on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    drop_reason = models.CharField(_("reason for dropping out"), max_length=300, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("enrolled by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)  # the waiting list's order
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["course", "applicant__family_name", "applicant__given_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "applicant"], name="enrollment_once_per_course"),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""), name="enrollment_drop_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["applicant", "status"], name="enrollment_applicant_status")]

    def __str__(self) -> str:
        return f"{self.applicant} · {self.course}"

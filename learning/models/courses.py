"""Courses and their sessions: trainers their own courses, staff every course of the organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import Organisation
from casework.roles import Role
from learning.models.base import is_admin, signed_in
from learning.rules import CEFR_CHOICES


class CourseKind(models.TextChoices):
    JAPANESE = "japanese", _("Japanese language")
    IT = "it", _("IT skills")
    BUSINESS_MANNERS = "business_manners", _("Business manners")
    JOB_PREPARATION = "job_preparation", _("Job preparation")
    OTHER = "other", _("Other")


class CourseFormat(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    HYBRID = "hybrid", _("Hybrid")


class CourseQuerySet(models.QuerySet["Course"]):
    def visible_to(self, user) -> CourseQuerySet:
        """Staff read every course of their organisation; trainers their own; employers none."""
        if not signed_in(user):
            return self.none()
        rows = self.filter(organisation_id=user.organisation_id)
        if is_admin(user) or user.has_role(Role.SUPERVISOR, Role.CASEWORKER):
            return rows
        if user.has_role(Role.TRAINER):
            return rows.filter(
                pk__in=Course.trainers.through.objects.filter(user_id=user.pk).values("course_id")
            )
        return self.none()

    def editable_by(self, user) -> CourseQuerySet:
        """Courses a user may change (sessions, attendance): administrators all, trainers their own."""
        if not signed_in(user):
            return self.none()
        rows = self.filter(organisation_id=user.organisation_id)
        if is_admin(user):
            return rows
        if user.has_role(Role.TRAINER):
            return rows.filter(
                pk__in=Course.trainers.through.objects.filter(user_id=user.pk).values("course_id")
            )
        return self.none()


class Course(models.Model):
    """A course of the programme (LIP-Learning style): a term of sessions with a capacity."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="courses", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=CourseKind.choices)
    target_level = models.CharField(
        _("target level"),
        max_length=2,
        choices=CEFR_CHOICES,
        blank=True,
        help_text=_("The CEFR level the course leads to, where it has one."),
    )
    format = models.CharField(_("format"), max_length=20, choices=CourseFormat.choices)
    place = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("A room and address, or the online meeting's name."),
    )
    description = models.TextField(_("description"), blank=True)
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="courses_taught", blank=True, verbose_name=_("trainers")
    )
    starts_on = models.DateField(_("term starts"))
    ends_on = models.DateField(_("term ends"))
    capacity = models.PositiveIntegerField(_("capacity"), help_text=_("Places; later enrolments wait."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CourseQuerySet.as_manager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-starts_on", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="course_term_in_order"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="course_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class SessionQuerySet(models.QuerySet["Session"]):
    def visible_to(self, user) -> SessionQuerySet:
        return self.filter(course__in=Course.objects.visible_to(user).values("pk"))


class Session(models.Model):
    """One meeting of a course."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("course")
    )
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=90)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["course", "starts_at"], name="session_unique_start"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=1), name="session_length_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.course} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def has_started(self) -> bool:
        """Begun or over: it can be corrected (time, topic, attendance), no longer cancelled."""
        return self.starts_at <= timezone.now()

    @property
    def may_be_cancelled(self) -> bool:
        return not self.cancelled and not self.has_started

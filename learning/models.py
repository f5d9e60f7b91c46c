"""Learning models: courses, sessions, enrolments, attendance and language assessments.

Who sees what (DESIGN.md, access matrix): administrators the whole organisation; supervisors and
caseworkers every course and session, and the enrolments, attendance and assessments of the people
they may change (own caseload, led teams); trainers their own courses, with the learners in them
(names and language data only: nothing here links on to legal or case records for them).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.models import Applicant, Document, Organisation
from casework.roles import Role
from learning.rules import CEFR_CHOICES, Framework


def _is_admin(user) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _learner_condition(user, path: str) -> Q | None:
    """Rows about learners this user may read, `path` leading to the applicant; None: the organisation.

    Trainers: learners of their own courses. Caseworkers and supervisors: the people they may change
    (own caseload, led teams; a shared team caseload shows the profile, not its records).
    """
    if _is_admin(user):
        return None
    condition = Q(pk__in=[])
    if user.has_role(Role.SUPERVISOR, Role.CASEWORKER):
        condition |= Q(**{f"{path}__in": Applicant.objects.editable_by(user).values("pk")})
    if user.has_role(Role.TRAINER):
        taught = Enrollment.objects.filter(course__trainers=user).values("applicant_id")
        condition |= Q(**{f"{path}__in": taught})
    return condition


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
        if not _signed_in(user):
            return self.none()
        rows = self.filter(organisation_id=user.organisation_id)
        if _is_admin(user) or user.has_role(Role.SUPERVISOR, Role.CASEWORKER):
            return rows
        if user.has_role(Role.TRAINER):
            return rows.filter(
                pk__in=Course.trainers.through.objects.filter(user_id=user.pk).values("course_id")
            )
        return self.none()

    def editable_by(self, user) -> CourseQuerySet:
        """Courses a user may change (sessions, attendance): administrators all, trainers their own."""
        if not _signed_in(user):
            return self.none()
        rows = self.filter(organisation_id=user.organisation_id)
        if _is_admin(user):
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
        if not _signed_in(user):
            return self.none()
        rows = self.filter(course__organisation_id=user.organisation_id)
        if _is_admin(user):
            return rows
        condition = Q(pk__in=[])
        if user.has_role(Role.SUPERVISOR, Role.CASEWORKER):
            condition |= Q(applicant__in=Applicant.objects.editable_by(user).values("pk"))
        if user.has_role(Role.TRAINER):
            condition |= Q(course__in=Course.objects.editable_by(user).values("pk"))
        return rows.filter(condition)

    def enrollable_by(self, user) -> EnrollmentQuerySet:
        """Enrolments a user may change (enrol, drop, complete): the people they may change."""
        if not _signed_in(user):
            return self.none()
        rows = self.filter(course__organisation_id=user.organisation_id)
        if _is_admin(user):
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


class AssessmentFramework(models.TextChoices):
    JLPT = Framework.JLPT, _("JLPT")
    JFT_BASIC = Framework.JFT_BASIC, _("JFT-Basic")
    BJT = Framework.BJT, _("BJT Business Japanese")
    PLACEMENT = Framework.PLACEMENT, _("Placement test")
    TRAINER = Framework.TRAINER, _("Trainer's CEFR judgement")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Administrators: all; caseworkers/supervisors: people they may change; trainers: their learners."""
        if not _signed_in(user):
            return self.none()
        rows = self.filter(applicant__organisation_id=user.organisation_id)
        condition = _learner_condition(user, "applicant")
        return rows if condition is None else rows.filter(condition)


class Assessment(models.Model):
    """A language result in its own framework, with the CEFR level derived for comparison (rules)."""

    applicant = models.ForeignKey(
        Applicant, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("learner")
    )
    framework = models.CharField(_("framework"), max_length=20, choices=AssessmentFramework.choices)
    level = models.CharField(_("level"), max_length=10, blank=True)
    score = models.PositiveIntegerField(_("total score"), null=True, blank=True)
    skill_scores = models.JSONField(_("scores per skill"), default=dict, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    cefr_level = models.CharField(_("CEFR level"), max_length=2, blank=True, editable=False)
    assessed_on = models.DateField(_("date of the test"))
    course = models.ForeignKey(
        Course,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assessments",
        verbose_name=_("course"),
    )
    certificate = models.ForeignKey(
        Document,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("certificate"),
    )
    notes = models.CharField(_("remarks"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["applicant", "-assessed_on", "-pk"]
        indexes = [models.Index(fields=["applicant", "assessed_on"], name="assessment_applicant_date")]

    def __str__(self) -> str:
        return f"{self.get_framework_display()} {self.level} ({self.assessed_on})"

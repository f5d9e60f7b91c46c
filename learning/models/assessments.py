"""Language assessments: JLPT, JFT-Basic, BJT, placement tests and trainers' judgements, with a derived CEFR level."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models import Applicant, Document
from learning.models.base import signed_in
from learning.models.courses import Course
from learning.models.enrolments import learner_condition
from learning.rules import Framework


class AssessmentFramework(models.TextChoices):
    JLPT = Framework.JLPT, _("JLPT")
    JFT_BASIC = Framework.JFT_BASIC, _("JFT-Basic")
    BJT = Framework.BJT, _("BJT Business Japanese")
    PLACEMENT = Framework.PLACEMENT, _("Placement test")
    TRAINER = Framework.TRAINER, _("Trainer's CEFR judgement")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user) -> AssessmentQuerySet:
        """Administrators: all; caseworkers/supervisors: people they may change; trainers: their learners."""
        if not signed_in(user):
            return self.none()
        rows = self.filter(applicant__organisation_id=user.organisation_id)
        condition = learner_condition(user, "applicant")
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

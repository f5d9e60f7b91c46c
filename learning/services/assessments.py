"""Language results: recorded, corrected and deleted by whoever may change the person, and by trainers
for the learners of their courses; the CEFR level is derived by learning.rules.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from casework.audit import record_change, snapshot
from casework.models import Applicant, ChangeRecord, Document, User
from casework.roles import Role
from casework.services import document_store
from learning import rules
from learning.models import (
    Assessment,
    AssessmentFramework,
    Course,
    Enrollment,
)
from learning.rules import Framework
from learning.services.base import local_today, require

# The earliest test date accepted (the JLPT began in 1984); anything before is a typo.
EARLIEST_ASSESSMENT = date(1984, 1, 1)


# JLPT sections: N1–N3 three sections of 0–60; N4–N5 "language knowledge + reading" 0–120, listening 0–60.
JLPT_SECTIONS = {
    "upper": {"language_knowledge": 60, "reading": 60, "listening": 60},
    "lower": {"language_knowledge_reading": 120, "listening": 60},
}


def jlpt_sections_for(level: str) -> dict[str, int]:
    return JLPT_SECTIONS["lower" if level in ("N4", "N5") else "upper"]


def _clean_skill_scores(framework: str, level: str, score: int | None, raw: Any) -> dict[str, int]:
    if not raw:
        return {}
    if framework != Framework.JLPT or not isinstance(raw, dict):
        raise ValidationError({"skill_scores": _("Scores per skill are kept for the JLPT only.")})
    sections = jlpt_sections_for(level)
    cleaned: dict[str, int] = {}
    for key, value in raw.items():
        if key not in sections:
            raise ValidationError(
                {
                    "skill_scores": _("%(level)s has these sections: %(names)s.")
                    % {"level": level, "names": ", ".join(sections)}
                }
            )
        if value in (None, ""):
            continue
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= sections[key]:
            raise ValidationError(
                {
                    "skill_scores": _("The %(section)s score runs from 0 to %(max)d.")
                    % {"section": key, "max": sections[key]}
                }
            )
        cleaned[key] = value
    if cleaned and len(cleaned) == len(sections) and score is not None and sum(cleaned.values()) != score:
        raise ValidationError(
            {
                "skill_scores": _("The section scores add up to %(sum)d, not the total of %(total)d.")
                % {"sum": sum(cleaned.values()), "total": score}
            }
        )
    return cleaned


def assessment_clean(
    *, framework: Any, level: Any, score: Any, skill_scores: Any, assessed_on: Any
) -> dict[str, Any]:
    """Validate and normalise one result; returns the fields to store, CEFR level derived (rules)."""
    if framework not in AssessmentFramework.values:
        raise ValidationError({"framework": _("Choose the test or framework of the result.")})
    if not isinstance(assessed_on, date):
        raise ValidationError({"assessed_on": _("Enter the date of the test.")})
    if assessed_on > local_today():
        raise ValidationError({"assessed_on": _("The test date cannot be in the future.")})
    if assessed_on < EARLIEST_ASSESSMENT:
        raise ValidationError({"assessed_on": _("Check the year of the test date.")})
    if score is not None and (not isinstance(score, int) or isinstance(score, bool)):
        raise ValidationError({"score": _("Enter the score as a whole number.")})
    if framework == Framework.JLPT:
        level = rules.normalise_jlpt_level(str(level or ""))
    elif framework in (Framework.PLACEMENT, Framework.TRAINER):
        level = rules.normalise_cefr_level(str(level or ""))
    else:
        level = ""  # JFT-Basic and BJT: the band comes from the score
    rules.check_score(framework, score)
    skills = _clean_skill_scores(framework, level, score, skill_scores)
    derived = rules.assessment_cefr(framework=framework, level=level, score=score, on=assessed_on)
    passed = None
    if framework == Framework.JLPT and score is not None:
        passed = score >= rules.jlpt_pass_mark(level)
    elif framework == Framework.JFT_BASIC and score is not None:
        passed = score >= 200
    return {
        "framework": framework,
        "level": derived.level,
        "score": score,
        "skill_scores": skills,
        "passed": passed,
        "cefr_level": derived.cefr,
        "assessed_on": assessed_on,
    }


def assessment_editable(by: User, applicant: Applicant) -> bool:
    """Caseworkers and supervisors for the people they may change; trainers for their learners."""
    if Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists():
        return True
    return (
        by.has_role(Role.TRAINER)
        and Enrollment.objects.filter(
            applicant=applicant, course__trainers=by, course__organisation_id=by.organisation_id
        ).exists()
    )


@transaction.atomic
def assessment_record(
    *,
    by: User,
    applicant: Applicant,
    framework: str,
    assessed_on: date,
    level: str = "",
    score: int | None = None,
    skill_scores: dict[str, int] | None = None,
    course: Course | None = None,
    certificate: UploadedFile | None = None,
    notes: str = "",
) -> Assessment:
    """Record a language result (an outside test, a placement test or a trainer's judgement), with its
    certificate stored as the person's document (kind "certificate") when one is given."""
    require(assessment_editable(by, applicant))
    fields = assessment_clean(
        framework=framework, level=level, score=score, skill_scores=skill_scores, assessed_on=assessed_on
    )
    if course is not None and not Course.objects.visible_to(by).filter(pk=course.pk).exists():
        raise ValidationError({"course": _("Choose one of your courses.")})
    assessment = Assessment(
        applicant=applicant, course=course, notes=str(notes or "").strip()[:300], recorded_by=by, **fields
    )
    assessment.full_clean(exclude=["certificate", "course", "applicant", "recorded_by"])
    if certificate is not None:
        # Stored last: the file is deleted again if the rows cannot be written (document_store).
        assessment.save()
        label = f"{assessment.get_framework_display()} {assessment.level} {assessed_on.isoformat()}".strip()
        document: Document = document_store(
            by=by, applicant=applicant, upload=certificate, kind=Document.Kind.CERTIFICATE, description=label
        )
        assessment.certificate = document
        assessment.save(update_fields=["certificate"])
    else:
        assessment.save()
    record_change(actor=by, instance=assessment, before=None)
    return assessment


# The fields of a result that a correction may change (the certificate is kept as it is).
ASSESSMENT_FIELDS = ("framework", "level", "score", "skill_scores", "assessed_on", "course", "notes")


@transaction.atomic
def assessment_update(*, by: User, assessment: Assessment, data: dict[str, Any]) -> Assessment:
    """Correct a recorded result (a mistyped score, level or date): the keys of `data` among
    ASSESSMENT_FIELDS replace the stored values, the rest stay; the whole result is checked again and
    its CEFR level and pass mark derived again (assessment_clean). Who: as assessment_record. The row
    is locked, so two corrections at once apply one after the other. Returns the saved row."""
    stored = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("applicant", "course")
        .filter(pk=assessment.pk)
        .order_by("pk")
        .first()
    )
    if stored is None:
        raise ValidationError({"assessment": _("This result has been deleted.")})
    require(assessment_editable(by, stored.applicant))
    before = snapshot(stored)
    merged = {key: data[key] if key in data else getattr(stored, key) for key in ASSESSMENT_FIELDS}
    fields = assessment_clean(
        framework=merged["framework"],
        level=merged["level"],
        score=merged["score"],
        skill_scores=merged["skill_scores"],
        assessed_on=merged["assessed_on"],
    )
    course = merged["course"]
    if course is not None and not isinstance(course, Course):
        raise ValidationError({"course": _("Choose one of your courses.")})
    # A course kept as it was stays even where the user cannot see it (another trainer's course);
    # a course chosen now must be one of the user's.
    if (
        course is not None
        and course.pk != stored.course_id
        and not Course.objects.visible_to(by).filter(pk=course.pk).exists()
    ):
        raise ValidationError({"course": _("Choose one of your courses.")})
    for key, value in fields.items():
        setattr(stored, key, value)
    stored.course = course
    stored.notes = str(merged["notes"] or "").strip()[:300]
    stored.full_clean(exclude=["certificate", "course", "applicant", "recorded_by"])
    stored.save()
    record_change(actor=by, instance=stored, before=before)
    return stored


@transaction.atomic
def assessment_delete(*, by: User, assessment: Assessment) -> None:
    """Delete a result recorded by mistake (who: as assessment_record); the history keeps its values.

    Its certificate is not deleted: the Document stays in the person's documents (it is part of the
    case file)."""
    stored = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .filter(pk=assessment.pk)
        .order_by("pk")
        .first()
    )
    if stored is None:
        raise ValidationError({"assessment": _("This result has been deleted.")})
    require(assessment_editable(by, stored.applicant))
    record_change(actor=by, instance=stored, before=snapshot(stored), action=ChangeRecord.Action.DELETE)
    stored.delete()

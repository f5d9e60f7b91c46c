"""Django admin for learning: courses, sessions, enrolments, attendance and assessments.

As in casework's admin (casework/admin/base.py): administrators are not superusers and reach these pages
through the "administrator" group's model permissions (migration 0002_role_permissions); rows and
choices come through visible_to / editable_by, so the admin is no second way in; new rows and changes
that have a service go through it (the form dry-runs the service so its messages appear next to the
fields), and plain corrections are recorded in the history. Every changelist selects its related rows
in the same query and picks people and sessions by id, so pages stay light on the bench dataset.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from casework.admin.base import ServiceModelForm, VisibleAdmin
from casework.audit import record_change, snapshot
from casework.models import Applicant, Document, User
from casework.roles import Role
from learning import services
from learning.models import (
    Assessment,
    Attendance,
    Course,
    Enrollment,
    EnrollmentStatus,
    Session,
)


class LearningAdmin(VisibleAdmin):
    """Choices of courses, sessions and enrolments are those the user may read (or change)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        user = request.user
        if related is Course:
            kwargs["queryset"] = (
                Course.objects.editable_by(user)
                if self.model in (Session, Attendance)
                else Course.objects.visible_to(user)
            )
        elif related is Session:
            kwargs["queryset"] = Session.objects.filter(course__in=Course.objects.editable_by(user))
        elif related is Enrollment:
            kwargs["queryset"] = Enrollment.objects.visible_to(user)
        elif related is Document:
            kwargs["queryset"] = Document.objects.visible_to(user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_related(self, request, form, formsets, change) -> None:
        # A service form's many-to-many fields (a course's trainers) are written by the service.
        if not isinstance(form, ServiceModelForm):
            form.save_m2m()
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- Courses and sessions ---------------------------------------------------------------------------------


class CourseAdminForm(ServiceModelForm):
    class Meta:
        model = Course
        fields = [*services.COURSE_FIELDS, "trainers"]

    def save_through_service(self) -> Course:
        data = {key: self.cleaned_data.get(key) for key in services.COURSE_FIELDS}
        trainers = list(self.cleaned_data.get("trainers") or [])
        if not self.instance.pk:
            return services.course_create(by=self.request_user, data=data, trainers=trainers)
        course = services.course_update(by=self.request_user, course=self.instance, data=data)
        return services.course_set_trainers(by=self.request_user, course=course, trainers=trainers)


class SessionInline(admin.TabularInline):
    """A course's sessions at a glance (added and changed on their own page, through the services)."""

    model = Session
    extra = 0
    fields = ["starts_at", "duration_minutes", "topic", "cancelled"]
    readonly_fields = ["starts_at", "duration_minutes", "topic", "cancelled"]
    show_change_link = True
    can_delete = False
    max_num = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Course)
class CourseAdmin(LearningAdmin):
    form = CourseAdminForm
    list_display = [
        "name",
        "kind",
        "format",
        "target_level",
        "term",
        "capacity",
        "enrolled_count",
        "waitlisted_count",
    ]
    list_filter = ["kind", "format", "target_level"]
    search_fields = ["name", "place"]
    date_hierarchy = "starts_on"
    filter_horizontal = ["trainers"]
    inlines = [SessionInline]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                enrolled=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.ENROLLED)),
                waitlisted=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITLISTED)),
            )
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "trainers":
            kwargs["queryset"] = (
                User.objects.visible_to(request.user)
                .filter(groups__name=Role.TRAINER.value, is_active=True)
                .order_by("last_name", "first_name", "username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("term"), ordering="starts_on")
    def term(self, course: Course) -> str:
        return f"{course.starts_on:%Y-%m-%d} – {course.ends_on:%Y-%m-%d}"

    @admin.display(description=_("enrolled"), ordering="enrolled")
    def enrolled_count(self, course: Course) -> int:
        return course.enrolled  # type: ignore[attr-defined]

    @admin.display(description=_("waiting list"), ordering="waitlisted")
    def waitlisted_count(self, course: Course) -> int:
        return course.waitlisted  # type: ignore[attr-defined]


class SessionAdminForm(ServiceModelForm):
    class Meta:
        model = Session
        fields = ["course", "starts_at", "duration_minutes", "topic"]

    def save_through_service(self) -> Session:
        data: dict[str, Any] = {
            key: self.cleaned_data.get(key) for key in ("starts_at", "duration_minutes", "topic")
        }
        if not self.instance.pk:
            return services.session_create(
                by=self.request_user,
                course=self.cleaned_data["course"],
                starts_at=data["starts_at"],
                duration_minutes=data["duration_minutes"],
                topic=data["topic"] or "",
            )
        return services.session_update(by=self.request_user, session=self.instance, data=data)


@admin.register(Session)
class SessionAdmin(LearningAdmin):
    form = SessionAdminForm
    list_display = ["starts_at", "course", "duration_minutes", "topic", "cancelled"]
    list_filter = ["cancelled", "course__kind"]
    list_select_related = ["course"]
    search_fields = ["course__name", "topic"]
    date_hierarchy = "starts_at"
    raw_id_fields = ["course"]
    actions = ["cancel_sessions"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["course", "cancelled", "cancel_reason"] if obj else []

    @admin.action(description=_("Cancel the selected sessions"))
    def cancel_sessions(self, request, queryset) -> None:
        done = 0
        for session in queryset.select_related("course"):
            try:
                services.session_cancel(
                    by=request.user, session=session, reason=str(_("Cancelled in the admin"))
                )
            except PermissionDenied:
                continue
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d session cancelled.", "%(count)d sessions cancelled.", done) % {"count": done},
            messages.SUCCESS,
        )


# --- Enrolments and attendance ----------------------------------------------------------------------------


class EnrollmentAdminForm(ServiceModelForm):
    """A new enrolment goes through enrollment_enrol (capacity and waiting list respected)."""

    class Meta:
        model = Enrollment
        fields = ["course", "applicant"]

    def save_through_service(self) -> Enrollment:
        result = services.enrollment_enrol(
            by=self.request_user, course=self.cleaned_data["course"], applicant=self.cleaned_data["applicant"]
        )
        return result.enrollment


@admin.register(Enrollment)
class EnrollmentAdmin(LearningAdmin):
    list_display = ["applicant", "course", "status", "enrolled_on", "ended_on", "drop_reason"]
    list_filter = ["status", "course__kind"]
    list_select_related = ["applicant", "course"]
    search_fields = ["applicant__reference_code", "applicant__family_name", "applicant__given_name"]
    date_hierarchy = "enrolled_on"
    raw_id_fields = ["course", "applicant"]
    actions = ["complete_enrollments"]
    show_full_result_count = False
    # Status changes (drop with a reason, complete, re-enrol) are made by the services; see the actions.
    record_fields = ["course", "applicant", "status", "enrolled_on", "ended_on", "drop_reason", "enrolled_by"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = EnrollmentAdminForm
        return super().get_form(request, obj, change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.record_fields if obj else []

    def get_fields(self, request, obj=None):
        return self.record_fields if obj else ["course", "applicant"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Applicant:
            kwargs["queryset"] = Applicant.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Mark the selected enrolments completed"))
    def complete_enrollments(self, request, queryset) -> None:
        done, refused = 0, 0
        for enrollment in queryset:
            try:
                services.enrollment_complete(by=request.user, enrollment=enrollment)
            except (PermissionDenied, ValidationError):
                refused += 1
                continue
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d enrolment completed.", "%(count)d enrolments completed.", done)
            % {"count": done},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d enrolment was not enrolled and was left as it was.",
                    "%(count)d enrolments were not enrolled and were left as they were.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )


class AttendanceAdminForm(ServiceModelForm):
    """Every mark goes through attendance_record: one row per session and learner, the last mark wins."""

    class Meta:
        model = Attendance
        fields = ["session", "enrollment", "status"]

    def save_through_service(self) -> Attendance:
        session = self.cleaned_data["session"]
        enrollment = self.cleaned_data["enrollment"]
        if self.instance.pk:
            session, enrollment = self.instance.session, self.instance.enrollment
        return services.attendance_record(
            by=self.request_user, session=session, enrollment=enrollment, status=self.cleaned_data["status"]
        )


@admin.register(Attendance)
class AttendanceAdmin(LearningAdmin):
    form = AttendanceAdminForm
    list_display = ["session_start", "course_name", "learner", "status", "recorded_by", "recorded_at"]
    list_filter = ["status"]
    list_select_related = ["session__course", "enrollment__applicant", "enrollment__course", "recorded_by"]
    search_fields = ["enrollment__applicant__reference_code", "session__course__name"]
    raw_id_fields = ["session", "enrollment"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        return ["session", "enrollment", "recorded_by", "recorded_at"] if obj else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["session", "enrollment", "status"]
        return ["session", "enrollment", "status", "recorded_by", "recorded_at"]

    @admin.display(description=_("session"), ordering="session__starts_at")
    def session_start(self, mark: Attendance) -> Any:
        return mark.session.starts_at

    @admin.display(description=_("course"), ordering="session__course__name")
    def course_name(self, mark: Attendance) -> str:
        return mark.session.course.name

    @admin.display(description=_("learner"), ordering="enrollment__applicant__family_name")
    def learner(self, mark: Attendance) -> str:
        return str(mark.enrollment.applicant)


# --- Assessments ------------------------------------------------------------------------------------------


class AssessmentAdminForm(ServiceModelForm):
    """New results go through assessment_record; a correction is checked and its CEFR level derived again
    by assessment_clean (the rules), so the admin cannot store a level the tables would not give."""

    class Meta:
        model = Assessment
        fields = [
            "applicant",
            "framework",
            "level",
            "score",
            "skill_scores",
            "assessed_on",
            "course",
            "notes",
        ]

    def _values(self) -> dict[str, Any]:
        return {
            key: self.cleaned_data.get(key)
            for key in ("framework", "level", "score", "skill_scores", "assessed_on")
        }

    def save_through_service(self) -> Assessment:
        if not self.instance.pk:
            return services.assessment_record(
                by=self.request_user,
                applicant=self.cleaned_data["applicant"],
                course=self.cleaned_data.get("course"),
                notes=self.cleaned_data.get("notes") or "",
                **{key: value for key, value in self._values().items() if value not in (None, "")},
            )
        if not services.assessment_editable(self.request_user, self.instance.applicant):
            raise PermissionDenied
        cleaned = services.assessment_clean(**self._values())
        for key, value in cleaned.items():
            setattr(self.instance, key, value)
        return self.instance


@admin.register(Assessment)
class AssessmentAdmin(LearningAdmin):
    form = AssessmentAdminForm
    list_display = ["applicant", "framework", "level", "score", "cefr_level", "assessed_on", "certificate"]
    list_filter = ["framework", "cefr_level"]
    list_select_related = ["applicant", "certificate"]
    search_fields = ["applicant__reference_code", "applicant__family_name", "applicant__given_name"]
    date_hierarchy = "assessed_on"
    raw_id_fields = ["applicant", "course"]
    show_full_result_count = False

    def get_readonly_fields(self, request, obj=None):
        fields = ["cefr_level", "passed", "certificate", "recorded_by", "created_at"]
        return ["applicant", *fields] if obj else fields

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            super().save_model(request, obj, form, change)  # assessment_record
            return
        # A correction: assessment_clean checks it and derives the level again; history records it.
        stored = Assessment.objects.filter(pk=obj.pk).first()
        before = snapshot(stored) if stored is not None else None
        form.save_through_service()
        obj.save()
        record_change(actor=request.user, instance=obj, before=before, applicant_id=obj.applicant_id)

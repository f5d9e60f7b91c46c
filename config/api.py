"""The API router: each app registers its viewsets here under /api/v1/."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from casework.api.accounts import MeView, TeamViewSet
from casework.api.applicants import ApplicantViewSet
from casework.api.audit import AccessLogEntryViewSet, ChangeRecordViewSet
from casework.api.consent import ConsentViewSet, SensitiveRecordViewSet
from casework.api.imports import ImportKindViewSet, ImportViewSet
from casework.api.legal import (
    LegalStatusPeriodViewSet,
    RefugeeProcedureViewSet,
    ReportingObligationViewSet,
    RightToWorkCheckViewSet,
    WorkPermissionViewSet,
)
from casework.api.records import CaseNoteViewSet, DocumentViewSet, TaskViewSet
from casework.api.reminders import DeadlineViewSet, NotificationViewSet, ReminderViewSet
from jobs.api.employers import EmployerViewSet
from jobs.api.interview_proposals import InterviewProposalViewSet
from jobs.api.openings import JobOpeningViewSet
from jobs.api.partner.impact import PartnerImpactView
from jobs.api.partner.interviews import (
    PartnerHireReportViewSet,
    PartnerInterviewViewSet,
    PartnerOfferViewSet,
    PartnerProposalViewSet,
)
from jobs.api.partner.openings import PartnerOpeningViewSet
from jobs.api.partner.placements import (
    PartnerFollowUpViewSet,
    PartnerNotificationViewSet,
    PartnerPlacementViewSet,
)
from jobs.api.partner.referrals import PartnerReferralViewSet
from jobs.api.placements import FollowUpViewSet, PlacementViewSet
from jobs.api.referrals import InterviewViewSet, ReferralViewSet
from jobs.api.wages import MinimumWageViewSet
from learning.api.assessments import AssessmentViewSet
from learning.api.attendance import AttendanceViewSet
from learning.api.courses import CourseViewSet, SessionViewSet
from learning.api.enrolments import EnrollmentViewSet
from reports.api.exports import ExportViewSet
from reports.api.figures import ReportViewSet
from reports.api.research import ResearchExportViewSet

router = DefaultRouter()
router.register("teams", TeamViewSet, basename="team")
router.register("applicants", ApplicantViewSet, basename="applicant")
router.register("legal-status-periods", LegalStatusPeriodViewSet, basename="legal-status-period")
router.register("work-permissions", WorkPermissionViewSet, basename="work-permission")
router.register("right-to-work-checks", RightToWorkCheckViewSet, basename="right-to-work-check")
router.register("reporting-obligations", ReportingObligationViewSet, basename="reporting-obligation")
router.register("procedures", RefugeeProcedureViewSet, basename="procedure")
router.register("notes", CaseNoteViewSet, basename="note")
router.register("tasks", TaskViewSet, basename="task")
router.register("documents", DocumentViewSet, basename="document")
router.register("consents", ConsentViewSet, basename="consent")
router.register("sensitive-information", SensitiveRecordViewSet, basename="sensitive-information")
router.register("history", ChangeRecordViewSet, basename="history")
router.register("access-log", AccessLogEntryViewSet, basename="access-log")
router.register("imports", ImportViewSet, basename="import")
router.register("import-kinds", ImportKindViewSet, basename="import-kind")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("reminders", ReminderViewSet, basename="reminder")
router.register("deadlines", DeadlineViewSet, basename="deadline")
router.register("courses", CourseViewSet, basename="course")
router.register("sessions", SessionViewSet, basename="session")
router.register("enrollments", EnrollmentViewSet, basename="enrollment")
router.register("attendance", AttendanceViewSet, basename="attendance")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("employers", EmployerViewSet, basename="employer")
router.register("openings", JobOpeningViewSet, basename="opening")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("interviews", InterviewViewSet, basename="interview")
router.register("placements", PlacementViewSet, basename="placement")
router.register("follow-ups", FollowUpViewSet, basename="follow-up")
router.register("minimum-wages", MinimumWageViewSet, basename="minimum-wage")
router.register("partner/openings", PartnerOpeningViewSet, basename="partner-opening")
router.register("partner/referrals", PartnerReferralViewSet, basename="partner-referral")
router.register("partner/placements", PartnerPlacementViewSet, basename="partner-placement")
router.register("partner/follow-ups", PartnerFollowUpViewSet, basename="partner-follow-up")
router.register("partner/notifications", PartnerNotificationViewSet, basename="partner-notification")
router.register("partner/interview-proposals", PartnerProposalViewSet, basename="partner-interview-proposal")
router.register("partner/interviews", PartnerInterviewViewSet, basename="partner-interview")
router.register("partner/offers", PartnerOfferViewSet, basename="partner-offer")
router.register("partner/hire-reports", PartnerHireReportViewSet, basename="partner-hire-report")
router.register("interview-proposals", InterviewProposalViewSet, basename="interview-proposal")
router.register("research-exports", ResearchExportViewSet, basename="research-export")
router.register("reports", ReportViewSet, basename="report")
router.register("exports", ExportViewSet, basename="export")

urlpatterns = [
    path("me/", MeView.as_view(), name="api-me"),
    path("partner/impact/", PartnerImpactView.as_view(), name="api-partner-impact"),
    # The API's description is for signed-in users (issue 19): it maps every door an attacker would try.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    path(
        "docs/",
        login_required(
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema",
                template_name="casework/api_docs.html",
                permission_classes=[IsAuthenticated],
            )
        ),
        name="api-docs",
    ),
    path("", include(router.urls)),
]

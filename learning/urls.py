"""URLs of learning's pages, under /learning/ (the API's are in learning/api and config/api.py)."""

from django.urls import path

from learning.views import assessments, attendance, courses, enrolments, job_ready, learners

app_name = "learning"

urlpatterns = [
    # Course and trainer pages (courses.py, attendance.py, enrolments.py)
    path("courses/", courses.course_list, name="course_list"),
    path("teaching/", courses.teaching, name="teaching"),
    path("courses/add/", courses.course_add, name="course_add"),
    path("courses/<int:pk>/", courses.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", courses.course_edit, name="course_edit"),
    path("courses/<int:pk>/sessions/add/", courses.session_add, name="session_add"),
    path("courses/<int:pk>/sessions/generate/", courses.sessions_generate, name="sessions_generate"),
    path("sessions/<int:pk>/cancel/", courses.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/attendance/", attendance.session_attendance, name="session_attendance"),
    path(
        "sessions/<int:pk>/attendance/mark/",
        attendance.session_attendance_mark,
        name="session_attendance_mark",
    ),
    path("enrol/", enrolments.enrol, name="enrol"),
    path("enrollments/<int:pk>/drop/", enrolments.enrollment_drop, name="enrollment_drop"),
    path("enrollments/<int:pk>/complete/", enrolments.enrollment_complete, name="enrollment_complete"),
    # Learner pages: assessments, certificates (views/learners.py, views/assessments.py)
    path("learners/<str:reference_code>/", learners.learner_detail, name="learner_detail"),
    path(
        "learners/<str:reference_code>/assessments/add/",
        assessments.assessment_add,
        name="assessment_add",
    ),
    # The applicant page's job-ready suggestion: staff confirm it (POST only).
    path(
        "learners/<str:reference_code>/job-ready/",
        job_ready.job_ready_confirm,
        name="job_ready_confirm",
    ),
    path("assessments/<int:pk>/edit/", assessments.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/delete/", assessments.assessment_delete, name="assessment_delete"),
    path(
        "assessments/<int:pk>/certificate/",
        assessments.assessment_certificate,
        name="assessment_certificate",
    ),
]

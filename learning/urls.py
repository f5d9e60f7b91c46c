"""URLs of learning's pages, under /learning/ (the API's are in learning/api and config/api.py)."""

from django.urls import path

from learning import views_assessments, views_attendance, views_courses, views_enrolment, views_learners

app_name = "learning"

urlpatterns = [
    # Course and trainer pages (views_courses.py, views_attendance.py, views_enrolment.py)
    path("courses/", views_courses.course_list, name="course_list"),
    path("teaching/", views_courses.teaching, name="teaching"),
    path("courses/add/", views_courses.course_add, name="course_add"),
    path("courses/<int:pk>/", views_courses.course_detail, name="course_detail"),
    path("courses/<int:pk>/edit/", views_courses.course_edit, name="course_edit"),
    path("courses/<int:pk>/sessions/add/", views_courses.session_add, name="session_add"),
    path("courses/<int:pk>/sessions/generate/", views_courses.sessions_generate, name="sessions_generate"),
    path("sessions/<int:pk>/cancel/", views_courses.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/attendance/", views_attendance.session_attendance, name="session_attendance"),
    path(
        "sessions/<int:pk>/attendance/mark/",
        views_attendance.session_attendance_mark,
        name="session_attendance_mark",
    ),
    path("enrol/", views_enrolment.enrol, name="enrol"),
    path("enrollments/<int:pk>/drop/", views_enrolment.enrollment_drop, name="enrollment_drop"),
    path("enrollments/<int:pk>/complete/", views_enrolment.enrollment_complete, name="enrollment_complete"),
    # Learner pages: assessments, certificates (views_learners.py)
    path("learners/<str:reference_code>/", views_learners.learner_detail, name="learner_detail"),
    path(
        "learners/<str:reference_code>/assessments/add/",
        views_learners.assessment_add,
        name="assessment_add",
    ),
    path("assessments/<int:pk>/edit/", views_assessments.assessment_edit, name="assessment_edit"),
    path("assessments/<int:pk>/delete/", views_assessments.assessment_delete, name="assessment_delete"),
    path(
        "assessments/<int:pk>/certificate/",
        views_learners.assessment_certificate,
        name="assessment_certificate",
    ),
]

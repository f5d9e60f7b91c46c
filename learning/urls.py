"""URLs of learning's pages, under /learning/ (the API's are in learning/api and config/api.py)."""

from django.urls import path

from learning import views_courses

app_name = "learning"

urlpatterns = [
    # Course and trainer pages (views_courses.py, views_attendance.py, views_enrolment.py)
    path("courses/", views_courses.course_list, name="course_list"),
    # Learner pages: assessments, certificates (views_learners.py)
]

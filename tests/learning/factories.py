"""factory_boy factories for learning: courses, sessions, enrolments, attendance, assessments."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import factory
from django.utils import timezone

from casework.models import Organisation, default_organisation_id
from learning.models import (
    Assessment,
    Attendance,
    AttendanceStatus,
    Course,
    CourseFormat,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from tests.casework.applicant_factories import ApplicantFactory
from tests.casework.factories import UserFactory


class CourseFactory(factory.django.DjangoModelFactory):
    """A Japanese course whose term runs from 60 days ago to 60 days ahead; trainers=[…] to set them."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    organisation = factory.LazyFunction(lambda: Organisation.objects.get(pk=default_organisation_id()))
    name = factory.Sequence(lambda n: f"Japanese for work {n}")
    kind = CourseKind.JAPANESE
    target_level = "A2"
    format = CourseFormat.IN_PERSON
    place = "Shinjuku community centre, room 3"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=60))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    capacity = 20
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def trainers(self, create, extracted, **kwargs):
        if create and extracted:
            self.trainers.set(extracted)


def at(day, hour: int = 18) -> datetime:
    """An aware datetime in Asia/Tokyo on `day` at `hour`:00."""
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.get_current_timezone())


class SessionFactory(factory.django.DjangoModelFactory):
    """A session of the course, by default today at 18:00 Tokyo time (within the factory's term)."""

    class Meta:
        model = Session

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: at(timezone.localdate()))
    duration_minutes = 90
    topic = factory.Sequence(lambda n: f"Lesson {n}")


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrollment

    course = factory.SubFactory(CourseFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    status = EnrollmentStatus.ENROLLED
    enrolled_on = factory.LazyAttribute(lambda o: o.course.starts_on)
    enrolled_by = factory.SubFactory(UserFactory)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    enrollment = factory.SubFactory(EnrollmentFactory, course=factory.SelfAttribute("..session.course"))
    status = AttendanceStatus.PRESENT
    recorded_by = factory.SubFactory(UserFactory)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A trainer's CEFR judgement (A2) from last month; pass framework/level/score/cefr_level to vary."""

    class Meta:
        model = Assessment

    applicant = factory.SubFactory(ApplicantFactory)
    framework = "trainer_cefr"
    level = "A2"
    cefr_level = "A2"
    assessed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30))
    recorded_by = factory.SubFactory(UserFactory)

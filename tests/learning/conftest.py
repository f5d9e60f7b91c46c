"""Fixtures of the learning page tests: one trainer's course with a learner from the caseworker's
caseload and one from another team, a session today, another trainer's course. (A test module that
defines a fixture of the same name uses its own.)"""

from __future__ import annotations

import pytest

from casework.roles import Role
from tests.casework.applicant_factories import ApplicantFactory
from tests.learning.factories import CourseFactory, EnrollmentFactory, SessionFactory, at
from tests.learning.views_setup import today


@pytest.fixture
def other_trainer(make_user):
    return make_user(Role.TRAINER, username="trainer2")


@pytest.fixture
def course(trainer):
    return CourseFactory(name="Japanese A2 evening", trainers=[trainer], capacity=3)


@pytest.fixture
def other_course(other_trainer):
    return CourseFactory(name="IT basics", trainers=[other_trainer])


@pytest.fixture
def own_person(team, caseworker):
    return ApplicantFactory(team=team, caseworker=caseworker, family_name="Perera", given_name="Suriya")


@pytest.fixture
def other_person(other_team, other_caseworker):
    return ApplicantFactory(team=other_team, caseworker=other_caseworker, family_name="Tun", given_name="Aye")


@pytest.fixture
def own_enrollment(course, own_person):
    return EnrollmentFactory(course=course, applicant=own_person)


@pytest.fixture
def other_enrollment(course, other_person):
    return EnrollmentFactory(course=course, applicant=other_person)


@pytest.fixture
def session(course, own_enrollment, other_enrollment):
    return SessionFactory(course=course, starts_at=at(today(), 18), topic="Keigo at work")


@pytest.fixture
def other_session(other_course):
    return SessionFactory(course=other_course, starts_at=at(today(), 10))

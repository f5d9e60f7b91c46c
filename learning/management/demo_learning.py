"""Demo courses, sessions, enrolments, attendance and assessments for seed_demo_learning.

Built on seed_demo's people and accounts (learning → casework, never the other way), through
learning.services, so the demo's history looks like real use. Dates are relative to the day it runs:
a term half taught, a session today (the trainer's "today's sessions"), a cancelled one, a full course
with a waiting list, a drop-out, completed learners, a learner absent from the last three sessions (the
absence reminder) and Tharindu Jayasinghe's language progress over eighteen months. Idempotent: a
course is recognised by its name, an assessment by its person, framework and remark; running again
creates nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.utils import timezone

from casework.management.commands.seed_demo import DEMO_PASSWORD, find_demo_person
from casework.management.demo_people import PEOPLE
from casework.management.demo_records import tiny_pdf
from casework.models import Applicant, Organisation, User
from casework.roles import Role
from casework.services import user_set_roles
from learning import services
from learning.models import (
    Assessment,
    AttendanceStatus,
    Course,
    CourseFormat,
    CourseKind,
    Enrollment,
    EnrollmentStatus,
    Session,
)
from learning.rules import Framework

DEMO_SEED = 2026
# A second trainer (README's demo accounts): made here, so casework's seed_demo knows nothing of learning.
SECOND_TRAINER = ("trainer2", "Naoko", "Fujita")
# The demo learner whose page shows a clear progression (README: "see the learning panel").
PROGRESS_LEARNER = "tharindu"
ABSENT_LEARNER = "serhat"
DROP_OUT = ("rizwan", 20, "Found full-time night work at a warehouse; cannot come to evening classes.")


@dataclass(frozen=True)
class DemoCourse:
    name: str
    kind: str
    format: str
    target_level: str
    place: str
    description: str
    capacity: int
    trainers: tuple[str, ...]
    learners: tuple[str, ...]  # demo person keys, in the order they are enrolled
    weekdays: tuple[int, ...]  # 0 = Monday
    start_time: time
    duration_minutes: int
    topic: str
    starts_on: date
    ends_on: date
    completed: tuple[str, ...] = ()
    # The session nearest this many weeks ahead is cancelled (only what has not begun can be cancelled).
    cancelled_weeks_ahead: int | None = None


def _first_monday_of_next_month(today: date) -> date:
    first = date(today.year + (today.month == 12), today.month % 12 + 1, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def demo_courses(today: date) -> tuple[DemoCourse, ...]:
    weekday = today.weekday()
    n3_start = _first_monday_of_next_month(today)
    return (
        DemoCourse(
            name="Japanese A1 evening course (Edogawa)",
            kind=CourseKind.JAPANESE,
            format=CourseFormat.IN_PERSON,
            target_level="A1",
            place="Edogawa Community Centre, room 3 (Funabori 4-1-1)",
            description="Everyday Japanese for beginners, two evenings a week: greetings, shopping, "
            "trains, hiragana and katakana. Textbook: Marugoto A1.",
            capacity=12,
            trainers=("trainer",),
            learners=("nimal", "rizwan", "serhat", "rojda", "somchai", "nattaya", "sokha", "aung"),
            # Today's weekday is one of them: the trainer has a session today.
            weekdays=(weekday, (weekday + 2) % 7),
            start_time=time(18, 30),
            duration_minutes=90,
            topic="Marugoto A1",
            starts_on=today - timedelta(days=70),
            ends_on=today + timedelta(days=35),
            cancelled_weeks_ahead=2,
        ),
        DemoCourse(
            name="Japanese A2 online",
            kind=CourseKind.JAPANESE,
            format=CourseFormat.ONLINE,
            target_level="A2",
            place="Zoom (link sent by e-mail before each session)",
            description="For learners with A1: conversation at work, polite forms, reading notices.",
            capacity=6,
            trainers=("trainer2",),
            # Six places: the last two wait.
            learners=("tharindu", "suriya", "mehmet", "imran", "ayesha", "shahid", "gurpreet", "rajesh"),
            weekdays=((weekday + 1) % 7,),
            start_time=time(19, 0),
            duration_minutes=90,
            topic="Irodori A2",
            starts_on=today - timedelta(days=42),
            ends_on=today + timedelta(days=48),
        ),
        DemoCourse(
            name="Business manners for work in Japan",
            kind=CourseKind.BUSINESS_MANNERS,
            format=CourseFormat.HYBRID,
            target_level="",
            place="Tobira office, Kinshicho (also on Zoom)",
            description="Workplace customs: punctuality, hou-ren-sou, phone calls, interviews, "
            "rules of the workplace. Saturday mornings.",
            capacity=15,
            trainers=("trainer", "trainer2"),
            learners=("tharindu", "naw", "ahmad", "nasir", "bishnu", "ram"),
            weekdays=(5,),
            start_time=time(10, 0),
            duration_minutes=120,
            topic="Business manners",
            starts_on=today - timedelta(days=84),
            ends_on=today - timedelta(days=14),
            completed=("tharindu", "naw", "ahmad", "nasir", "bishnu", "ram"),
        ),
        # A short course whose term ends within two weeks: the trainer's home lists it as ending soon.
        DemoCourse(
            name="Interview Japanese (short course)",
            kind=CourseKind.JOB_PREPARATION,
            format=CourseFormat.IN_PERSON,
            target_level="A2",
            place="Tobira office, Kinshicho",
            description="Six weeks of interview practice: introducing yourself, your work history, "
            "questions to ask the employer.",
            capacity=8,
            trainers=("trainer",),
            learners=("nimal", "somchai"),
            weekdays=((weekday + 3) % 7,),
            start_time=time(18, 0),
            duration_minutes=60,
            topic="Interview practice",
            starts_on=today - timedelta(days=32),
            ends_on=today + timedelta(days=10),
        ),
        DemoCourse(
            name="JLPT N3 preparation",
            kind=CourseKind.JAPANESE,
            format=CourseFormat.IN_PERSON,
            target_level="B1",
            place="Edogawa Community Centre, room 5",
            description="Twelve weeks towards the July JLPT N3: vocabulary, grammar, reading and "
            "listening practice with past papers.",
            capacity=10,
            trainers=("trainer",),
            learners=("tharindu", "reza", "maryam"),
            weekdays=(0, 3),
            start_time=time(19, 0),
            duration_minutes=90,
            topic="N3 preparation",
            starts_on=n3_start,
            ends_on=n3_start + timedelta(weeks=12),
        ),
    )


@dataclass(frozen=True)
class DemoAssessment:
    person: str
    framework: str
    assessed_on: date
    notes: str  # with the person and framework, how a second run recognises the result
    level: str = ""
    score: int | None = None
    skill_scores: dict | None = None
    by: str = ""  # username; empty: the person's caseworker
    certificate: str = ""  # file name of a generated PDF certificate


def _december_jlpt(today: date) -> date:
    """The latest December JLPT (first Sunday) whose results are out (about two months later), from
    December 2025 on, when the score report began to give a CEFR level."""

    def first_sunday(year: int) -> date:
        first = date(year, 12, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7)

    year = today.year if first_sunday(today.year) + timedelta(days=60) <= today else today.year - 1
    return first_sunday(max(2025, year))


def demo_assessments(today: date) -> tuple[DemoAssessment, ...]:
    jlpt = _december_jlpt(today)
    # JFT-Basic's bands apply from August 2026; the demo result falls after that when it can.
    jft = min(today - timedelta(days=5), max(date(2026, 8, 20), today - timedelta(days=75)))
    return (
        # Tharindu: placement A1 → trainer's judgement A2 → JLPT N4 (A2) → JFT-Basic 205 (A2.2).
        DemoAssessment(
            PROGRESS_LEARNER,
            Framework.PLACEMENT,
            today - timedelta(days=540),
            "Placement test at intake.",
            level="A1",
            score=310,
        ),
        DemoAssessment(
            PROGRESS_LEARNER,
            Framework.TRAINER,
            today - timedelta(days=420),
            "End of the A1 course: holds short conversations at work.",
            level="A2",
            by="trainer2",
        ),
        DemoAssessment(
            PROGRESS_LEARNER,
            Framework.JLPT,
            jlpt,
            "Passed N4 (December test).",
            level="N4",
            score=118,
            skill_scores={"language_knowledge_reading": 76, "listening": 42},
            certificate="jlpt-n4-score-report.pdf",
        ),
        DemoAssessment(
            PROGRESS_LEARNER,
            Framework.JFT_BASIC,
            jft,
            "JFT-Basic at the Tokyo test centre.",
            score=205,
            certificate="jft-basic-score-report.pdf",
        ),
        # Others: a few placements and judgements, one JLPT, a JFT-Basic below 200, a BJT.
        DemoAssessment(
            "nimal", Framework.PLACEMENT, today - timedelta(days=80), "Placement test.", level="A1"
        ),
        DemoAssessment(
            "serhat", Framework.PLACEMENT, today - timedelta(days=78), "Placement test.", level="A1"
        ),
        DemoAssessment(
            "somchai", Framework.PLACEMENT, today - timedelta(days=77), "Placement test.", level="A1"
        ),
        DemoAssessment(
            "suriya",
            Framework.JLPT,
            jlpt,
            "N5 (December test).",
            level="N5",
            score=96,
            skill_scores={"language_knowledge_reading": 66, "listening": 30},
        ),
        DemoAssessment(
            "suriya",
            Framework.TRAINER,
            today - timedelta(days=14),
            "Mid-term: ready for N4 in July.",
            level="A2",
            by="trainer2",
        ),
        DemoAssessment(
            "mehmet",
            Framework.JFT_BASIC,
            today - timedelta(days=300),
            "First JFT-Basic attempt.",
            score=182,
        ),
        DemoAssessment(
            "imran", Framework.BJT, today - timedelta(days=200), "BJT at a Tokyo test centre.", score=260
        ),
        DemoAssessment(
            "ayesha",
            Framework.TRAINER,
            today - timedelta(days=21),
            "Mid-term judgement.",
            level="A2",
            by="trainer2",
        ),
        DemoAssessment(
            "reza",
            Framework.PLACEMENT,
            today - timedelta(days=6),
            "Placement for N3 preparation.",
            level="A2",
            score=520,
        ),
    )


def _second_trainer(organisation: Organisation) -> User:
    username, first, last = SECOND_TRAINER
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@tobira.example",
            "organisation": organisation,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    user_set_roles(user=user, roles=[Role.TRAINER.value])
    return User.objects.get(pk=user.pk)  # roles are cached per instance


def _aware(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


class DemoLearning:
    """Writes the demo's learning data through the services, counting what it creates."""

    def __init__(self, *, organisation: Organisation, today: date | None = None):
        self.organisation = organisation
        self.today = today or timezone.localdate()
        self.counts: Counter[str] = Counter()
        self.people = self._people()
        usernames = ("admin", "trainer", "caseworker", "caseworker2", "supervisor")
        found = {user.username: user for user in User.objects.filter(username__in=usernames)}
        missing = set(usernames) - set(found)
        if missing or len(self.people) < len(PEOPLE):
            raise CommandError("The demo people and accounts are missing: run `manage.py seed_demo` first.")
        found["trainer2"] = _second_trainer(organisation)
        self.users = {name: User.objects.get(pk=user.pk) for name, user in found.items()}

    def _people(self) -> dict[str, Applicant]:
        people = {}
        for person in PEOPLE:
            applicant = find_demo_person(self.organisation, person)
            if applicant is not None:
                people[person.key] = applicant
        return people

    def caseworker_of(self, applicant: Applicant) -> User:
        if applicant.caseworker_id:
            return User.objects.get(pk=applicant.caseworker_id)
        return self.users["supervisor"]

    def run(self) -> Counter[str]:
        for spec in demo_courses(self.today):
            if Course.objects.filter(organisation=self.organisation, name=spec.name).exists():
                self.counts["existing courses"] += 1
                continue
            self.course(spec)
        for result in demo_assessments(self.today):
            self.assessment(result)
        return self.counts

    # --- Courses --------------------------------------------------------------------------------------

    def course(self, spec: DemoCourse) -> Course:
        admin = self.users["admin"]
        course = services.course_create(
            by=admin,
            data={
                "name": spec.name,
                "kind": spec.kind,
                "target_level": spec.target_level,
                "format": spec.format,
                "place": spec.place,
                "description": spec.description,
                "starts_on": spec.starts_on,
                "ends_on": spec.ends_on,
                "capacity": spec.capacity,
            },
            trainers=[self.users[name] for name in spec.trainers],
        )
        self.counts["courses"] += 1
        teacher = self.users[spec.trainers[0]]
        services.sessions_generate(
            by=teacher,
            course=course,
            weekdays=spec.weekdays,
            start_time=spec.start_time,
            duration_minutes=spec.duration_minutes,
            topic=spec.topic,
        )
        sessions = list(Session.objects.filter(course=course).order_by("starts_at"))
        self.counts["sessions"] += len(sessions)
        if spec.cancelled_weeks_ahead is not None:
            target = self.today + timedelta(weeks=spec.cancelled_weeks_ahead)
            ahead = [s for s in sessions if not s.has_started]
            nearest = min(ahead, key=lambda s: abs((timezone.localtime(s.starts_at).date() - target).days))
            services.session_cancel(
                by=teacher, session=nearest, reason="Community centre closed for maintenance."
            )
            nearest.cancelled = True
            self.counts["cancelled sessions"] += 1
        # Enrolled a week before the term (or today for a course that has not started).
        enrol_on = min(self.today, spec.starts_on - timedelta(days=7))
        enrollments: dict[str, Enrollment] = {}
        for key in spec.learners:
            applicant = self.people[key]
            result = services.enrollment_enrol(
                by=self.caseworker_of(applicant), course=course, applicant=applicant, on=enrol_on
            )
            enrollments[key] = result.enrollment
            self.counts["waitlisted" if result.waitlisted else "enrolments"] += 1
        self.attendance(spec, sessions, enrollments, teacher)
        drop_key, drop_days_ago, drop_reason = DROP_OUT
        if drop_key in enrollments:
            services.enrollment_drop(
                by=self.caseworker_of(self.people[drop_key]),
                enrollment=enrollments[drop_key],
                reason=drop_reason,
                on=self.today - timedelta(days=drop_days_ago),
            )
            self.counts["drop-outs"] += 1
        for key in spec.completed:
            services.enrollment_complete(by=teacher, enrollment=enrollments[key], on=spec.ends_on)
            self.counts["completed"] += 1
        return course

    def attendance(
        self, spec: DemoCourse, sessions: list[Session], enrollments: dict[str, Enrollment], teacher: User
    ) -> None:
        """Marks for every past session: mostly present, some late or excused, the odd absence; the
        absent learner misses the last three; the drop-out is marked until the day they left."""
        past = [
            s for s in sessions if not s.cancelled and timezone.localtime(s.starts_at).date() < self.today
        ]
        rng = random.Random(f"{DEMO_SEED}:{spec.name}")  # noqa: S311 - repeatable demo data, not secrets
        marked = {key: e for key, e in enrollments.items() if e.status == EnrollmentStatus.ENROLLED}
        drop_key, drop_days_ago, _reason = DROP_OUT
        dropped_on = self.today - timedelta(days=drop_days_ago)
        last_absent: set[str] = set()
        for index, session in enumerate(past):
            day = timezone.localtime(session.starts_at).date()
            from_end = len(past) - index  # 1 = the most recent past session
            marks = []
            for key, enrollment in marked.items():
                if key == drop_key and day >= dropped_on:
                    continue
                if key == ABSENT_LEARNER:
                    status = AttendanceStatus.ABSENT if from_end <= 3 else AttendanceStatus.PRESENT
                else:
                    status = rng.choices(
                        (
                            AttendanceStatus.PRESENT,
                            AttendanceStatus.LATE,
                            AttendanceStatus.EXCUSED,
                            AttendanceStatus.ABSENT,
                        ),
                        weights=(80, 8, 7, 5),
                    )[0]
                    if status == AttendanceStatus.ABSENT and key in last_absent:
                        status = AttendanceStatus.PRESENT  # one absence at a time: a single streak
                last_absent.discard(key)
                if status == AttendanceStatus.ABSENT:
                    last_absent.add(key)
                marks.append((enrollment.pk, status))
            if marks:
                services.attendance_record_bulk(by=teacher, session=session, marks=marks)
                self.counts["attendance marks"] += len(marks)

    # --- Assessments ----------------------------------------------------------------------------------

    def assessment(self, spec: DemoAssessment) -> None:
        applicant = self.people[spec.person]
        if Assessment.objects.filter(
            applicant=applicant, framework=spec.framework, notes=spec.notes
        ).exists():
            self.counts["existing assessments"] += 1
            return
        by = self.users[spec.by] if spec.by else self.caseworker_of(applicant)
        certificate = None
        if spec.certificate:
            content = tiny_pdf(f"{applicant.reference_code} - {spec.certificate} (demo)")
            certificate = SimpleUploadedFile(spec.certificate, content, content_type="application/pdf")
        services.assessment_record(
            by=by,
            applicant=applicant,
            framework=spec.framework,
            assessed_on=spec.assessed_on,
            level=spec.level,
            score=spec.score,
            skill_scores=spec.skill_scores,
            certificate=certificate,
            notes=spec.notes,
        )
        self.counts["assessments"] += 1
        if certificate is not None:
            self.counts["certificates"] += 1

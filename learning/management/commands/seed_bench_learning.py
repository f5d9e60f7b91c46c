"""Bulk benchmark data for learning, after seed_bench: courses, sessions, enrolments, attendance, assessments.

DESIGN.md's bench dataset has 1,000,000 attendance rows at 100,000 applicants. Courses (one per ~70
applicants, ~20 learners, 40 sessions over a 20-week term, most in the past, some running, a few ahead)
are added until the attendance reaches the target (--attendance, default 10 per applicant), and ~30% of
the applicants get 1–3 assessments with the CEFR level derived by learning.rules, as the services do.

No per-row services: rows are built in memory, one transaction per chunk of courses. Courses, sessions and
enrolments go in with bulk_create (their ids are needed); attendance, the bulk of it, on PostgreSQL as one
INSERT … SELECT FROM unnest(arrays) per chunk (as casework.deadlines does), on SQLite with bulk_create.
Learners absent several times in a row exist in running courses, so the absence reminder has work to do.
A second run adds more courses and results; with --applicants N and no --attendance it brings the
organisation to 10 N attendance rows (about 0.3 N enrolments) and adds assessments only where there are
none yet, so `make bench` can run it every time.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from datetime import date, datetime, timedelta
from datetime import time as clock

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from casework.models import Applicant, Organisation, User, default_organisation_id
from casework.roles import Role
from casework.services import user_set_roles
from learning import rules
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
from learning.rules import Framework

TRAINER_PREFIX = "bench-trainer"
COURSE_PREFIX = "Bench course"
TERM_WEEKS = 20  # two sessions a week: 40 sessions (10 N attendance rows come from about 0.3 N enrolments)
KINDS = {
    CourseKind.JAPANESE: 70,
    CourseKind.IT: 10,
    CourseKind.BUSINESS_MANNERS: 10,
    CourseKind.JOB_PREPARATION: 10,
}
FORMATS = {CourseFormat.IN_PERSON: 50, CourseFormat.ONLINE: 35, CourseFormat.HYBRID: 15}
FRAMEWORKS = {
    Framework.PLACEMENT: 35,
    Framework.TRAINER: 30,
    Framework.JLPT: 15,
    Framework.JFT_BASIC: 12,
    Framework.BJT: 8,
}
DROP_REASONS = ("Found full-time work.", "Moved to another prefecture.", "Childcare.", "Health reasons.")
STATUSES = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.EXCUSED,
    AttendanceStatus.ABSENT,
)


def _pick(rng: random.Random, weights: dict) -> str:
    return str(rng.choices(list(weights), weights=list(weights.values()))[0])


def bench_trainers(organisation: Organisation, count: int) -> list[User]:
    trainers = []
    for number in range(1, count + 1):
        username = f"{TRAINER_PREFIX}-{number:03d}"
        user, created = User.objects.get_or_create(
            username=username, defaults={"organisation": organisation, "email": f"{username}@bench.example"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user_set_roles(user=user, roles=[Role.TRAINER.value])
        trainers.append(user)
    return trainers


class LearningBench:
    """Builds chunks of courses with everything under them; counts what it inserted."""

    def __init__(
        self,
        *,
        rng: random.Random,
        organisation: Organisation,
        trainers: list[User],
        author: User,
        learner_ids: list[int],
        learners_per_course: int,
        today: date,
        first_number: int,
    ):
        self.rng = rng
        self.organisation = organisation
        self.trainers = trainers
        self.author = author
        self.learner_ids = learner_ids
        self.learners_per_course = min(learners_per_course, len(learner_ids))
        self.today = today
        self.number = first_number
        self.counts: Counter[str] = Counter()
        self.zone = timezone.get_current_timezone()

    def build_courses(self, count: int) -> list[Course]:
        rng, today = self.rng, self.today
        courses = []
        for _ in range(count):
            self.number += 1
            roll = rng.random()
            if roll < 0.05:  # starting in the coming weeks
                start = today + timedelta(days=rng.randint(7, 60))
            elif roll < 0.25:  # running now
                start = today - timedelta(days=rng.randint(7, TERM_WEEKS * 7 - 7))
            else:  # over
                start = today - timedelta(days=rng.randint(TERM_WEEKS * 7 + 1, 900))
            kind = _pick(rng, KINDS)
            courses.append(
                Course(
                    organisation=self.organisation,
                    name=f"{COURSE_PREFIX} {self.number:05d}",
                    kind=kind,
                    target_level=rng.choice(("A1", "A2", "B1")) if kind == CourseKind.JAPANESE else "",
                    format=_pick(rng, FORMATS),
                    place="Bench room",
                    starts_on=start,
                    ends_on=start + timedelta(weeks=TERM_WEEKS) - timedelta(days=1),
                    capacity=self.learners_per_course,
                    created_by=self.author,
                )
            )
        Course.objects.bulk_create(courses)
        through = Course.trainers.through
        through.objects.bulk_create(
            [through(course_id=course.pk, user_id=rng.choice(self.trainers).pk) for course in courses]
        )
        self.counts["courses"] += len(courses)
        return courses

    def build_sessions(self, courses: list[Course]) -> dict[int, list[Session]]:
        rows: dict[int, list[Session]] = {}
        for course in courses:
            first_weekday = self.rng.choice((0, 1, 2))  # and two days later
            hour = self.rng.choice((10, 14, 18, 19))
            sessions = []
            day = course.starts_on
            while day <= course.ends_on:
                if day.weekday() in (first_weekday, first_weekday + 2):
                    sessions.append(
                        Session(
                            course=course,
                            starts_at=datetime.combine(day, clock(hour, 0), tzinfo=self.zone),
                            duration_minutes=90,
                            topic="Bench lesson",
                            cancelled=self.rng.random() < 0.02,
                        )
                    )
                day += timedelta(days=1)
            rows[course.pk] = sessions
        Session.objects.bulk_create([s for sessions in rows.values() for s in sessions], batch_size=5000)
        self.counts["sessions"] += sum(len(s) for s in rows.values())
        return rows

    def build_enrollments(self, courses: list[Course], sessions: dict[int, list[Session]]) -> list[tuple]:
        """Enrolments, and per enrolment the past sessions it is marked for (until a drop-out)."""
        rng, today = self.rng, self.today
        enrollments: list[Enrollment] = []
        marked_sessions: list[list[Session]] = []
        for course in courses:
            past = [
                s
                for s in sessions[course.pk]
                if not s.cancelled and s.starts_at.astimezone(self.zone).date() < today
            ]
            for applicant_id in rng.sample(self.learner_ids, self.learners_per_course):
                enrollment = Enrollment(
                    course=course,
                    applicant_id=applicant_id,
                    enrolled_on=course.starts_on - timedelta(days=rng.randint(1, 20)),
                    enrolled_by=self.author,
                )
                marked = past
                if past and rng.random() < 0.08:
                    cut = rng.randint(1, len(past))
                    marked = past[:cut]
                    enrollment.status = EnrollmentStatus.DROPPED
                    enrollment.drop_reason = rng.choice(DROP_REASONS)
                    enrollment.ended_on = marked[-1].starts_at.astimezone(self.zone).date()
                elif course.ends_on < today:
                    enrollment.status = EnrollmentStatus.COMPLETED
                    enrollment.ended_on = course.ends_on
                enrollments.append(enrollment)
                marked_sessions.append(marked)
        Enrollment.objects.bulk_create(enrollments, batch_size=5000)
        self.counts["enrolments"] += len(enrollments)
        return list(zip(enrollments, marked_sessions, strict=True))

    def attendance_rows(self, pairs: list[tuple], limit: int) -> tuple[list[int], list[int], list[str]]:
        """(session ids, enrolment ids, statuses), at most `limit`: each learner has a habit; now and
        then someone stays away several sessions in a row (the absence reminder's streaks)."""
        rng = self.rng
        session_ids: list[int] = []
        enrollment_ids: list[int] = []
        statuses: list[str] = []
        for enrollment, marked in pairs:
            absent_weight = rng.choice((2, 4, 6, 10, 20))
            weights = (85 - absent_weight, 6, 5, absent_weight)
            streak = 0
            for session in marked:
                if len(statuses) >= limit:
                    return session_ids, enrollment_ids, statuses
                if streak:
                    status, streak = AttendanceStatus.ABSENT, streak - 1
                else:
                    status = rng.choices(STATUSES, weights=weights)[0]
                    if status == AttendanceStatus.ABSENT and rng.random() < 0.1:
                        streak = rng.randint(2, 4)
                session_ids.append(session.pk)
                enrollment_ids.append(enrollment.pk)
                statuses.append(status)
        return session_ids, enrollment_ids, statuses

    def insert_attendance(
        self, session_ids: list[int], enrollment_ids: list[int], statuses: list[str]
    ) -> int:
        if not statuses:
            return 0
        now = timezone.now()
        if connection.vendor != "postgresql":
            Attendance.objects.bulk_create(
                [
                    Attendance(session_id=s, enrollment_id=e, status=status, recorded_by=self.author)
                    for s, e, status in zip(session_ids, enrollment_ids, statuses, strict=True)
                ],
                batch_size=2000,
            )
            return len(statuses)
        table = connection.ops.quote_name(Attendance._meta.db_table)
        column = {f.name: f.column for f in Attendance._meta.concrete_fields}
        columns = ", ".join(
            connection.ops.quote_name(column[name])
            for name in ("session", "enrollment", "status", "recorded_by", "recorded_at")
        )
        # Only identifiers from the model's own metadata are formatted in; every value is a parameter.
        sql = (
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            "SELECT s, e, t, %s, %s FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS r(s, e, t)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.author.pk, now, session_ids, enrollment_ids, statuses])
        return len(statuses)

    def build_assessments(self, applicant_ids: list[int]) -> int:
        rng, today = self.rng, self.today
        rows = []
        for applicant_id in applicant_ids:
            for _ in range(rng.choice((1, 1, 2, 3))):
                framework = _pick(rng, FRAMEWORKS)
                on = today - timedelta(days=rng.randint(1, 1100))
                level, score = "", None
                if framework == Framework.JLPT:
                    level, score = rng.choice(rules.JLPT_LEVELS[:4]), rng.randint(60, 160)
                elif framework == Framework.JFT_BASIC:
                    score = rng.randint(120, 250)
                elif framework == Framework.BJT:
                    score = rng.randint(150, 650)
                else:
                    level = rng.choice(("A1", "A1", "A2", "A2", "B1"))
                derived = rules.assessment_cefr(framework=framework, level=level, score=score, on=on)
                passed = None
                if framework == Framework.JLPT and score is not None:
                    passed = score >= rules.jlpt_pass_mark(level)
                elif framework == Framework.JFT_BASIC and score is not None:
                    passed = score >= 200
                rows.append(
                    Assessment(
                        applicant_id=applicant_id,
                        framework=framework,
                        level=derived.level,
                        score=score,
                        passed=passed,
                        cefr_level=derived.cefr,
                        assessed_on=on,
                        recorded_by=self.author,
                    )
                )
        Assessment.objects.bulk_create(rows, batch_size=5000)
        self.counts["assessments"] += len(rows)
        return len(rows)


def analyse_tables() -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Course, Session, Enrollment, Attendance, Assessment):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


class Command(BaseCommand):
    help = (
        "Add benchmark learning data for the people seed_bench made: courses until the attendance reaches "
        "--attendance rows (default 10 per applicant: 1,000,000 at 100,000), and assessments for ~30%."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--applicants",
            type=int,
            default=None,
            help="The bench scale (default: the people in the organisation); sets the attendance default.",
        )
        parser.add_argument("--attendance", type=int, default=None, help="Attendance rows to add.")
        parser.add_argument("--learners-per-course", type=int, default=20)
        parser.add_argument("--assessed-share", type=float, default=0.3, help="Share of people with results.")
        parser.add_argument(
            "--trainers",
            type=int,
            default=None,
            help="Bench trainers (created if missing; default: the teams' trainers seed_bench made, or 50).",
        )
        parser.add_argument("--courses-per-chunk", type=int, default=50, help="Courses per transaction.")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (runs are repeatable).")

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        today = timezone.localdate()
        organisation = Organisation.objects.get(pk=default_organisation_id())
        learner_ids = list(
            Applicant.objects.filter(organisation=organisation).order_by("pk").values_list("pk", flat=True)
        )
        if not learner_ids:
            raise CommandError("No applicants to enrol: run `manage.py seed_bench` first.")
        scale = options["applicants"] or len(learner_ids)
        topping_up = options["attendance"] is None
        if topping_up:
            target = max(
                0, scale * 10 - Attendance.objects.filter(session__course__organisation=organisation).count()
            )
        else:
            target = options["attendance"]
        author = User.objects.filter(username="bench-admin").first()
        if author is None:
            raise CommandError("The bench administrator is missing: run `manage.py seed_bench` first.")
        with transaction.atomic():
            existing_trainers = User.objects.filter(username__startswith=f"{TRAINER_PREFIX}-").count()
            trainers = bench_trainers(organisation, max(1, options["trainers"] or existing_trainers or 50))
        existing = Course.objects.filter(organisation=organisation, name__startswith=COURSE_PREFIX).count()
        rng = random.Random(f"{options['seed']}:learning:{existing}")  # noqa: S311 - repeatable, not secret
        bench = LearningBench(
            rng=rng,
            organisation=organisation,
            trainers=trainers,
            author=author,
            learner_ids=learner_ids,
            learners_per_course=max(1, options["learners_per_course"]),
            today=today,
            first_number=existing,
        )
        chunk = max(1, options["courses_per_chunk"])
        quiet = options["verbosity"] == 0
        with tqdm(total=target, unit="attendance", disable=quiet, file=self.stderr._out) as progress:
            idle = 0  # chunks with nothing to mark (all ahead): give up after many, never loop forever
            while bench.counts["attendance"] < target and idle < 100:
                with transaction.atomic():
                    courses = bench.build_courses(chunk)
                    sessions = bench.build_sessions(courses)
                    pairs = bench.build_enrollments(courses, sessions)
                    rows = bench.attendance_rows(pairs, target - bench.counts["attendance"])
                    added = bench.insert_attendance(*rows)
                bench.counts["attendance"] += added
                idle = 0 if added else idle + 1
                progress.update(added)
        share = max(0.0, min(1.0, options["assessed_share"]))
        if topping_up and Assessment.objects.filter(applicant__organisation=organisation).exists():
            share = 0.0  # the results were added by an earlier run
        assessed = rng.sample(learner_ids, int(len(learner_ids) * share))
        with tqdm(
            total=len(assessed), unit="people assessed", disable=quiet, file=self.stderr._out
        ) as progress:
            for start in range(0, len(assessed), 10_000):
                part = assessed[start : start + 10_000]
                with transaction.atomic():
                    bench.build_assessments(part)
                progress.update(len(part))
        analyse_tables()
        counts = bench.counts
        self.stdout.write(
            self.style.SUCCESS(
                f"Learning bench data added in {time.monotonic() - started:.1f} s: {counts['courses']} courses, "
                f"{counts['sessions']} sessions, {counts['enrolments']} enrolments, "
                f"{counts['attendance']} attendance rows, {counts['assessments']} assessments "
                f"({len(assessed)} people); {len(trainers)} trainers."
            )
        )

"""Create (or bring up to date) the demo accounts and a small, realistic caseload. Idempotent."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from casework import rules, services
from casework.management.demo_people import PEOPLE, Chain, Person
from casework.management.demo_records import add_demo_failed_email, add_demo_records
from casework.models import (
    Applicant,
    Consent,
    ConsentPurpose,
    FieldGroup,
    LegalStatusPeriod,
    Organisation,
    RefugeeProcedure,
    RenewalDecision,
    Team,
    User,
    default_organisation_id,
)
from casework.roles import Role
from casework.services import user_set_roles

# The README lists these; they exist only in demo data.
DEMO_PASSWORD = settings.DEMO_PASSWORD
DEMO_USERS = [
    # username, first, last, roles, team. No language: the browser's is used until the person picks one.
    ("admin", "Aiko", "Sato", [Role.ADMINISTRATOR], None),
    ("supervisor", "Kenji", "Tanaka", [Role.SUPERVISOR], "Tokyo East"),
    ("caseworker", "Maya", "Ito", [Role.CASEWORKER], "Tokyo East"),
    ("caseworker2", "Daniel", "Okafor", [Role.CASEWORKER], "Tokyo East"),
    ("caseworker3", "Yui", "Nakamura", [Role.CASEWORKER], "Kanagawa"),
    ("trainer", "Hiroshi", "Kobayashi", [Role.TRAINER], None),
    ("employer", "Emi", "Yamada", [Role.EMPLOYER], None),
]
DEMO_TEAMS = {"Tokyo East": ["supervisor"], "Kanagawa": ["supervisor"]}
# Card numbers and phone numbers come from a generator seeded per person: the same on every run.
DEMO_SEED = 2026
CARD_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def demo_accounts(organisation: Organisation) -> tuple[dict[str, Team], dict[str, User]]:
    teams = {name: Team.objects.get_or_create(organisation=organisation, name=name)[0] for name in DEMO_TEAMS}
    users: dict[str, User] = {}
    for username, first, last, roles, team_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@tobira.example",
                "organisation": organisation,
            },
        )
        user.team = teams[team_name] if team_name else None
        # Administrators reach the Django admin through their group's permissions, not as
        # superusers: the admin must never be a way around the rules.
        user.is_staff = Role.ADMINISTRATOR in roles
        if created:
            user.set_password(DEMO_PASSWORD)
        user.save()
        user_set_roles(user=user, roles=[role.value for role in roles])
        users[username] = user
    for team_name, supervisors in DEMO_TEAMS.items():
        teams[team_name].supervisors.add(*(users[name] for name in supervisors))
    return teams, users


def find_demo_person(organisation: Organisation, person: Person) -> Applicant | None:
    """The marker of a demo person: exact name, date of birth and nationality."""
    return Applicant.objects.filter(
        organisation=organisation,
        family_name=person.family_name,
        given_name=person.given_name,
        date_of_birth=person.born,
        nationality=person.nationality,
    ).first()


def _card_number(rng: random.Random) -> str:
    letters = "".join(rng.choice(CARD_LETTERS) for _ in range(4))
    return f"{letters[:2]}{rng.randint(0, 99_999_999):08d}{letters[2:]}"


def _chain_spans(chain: Chain, today: date) -> list[tuple[str, date, date]]:
    """(kind, start, end) of each period, oldest first, ending `ends_in` days from today."""
    end = today + timedelta(days=chain.ends_in)
    spans = []
    for kind, months in reversed(chain.links):
        start = rules.add_months(end + timedelta(days=1), -months)
        spans.append((kind, start, end))
        end = start - timedelta(days=1)
    return list(reversed(spans))


class DemoCaseload:
    """Writes one demo person's case through the services, counting what it creates."""

    def __init__(self, *, organisation: Organisation, teams: dict[str, Team], users: dict[str, User]):
        self.organisation = organisation
        self.teams = teams
        self.users = users
        self.today = timezone.localdate()
        self.counts: Counter[str] = Counter()
        self.people: dict[str, Applicant] = {}

    def add(self, person: Person) -> None:
        existing = find_demo_person(self.organisation, person)
        if existing is not None:
            self.people[person.key] = existing
            self.counts["existing"] += 1
            return
        rng = random.Random(f"{DEMO_SEED}:{person.key}")
        by = self.users[person.caseworker] if person.caseworker else self.users["supervisor"]
        applicant = self.register(person, by=by, rng=rng)
        self.people[person.key] = applicant
        self.counts["applicants"] += 1
        if person.chain:
            self.periods(person.chain, by=by, applicant=applicant, rng=rng)
        if person.change:
            start = self.today - timedelta(days=person.change.started_days_ago)
            services.legal_period_record(
                by=by,
                applicant=applicant,
                data={
                    "status_kind": person.change.kind,
                    "start_date": start,
                    "end_date": rules.add_months(start, person.change.months) - timedelta(days=1),
                    "card_expiry_date": rules.add_months(start, person.change.months) - timedelta(days=1),
                    "note": "Change of status after recognition.",
                },
                card_number=_card_number(rng),
                end_current=True,
            )
            self.counts["periods"] += 1
        if person.work:
            self.work(person, by=by, applicant=applicant)
        for report in person.reports:
            services.reporting_obligation_record(
                by=by,
                applicant=applicant,
                data={
                    "kind": report.kind,
                    "next_report_date": self.today + timedelta(days=report.next_in),
                    "place": report.place,
                    "supervisor_name": report.supervisor,
                    "last_reported_on": (
                        self.today - timedelta(days=report.last_days_ago)
                        if report.last_days_ago is not None
                        else None
                    ),
                },
            )
            self.counts["reporting obligations"] += 1
        for procedure in person.procedures:
            self.procedure(procedure, by=by, applicant=applicant)
        for relative in person.household:
            services.household_member_add(
                by=by,
                applicant=applicant,
                data={
                    "name": relative.name,
                    "relation": relative.relation,
                    "birth_year": relative.birth_year,
                    "schooling": relative.schooling,
                    "linked_applicant": self.people.get(relative.link) if relative.link else None,
                },
            )
            self.counts["household members"] += 1

    def register(self, person: Person, *, by: User, rng: random.Random) -> Applicant:
        data = {
            "family_name": person.family_name,
            "given_name": person.given_name,
            "name_native": person.name_native,
            "name_katakana": person.name_katakana,
            "date_of_birth": person.born,
            "birth_date_precision": person.precision,
            "gender": person.gender,
            "nationality": person.nationality,
            "languages": [{"language": name, "level": level} for name, level in person.languages],
            "phone": f"080-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
            "prefecture": person.prefecture,
            "city": person.city,
            "education": person.education,
            "work_history": person.work_history,
            "skills": list(person.skills),
            "intake_date": self.today - timedelta(days=person.intake_days_ago),
            "case_stage": person.stage,
        }
        if person.caseworker:
            return services.applicant_register(by=by, data=data, aliases=list(person.aliases))
        return services.applicant_register(
            by=by, data=data, aliases=list(person.aliases), team=self.teams[person.team], caseworker=None
        )

    def periods(self, chain: Chain, *, by: User, applicant: Applicant, rng: random.Random) -> None:
        spans = _chain_spans(chain, self.today)
        for index, (kind, start, end) in enumerate(spans):
            rule = rules.status_kind(kind)
            data: dict[str, object] = {
                "status_kind": kind,
                "start_date": start,
                "end_date": end,
                "card_expiry_date": end if rule.is_status_of_residence else None,
                "designation_wording": chain.wording if kind.startswith("da_") else "",
            }
            is_current = index == len(spans) - 1
            renewed_as_same = not is_current and spans[index + 1][0] == kind
            if renewed_as_same and rule.special_period_applies:
                filed = max(start, end - timedelta(days=20))
                data |= {
                    "renewal_filed_on": filed,
                    "renewal_decision": RenewalDecision.GRANTED,
                    "renewal_decided_on": max(filed, end - timedelta(days=5)),
                }
            if is_current and chain.renewal_filed_days_ago is not None:
                data["renewal_filed_on"] = self.today - timedelta(days=chain.renewal_filed_days_ago)
            services.legal_period_record(
                by=by,
                applicant=applicant,
                data=data,
                card_number=_card_number(rng) if rule.is_status_of_residence else None,
            )
            self.counts["periods"] += 1

    def work(self, person: Person, *, by: User, applicant: Applicant) -> None:
        assert person.work is not None
        current = LegalStatusPeriod.objects.filter(applicant=applicant).order_by("-start_date").first()
        assert current is not None, f"{person.key}: a work permission needs a current period"
        hours = person.work.hours_per_week
        services.work_permission_record(
            by=by,
            applicant=applicant,
            data={
                "basis": person.work.basis,
                "scope": "hours" if hours else "full",
                "hours_per_week": hours,
                "start_date": current.start_date,
                "end_date": current.end_date,
                "note": person.work.note,
            },
        )
        self.counts["work permissions"] += 1
        # The caseworker saw the card and the designation paper when recording the permission: what a
        # share packet states as "right to work checked by the organisation on DATE".
        services.right_to_work_check_record(
            by=by,
            applicant=applicant,
            data={
                "checked_on": min(self.today, max(current.start_date, self.today - timedelta(days=14))),
                "saw_residence_card": True,
                "saw_designation_paper": True,
            },
        )
        self.counts["right-to-work checks"] += 1

    def procedure(self, spec, *, by: User, applicant: Applicant) -> RefugeeProcedure:
        procedure = services.procedure_record(
            by=by,
            applicant=applicant,
            data={
                "ordinal": spec.ordinal,
                "applied_on": self.today - timedelta(days=spec.applied_days_ago),
                "grounds_submitted": spec.grounds,
                "note": spec.note,
            },
        )
        self.counts["procedures"] += 1
        for event in sorted(spec.events, key=lambda event: -event.days_ago):
            services.procedure_event_record(
                by=by,
                procedure=procedure,
                data={
                    "kind": event.kind,
                    "date": self.today - timedelta(days=event.days_ago),
                    "triage_category": event.triage,
                    "outcome": event.outcome,
                    "note": event.note,
                },
            )
            self.counts["procedure events"] += 1
        return procedure


# --- Consents and sensitive information (issue 4) ---------------------------------------------------------

# Mild, respectful stand-ins: enough to show the section, nothing anyone would write about a real person.
DEMO_SENSITIVE = {
    "suriya": {
        "persecution": "Left Sri Lanka after threats connected with his work for a local newspaper. The "
        "details are in the written statement filed with his application; he prefers not to repeat "
        "them in interviews.",
        "health": "Sleeps badly since arriving; sees a counsellor every two weeks and prefers morning "
        "appointments.",
    },
    "mehmet": {
        "detention": "Spent four months in an immigration detention centre; on provisional release since "
        "then and reports every month. No criminal procedure.",
    },
    "kavitha": {
        "health": "Mild asthma, well controlled with an inhaler. Jobs with dust or strong fumes are best "
        "avoided.",
    },
}
# Gave the sensitive-information consent, then withdrew it: the page offers to erase what is stored.
DEMO_SENSITIVE_REVOKED = {
    "ahmad": {
        "persecution": "Left because of threats related to his former employment; he asked that this "
        "summary stay short.",
    },
}
DEMO_RESEARCH_EXPIRED = {"nimal"}
DEMO_SHARE = {
    "tharindu": ("Sakura Foods Co., Ltd.", ["languages", "skills", "japanese_level", "may_work_until"])
}
# Not every file is complete: these people have no consent recorded yet.
DEMO_WITHOUT_CONSENT = {"mai", "hung", "joseph", "grace"}


def demo_consents(*, people: dict[str, Applicant], supervisor: User, today: date) -> Counter[str]:
    """Consents for most demo people and sensitive information for a few, through the services.

    Idempotent: a person who has any consent already is left as they are.
    """
    counts: Counter[str] = Counter()
    with_consent = set(
        Consent.objects.filter(applicant__in=people.values()).values_list("applicant_id", flat=True)
    )
    for key, applicant in people.items():
        if key in DEMO_WITHOUT_CONSENT or applicant.pk in with_consent:
            continue
        by = applicant.caseworker or supervisor
        intake = min(applicant.intake_date, today)
        consents: list[tuple[str, dict[str, object]]] = [
            (ConsentPurpose.CASE_MANAGEMENT, {"scope": list(FieldGroup.values), "note": "Signed at intake."})
        ]
        if key in DEMO_RESEARCH_EXPIRED:
            consents.append(
                (
                    ConsentPurpose.RESEARCH,
                    {
                        "granted_on": min(intake, today - timedelta(days=400)),
                        "expires_on": today - timedelta(days=20),
                        "scope": ["nationality", "languages", "japanese_level"],
                    },
                )
            )
        if key in DEMO_SHARE:
            employer, scope = DEMO_SHARE[key]
            consents.append(
                (
                    ConsentPurpose.SHARE_WITH_EMPLOYER,
                    {
                        "granted_on": max(intake, today - timedelta(days=10)),
                        "expires_on": today + timedelta(days=180),
                        "employer_name": employer,
                        "scope": scope,
                    },
                )
            )
        for purpose, data in consents:
            services.consent_record(
                by=by, applicant=applicant, data={"purpose": purpose, "granted_on": intake, **data}
            )
            counts["consents"] += 1
        texts = DEMO_SENSITIVE.get(key) or DEMO_SENSITIVE_REVOKED.get(key)
        if texts:
            consent = services.consent_record(
                by=by,
                applicant=applicant,
                data={
                    "purpose": ConsentPurpose.SENSITIVE_INFORMATION,
                    "granted_on": intake,
                    "expires_on": rules.add_months(today, 24),
                },
            )
            counts["consents"] += 1
            for category, text in texts.items():
                services.sensitive_record_save(by=by, applicant=applicant, category=category, text=text)
                counts["sensitive records"] += 1
            if key in DEMO_SENSITIVE_REVOKED:
                services.consent_revoke(by=by, consent=consent, revoked_on=today)
    return counts


class Command(BaseCommand):
    help = (
        "Create the demo accounts (one per role) and a demo caseload of about 40 people. Safe to run again."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        organisation = Organisation.objects.get(pk=default_organisation_id())
        teams, users = demo_accounts(organisation)
        # Fresh objects: roles are cached per instance and were just set.
        users = {name: User.objects.get(pk=user.pk) for name, user in users.items()}
        caseload = DemoCaseload(organisation=organisation, teams=teams, users=users)
        for person in PEOPLE:
            caseload.add(person)
        records = add_demo_records(people=caseload.people, users=users)
        failed_emails = add_demo_failed_email(users=users)
        consents = demo_consents(people=caseload.people, supervisor=users["supervisor"], today=caseload.today)
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts ready: {', '.join(users)} (password {DEMO_PASSWORD})")
        )
        counts = caseload.counts
        details = ", ".join(
            f"{counts[name]} {name}"
            for name in (
                "periods",
                "work permissions",
                "reporting obligations",
                "procedures",
                "procedure events",
                "household members",
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo caseload: {counts['applicants']} people added, {counts['existing']} already there"
                + (f" ({details})." if counts["applicants"] else ".")
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo consents: {consents['consents']} consents and {consents['sensitive records']} "
                "sensitive records added."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo records: {records['notes']} notes, {records['tasks']} tasks and "
                f"{records['documents']} documents added."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(f"Demo outbox: {failed_emails} failed e-mail added (for the homes).")
        )

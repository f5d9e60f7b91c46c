"""Demo employers, openings, referrals at every stage, placements and follow-ups for seed_demo_jobs.

Built on seed_demo's people and accounts (jobs → casework, never the other way), through jobs.services
and casework's services, so the demo's history (stage changes, audit) looks like real use. Where a
service refuses what the demo needs (a placement that started months ago: a hire is confirmed on or
after the offer day), the placement is confirmed today through the service and its dates are then moved
back, follow-ups with it. Idempotent: an employer is recognised by its name, an opening by its employer
and title, a referral by its person and opening, a consent by its person and employer reference.

Portal users (issue 16): seed_demo's `employer` is the administrator member of Arakawa Construction
(active, with shared candidates), and `employer2` (made here, the demo password) the administrator of
Kibou Care Home. Recognised by their memberships; a membership elsewhere is moved back.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from casework.management.commands.seed_demo import DEMO_PASSWORD, find_demo_person
from casework.management.demo_people import PEOPLE
from casework.models import Applicant, CaseStage, Consent, ConsentPurpose, Organisation, User
from casework.roles import Role
from casework.rules import add_months
from casework.services import applicant_update, consent_record, user_set_roles
from jobs import rules
from jobs.management.demo_catalogue import (
    AVAILABILITY,
    BROAD_CONSENT_PEOPLE,
    BROAD_SCOPE,
    EMPLOYERS,
    FILL_DAYS,
    FILL_DAYS_OTHERWISE,
    INTERVIEW_PLACE,
    NARROW_SCOPE,
    OPENINGS,
    PAST_OPENINGS,
    PLACEMENTS,
    REFERRALS,
)
from jobs.models import (
    Employer,
    EmployerMembership,
    FollowUp,
    Interview,
    JobOpening,
    MembershipRole,
    Placement,
    Referral,
    Stage,
)
from jobs.services import employers as employer_services
from jobs.services import messages as message_services
from jobs.services import openings as opening_services
from jobs.services import placements as placement_services
from jobs.services import referrals as referral_services


class DemoJobs:
    def __init__(self, *, organisation: Organisation):
        self.organisation = organisation
        self.today = timezone.localdate()
        self.counts: Counter[str] = Counter()
        users = {u.username: u for u in User.objects.filter(username__in=["admin", "supervisor"])}
        if len(users) < 2:
            raise CommandError("Run seed_demo first: the demo accounts are missing.")
        self.admin, self.supervisor = users["admin"], users["supervisor"]
        self.people: dict[str, Applicant] = {}
        for person in PEOPLE:
            applicant = find_demo_person(organisation, person)
            if applicant is None:
                raise CommandError("Run seed_demo first: the demo people are missing.")
            self.people[person.key] = applicant
        self.employers: dict[str, Employer] = {}
        self.openings: dict[str, JobOpening] = {}

    def by_for(self, applicant: Applicant) -> User:
        return applicant.caseworker or self.supervisor

    def run(self) -> Counter[str]:
        self.add_employers()
        self.add_openings()
        self.add_availability()
        for key, title, stages, reason in REFERRALS:
            self.add_referral(key, title, stages, reason)
        for key, title, days_ago, follow_ups in PLACEMENTS:
            self.add_placement(key, title, days_ago, follow_ups)
        self.date_openings()
        self.add_portal_users()
        self.add_messages()
        return self.counts

    def add_messages(self) -> None:
        """A message thread on Mehmet's interview at Arakawa Construction: the employer asks, the
        caseworker answers (the portal's Messages card and the referral's history)."""
        referral = Referral.objects.filter(
            applicant=self.people["mehmet"], opening__title="Interior construction worker"
        ).first()
        if referral is None or referral.messages.exists():
            return
        employer_user = User.objects.get(username="employer")
        message_services.referral_message_post(
            by=employer_user,
            referral=referral,
            body="Could Mehmet bring safety boots to the interview? We will lend a helmet.",
        )
        message_services.referral_message_post(
            by=self.by_for(referral.applicant),
            referral=referral,
            body="Yes, he has boots. A volunteer interpreter (Turkish) will come with him.",
        )
        self.counts["messages"] += 2

    # The demo's portal users: username, first and last name, the employer they administer.
    PORTAL_USERS = (
        ("employer", "Emi", "Yamada", "Arakawa Construction"),
        ("employer2", "Takeshi", "Mori", "Kibou Care Home"),
    )

    def add_portal_users(self) -> None:
        for username, first, last, employer_name in self.PORTAL_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@tobira.example",
                    "organisation": self.organisation,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            if not user.has_role(Role.EMPLOYER):
                user_set_roles(user=user, roles=[Role.EMPLOYER])
            _membership, made = EmployerMembership.objects.update_or_create(
                user=user,
                defaults={
                    "employer": self.employers[employer_name],
                    "role": MembershipRole.ADMIN,
                    "invited_by": self.supervisor,
                },
            )
            self.counts["portal users"] += int(made)

    def add_employers(self) -> None:
        existing = {e.name: e for e in Employer.objects.filter(organisation=self.organisation)}
        for name, kana, industry, prefecture, size, status, address, contacts in EMPLOYERS:
            if name in existing:
                self.employers[name] = existing[name]
                continue
            employer = employer_services.employer_create(
                by=self.supervisor,
                data={
                    "name": name,
                    "name_kana": kana,
                    "industry": industry,
                    "prefecture": prefecture,
                    "size_band": size,
                    "partnership_status": status,
                    "address": address,
                },
            )
            for index, (person, role, email, phone) in enumerate(contacts):
                employer_services.employer_contact_save(
                    by=self.supervisor,
                    employer=employer,
                    data={
                        "name": person,
                        "role": role,
                        "email": email,
                        "phone": phone,
                        "is_primary": index == 0,
                    },
                )
                self.counts["contacts"] += 1
            self.employers[name] = employer
            self.counts["employers"] += 1

    def add_openings(self) -> None:
        existing = {
            (o.employer.name, o.title): o
            for o in JobOpening.objects.filter(employer__in=self.employers.values()).select_related(
                "employer"
            )
        }
        for spec in OPENINGS:
            found = existing.get((spec.employer, spec.title))
            if found is None:
                found = opening_services.opening_create(
                    by=self.supervisor,
                    employer=self.employers[spec.employer],
                    data={
                        "title": spec.title,
                        "description": f"{spec.title} at {spec.employer}.",
                        "prefecture": spec.prefecture,
                        "hours_per_week": str(spec.hours),
                        "daily_hours": str(spec.daily),
                        "shift_pattern": spec.shift,
                        "wage": spec.wage,
                        "wage_unit": spec.wage_unit,
                        "contract_type": spec.contract,
                        "start_date": self.today + timedelta(days=spec.start_in),
                        "probation_months": spec.probation,
                        "required_level": spec.level,
                        "required_skills": list(spec.skills),
                        "places": spec.places,
                        # A closed opening was open first.
                        "status": "open" if spec.status == "closed" else spec.status,
                    },
                )
                if spec.status == "closed":
                    found = opening_services.opening_update(
                        by=self.supervisor,
                        opening=found,
                        data={
                            "status": "closed",
                            "status_note": "The employer paused hiring for the winter.",
                        },
                    )
                self.counts["openings"] += 1
            self.openings[spec.title] = found

    def add_availability(self) -> None:
        for key, (days, hours, weekdays, shifts, prefectures) in AVAILABILITY.items():
            applicant = Applicant.objects.get(pk=self.people[key].pk)
            if applicant.available_from is not None or applicant.commute_prefectures:
                continue
            applicant_update(
                by=self.by_for(applicant),
                applicant=applicant,
                data={
                    "available_from": self.today + timedelta(days=days),
                    "hours_per_week_wanted": hours,
                    "available_days": weekdays,
                    "available_shifts": shifts,
                    "commute_prefectures": prefectures,
                },
                expected_version=applicant.version,
            )
            self.counts["availability"] += 1

    def share_consent(self, key: str, employer: Employer, by: User) -> None:
        applicant = self.people[key]
        ref = rules.employer_ref(employer.pk)
        if Consent.objects.filter(applicant=applicant, employer_ref=ref, revoked_on__isnull=True).exists():
            return
        consent_record(
            by=by,
            applicant=applicant,
            data={
                "purpose": ConsentPurpose.SHARE_WITH_EMPLOYER,
                "employer_name": employer.name,
                "employer_ref": ref,
                "scope": list(BROAD_SCOPE if key in BROAD_CONSENT_PEOPLE else NARROW_SCOPE),
                "granted_on": self.today,
                "expires_on": add_months(self.today, 12),
                "note": "Signed with the caseworker before the referral.",
            },
        )
        self.counts["consents"] += 1

    def add_referral(self, key: str, title: str, stages: tuple[str, ...], reason: str) -> Referral | None:
        applicant, opening = self.people[key], self.openings[title]
        if Referral.objects.filter(applicant=applicant, opening=opening).exists():
            return None
        by = self.by_for(applicant)
        if opening.status != "open":
            return None
        referral = referral_services.referral_propose(
            by=by, applicant=applicant, opening=opening, note="Matches the opening's skills and hours."
        )
        for stage in stages:
            if stage == Stage.CONSENT_RECORDED:
                self.share_consent(key, opening.employer, by)
            data: dict[str, object] = {"stage": stage}
            if stage in (Stage.REJECTED, Stage.WITHDRAWN):
                data["reason_code"] = reason
            if stage == Stage.HIRE_REPORTED:
                data["start_date"] = opening.start_date
                data["documents_seen_on"] = min(self.today, opening.start_date)
            referral = referral_services.referral_move(by=by, referral=referral, data=data)
            if stage == Stage.INTERVIEW:
                referral_services.interview_save(
                    by=by,
                    referral=referral,
                    data={
                        "starts_at": self.moment(self.today + timedelta(days=3)),
                        "place": INTERVIEW_PLACE,
                        "interpreter_needed": key in ("serhat", "mehmet"),
                        "interpreter_language": "Turkish" if key in ("serhat", "mehmet") else "",
                    },
                )
                self.counts["interviews"] += 1
        self.counts["referrals"] += 1
        return referral

    def add_placement(self, key: str, title: str, days_ago: int, follow_ups) -> None:
        applicant, opening = self.people[key], self.openings[title]
        if Referral.objects.filter(applicant=applicant, opening=opening).exists():
            return
        stage_before = Applicant.objects.get(pk=applicant.pk).case_stage
        path = (Stage.CONSENT_RECORDED, Stage.SHARED, Stage.INTERVIEW, Stage.OFFER, Stage.HIRE_REPORTED)
        referral = self.add_referral(key, title, path, "")
        if referral is None:
            return
        by = self.by_for(applicant)
        confirmed = placement_services.placement_confirm(
            by=by, referral=referral, data={"start_date": self.today}
        )
        placement = confirmed.placement
        self.backdate(placement, self.today - timedelta(days=days_ago))
        start = self.today - timedelta(days=days_ago)
        left_on = None
        for month, outcome, leaving, *left_after in follow_ups:
            if left_after:
                left_on = start + timedelta(days=left_after[0])
            placement_services.follow_up_record(
                by=by,
                placement=placement,
                month=month,
                data={
                    "outcome": outcome,
                    "leaving_reason": leaving,
                    "reported_by": "employer",
                    "note": "Phoned the employer and the person.",
                    "left_on": left_on if outcome == "left" else None,
                },
            )
            self.counts["follow-ups recorded"] += 1
        if left_on is None and any(row[1] == "left" for row in follow_ups):
            placement.refresh_from_db()
            Placement.objects.filter(pk=placement.pk).update(ended_on=self.today - timedelta(days=5))
        if left_on is not None:
            # A past hire who has left is looking for work again: their case is where it was.
            fresh = Applicant.objects.get(pk=applicant.pk)
            if fresh.case_stage != stage_before:
                applicant_update(
                    by=by, applicant=fresh, data={"case_stage": stage_before}, expected_version=fresh.version
                )
        elif stage_before == CaseStage.FOLLOW_UP:
            fresh = Applicant.objects.get(pk=applicant.pk)
            applicant_update(
                by=by, applicant=fresh, data={"case_stage": stage_before}, expected_version=fresh.version
            )
        self.counts["placements"] += 1

    def date_openings(self) -> None:
        """An opening with a placement was entered FILL_DAYS before its first hire was confirmed (the
        Impact page's time to fill), and a past one started with its first hire. Safe to run again."""
        past = {spec.title for spec in PAST_OPENINGS}
        for title, opening in self.openings.items():
            first = opening.placements.order_by("confirmed_at", "pk").first()
            if first is None:
                continue
            days = FILL_DAYS.get(title, FILL_DAYS_OTHERWISE)
            changes: dict[str, object] = {"created_at": first.confirmed_at - timedelta(days=days)}
            if title in past:
                changes["start_date"] = first.start_date
            JobOpening.objects.filter(pk=opening.pk).update(**changes)

    def backdate(self, placement: Placement, start: date) -> None:
        """Move a placement confirmed today back to its demo start, with its follow-ups' due dates and the
        referral's stage history (a history that ends before the job started)."""
        shift = self.today - start
        probation = (
            add_months(start, placement.opening.probation_months)
            if placement.opening.probation_months
            else None
        )
        Placement.objects.filter(pk=placement.pk).update(
            start_date=start,
            probation_end=probation,
            confirmed_at=placement.confirmed_at - shift,
            # The employer confirmed the hire notification long ago: the demo shows no old notices.
        )
        for month, due in rules.follow_up_dates(start):
            FollowUp.objects.filter(placement=placement, month=month).update(due_on=due)
        for change in placement.referral.stage_changes.all():
            change.at = change.at - shift - timedelta(days=14)
            change.save(update_fields=["at"])
        Referral.objects.filter(pk=placement.referral_id).update(
            stage_changed_at=placement.confirmed_at - shift
        )
        # The interview was before the offer: three weeks before the start.
        Interview.objects.filter(referral_id=placement.referral_id).update(
            starts_at=self.moment(start - timedelta(days=21))
        )

    def moment(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(14, 0)))

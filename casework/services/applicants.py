"""Applicant services: register (with the duplicate check), update (no lost updates), reassign."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from casework import names, rules
from casework.audit import (
    log_access,
    log_access_many,
    record_bulk_change,
    record_change,
    record_creations,
    snapshot,
)
from casework.models import (
    AccessLogEntry,
    Alias,
    Applicant,
    Assignment,
    BirthDatePrecision,
    CaseStage,
    DuplicateCheck,
    HouseholdMember,
    LanguageLevel,
    ReferenceCounter,
    Shift,
    Team,
    User,
    Weekday,
    stored_codes,
)
from casework.roles import Role

# Fields a person may set on an applicant through a form or the API.
PROFILE_FIELDS = (
    "family_name",
    "given_name",
    "name_native",
    "name_katakana",
    "date_of_birth",
    "birth_date_precision",
    "gender",
    "nationality",
    "languages",
    "phone",
    "email",
    "prefecture",
    "city",
    "education",
    "work_history",
    "skills",
    "intake_date",
    "case_stage",
    # Availability (issue 15): matching filters on it; part of the share packet's base.
    "available_from",
    "hours_per_week_wanted",
    "available_days",
    "available_shifts",
    "commute_prefectures",
)
MAX_HOURS_WANTED = 80


def _clean_profile(data: dict[str, Any], *, today: date) -> dict[str, Any]:
    """Validate and normalise profile values; raise one ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    cleaned = {key: data[key] for key in PROFILE_FIELDS if key in data}

    for key in ("family_name", "given_name", "name_native", "name_katakana", "gender", "phone", "city"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if "given_name" in cleaned and not cleaned["given_name"]:
        errors.setdefault("given_name", []).append(
            _(
                "Enter the given name (for a person with one name, enter it here and leave the family name empty)."
            )
        )

    precision = cleaned.get("birth_date_precision") or BirthDatePrecision.DAY
    if precision not in BirthDatePrecision.values:
        errors.setdefault("birth_date_precision", []).append(
            _("Choose how precisely the date of birth is known.")
        )
    born = cleaned.get("date_of_birth")
    if born:
        if precision == BirthDatePrecision.YEAR:
            born = date(born.year, 1, 1)
        elif precision == BirthDatePrecision.MONTH:
            born = date(born.year, born.month, 1)
        cleaned["date_of_birth"] = born
        if born > today:
            errors.setdefault("date_of_birth", []).append(_("The date of birth cannot be in the future."))
        elif today.year - born.year > rules.MAX_AGE_YEARS:
            errors.setdefault("date_of_birth", []).append(
                _("This date of birth would make the person older than %(years)d years.")
                % {"years": rules.MAX_AGE_YEARS}
            )
    elif "date_of_birth" in cleaned:
        cleaned["birth_date_precision"] = BirthDatePrecision.UNKNOWN

    nationality = cleaned.get("nationality")
    if nationality:
        code = str(nationality).strip().upper()
        if code not in dict(countries):
            errors.setdefault("nationality", []).append(
                _("“%(code)s” is not a country code (ISO 3166, two letters such as LK or MM).")
                % {"code": nationality}
            )
        cleaned["nationality"] = code

    if "languages" in cleaned:
        languages = cleaned["languages"] or []
        valid = isinstance(languages, list) and all(
            isinstance(item, dict)
            and str(item.get("language", "")).strip()
            and item.get("level", LanguageLevel.BASIC) in LanguageLevel.values
            for item in languages
        )
        if not valid:
            errors.setdefault("languages", []).append(
                _("Give each language a name and one of the levels: native, fluent, conversational, basic.")
            )
        else:
            cleaned["languages"] = [
                {"language": str(item["language"]).strip(), "level": item.get("level") or LanguageLevel.BASIC}
                for item in languages
            ]
    if "skills" in cleaned:
        skills = cleaned["skills"] or []
        if not isinstance(skills, list) or not all(isinstance(skill, str) for skill in skills):
            errors.setdefault("skills", []).append(_("Skills must be a list of words."))
        else:
            cleaned["skills"] = sorted({skill.strip() for skill in skills if skill.strip()}, key=str.lower)

    _clean_availability(cleaned, errors, today=today)
    if "case_stage" in cleaned and cleaned["case_stage"] not in CaseStage.values:
        errors.setdefault("case_stage", []).append(_("Choose a case stage from the list."))
    intake = cleaned.get("intake_date")
    if "intake_date" in cleaned and intake is None:
        errors.setdefault("intake_date", []).append(_("Enter the intake date."))
    if intake and intake > today:
        errors.setdefault("intake_date", []).append(_("The intake date cannot be in the future."))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _refresh_keys(applicant: Applicant, alias_names: list[str]) -> None:
    applicant.search_key, applicant.name_key = names.applicant_keys(
        family_name=applicant.family_name,
        given_name=applicant.given_name,
        name_native=applicant.name_native,
        name_katakana=applicant.name_katakana,
        alias_names=alias_names,
        reference_code=applicant.reference_code,
    )


def reference_code_format(year: int, number: int) -> str:
    """A-2026-00042: the year of intake and the organisation's running number for that year."""
    return f"A-{year}-{number:05d}"


def reference_numbers_reserve(*, organisation_id: int, year: int, count: int = 1) -> int:
    """Reserve `count` consecutive reference numbers of a year; returns the first one.

    Bulk loaders (seed_bench) reserve a block here, so registrations after them never collide.
    Must run inside a transaction: the counter row stays locked until it ends.
    """
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(
        organisation_id=organisation_id, year=year
    )
    ReferenceCounter.objects.filter(pk=counter.pk).update(last=F("last") + count)
    counter.refresh_from_db(fields=["last"])
    return counter.last - count + 1


def _next_reference_code(organisation_id: int, year: int) -> str:
    number = reference_numbers_reserve(organisation_id=organisation_id, year=year)
    return reference_code_format(year, number)


def _check_assignment(*, by: User, team: Team, caseworker: User | None) -> None:
    if team.organisation_id != by.organisation_id:
        raise ValidationError({"team": _("Choose one of your organisation's teams.")})
    if caseworker is not None:
        if caseworker.organisation_id != by.organisation_id or not caseworker.has_role(Role.CASEWORKER):
            raise ValidationError({"caseworker": _("Choose a caseworker of your organisation.")})
        if caseworker.team_id != team.pk:
            raise ValidationError(
                {
                    "caseworker": _("%(name)s is not a member of the team %(team)s.")
                    % {"name": caseworker, "team": team}
                }
            )


def _registration(
    *, by: User, data: dict[str, Any], team: Team | None, caseworker: User | None, checked: set | None = None
) -> tuple[dict[str, Any], Team, User | None]:
    """A registration's cleaned profile, team and caseworker, or the ValidationError a form would show.

    `checked` (an import's) remembers the (team, caseworker) pairs already checked, so a chunk of rows
    into one team asks the database once.
    """
    if not (by.has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR) or by.is_superuser):
        raise PermissionDenied
    today = timezone.localdate()
    # given_name defaults to empty so that leaving it out gets the same message as leaving it blank.
    cleaned = _clean_profile({"intake_date": today, "given_name": "", **data}, today=today)
    if by.has_role(Role.CASEWORKER) and not by.has_role(Role.SUPERVISOR, Role.ADMINISTRATOR):
        team, caseworker = by.team, by
    if team is None:
        raise ValidationError({"team": _("Choose the team that will handle this case.")})
    pair = (team.pk, caseworker.pk if caseworker else None)
    if checked is None or pair not in checked:
        is_admin = by.has_role(Role.ADMINISTRATOR) or by.is_superuser
        if not is_admin and not team.supervisors.filter(pk=by.pk).exists() and team.pk != by.team_id:
            raise ValidationError({"team": _("You can register people only into a team you lead.")})
        _check_assignment(by=by, team=team, caseworker=caseworker)
        if checked is not None:
            checked.add(pair)
    return cleaned, team, caseworker


def applicant_register_check(
    *, by: User, data: dict[str, Any], team: Team | None = None, caseworker: User | None = None, checked=None
) -> dict[str, Any]:
    """What applicant_register would refuse, said without saving anything (an import's dry run)."""
    cleaned, _team, _caseworker = _registration(
        by=by, data=data, team=team, caseworker=caseworker, checked=checked
    )
    return cleaned


@transaction.atomic
def applicant_register(
    *,
    by: User,
    data: dict[str, Any],
    aliases: list[str] | None = None,
    team: Team | None = None,
    caseworker: User | None = None,
    duplicate_check: DuplicateCheck | None = None,
) -> Applicant:
    """Register a person. A caseworker registers into their own caseload; supervisors choose."""
    cleaned, team, caseworker = _registration(by=by, data=data, team=team, caseworker=caseworker)
    applicant = Applicant(organisation_id=by.organisation_id, team=team, caseworker=caseworker, **cleaned)
    applicant.reference_code = _next_reference_code(by.organisation_id, cleaned["intake_date"].year)
    alias_names = [alias.strip() for alias in (aliases or []) if alias.strip()]
    _refresh_keys(applicant, alias_names)
    applicant.save()
    Alias.objects.bulk_create([Alias(applicant=applicant, name=name) for name in alias_names])
    record_change(
        actor=by, instance=applicant, before=None, after={**snapshot(applicant), "aliases": alias_names}
    )
    Assignment.objects.create(
        applicant=applicant, team=team, caseworker=caseworker, assigned_by=by, reason=_("Registered")
    )
    if duplicate_check is not None:
        duplicate_check_decide(
            by=by,
            check=duplicate_check,
            decision=DuplicateCheck.Decision.NEW_PERSON
            if duplicate_check.matches.exists()
            else DuplicateCheck.Decision.NO_MATCH,
            registered=applicant,
        )
    return applicant


@transaction.atomic
def applicants_register_many(
    *, by: User, entries: list[tuple[dict[str, Any], Team | None, User | None]]
) -> list[Applicant]:
    """Register many new people at once (a chunk of an import): the same rules as applicant_register,
    the reference numbers reserved in one block per year, the people, their assignments and their
    change history written in bulk. The first refused entry raises its ValidationError (nothing saved)."""
    checked: set = set()
    prepared = [
        _registration(by=by, data=data, team=team, caseworker=caseworker, checked=checked)
        for data, team, caseworker in entries
    ]
    applicants: list[Applicant] = []
    by_year: dict[int, list[Applicant]] = {}
    for cleaned, team, caseworker in prepared:
        applicant = Applicant(organisation_id=by.organisation_id, team=team, caseworker=caseworker, **cleaned)
        applicants.append(applicant)
        by_year.setdefault(cleaned["intake_date"].year, []).append(applicant)
    for year, people in by_year.items():
        first = reference_numbers_reserve(organisation_id=by.organisation_id, year=year, count=len(people))
        for offset, applicant in enumerate(people):
            applicant.reference_code = reference_code_format(year, first + offset)
            _refresh_keys(applicant, [])
    Applicant.objects.bulk_create(applicants)
    record_creations(actor=by, instances=applicants, extra={"aliases": []})
    Assignment.objects.bulk_create(
        Assignment(
            applicant=applicant,
            team_id=applicant.team_id,
            caseworker_id=applicant.caseworker_id,
            assigned_by=by,
            reason=_("Registered"),
        )
        for applicant in applicants
    )
    return applicants


@transaction.atomic
def _codes(value: Any) -> list[str] | None:
    """A list of codes from a list or a comma-separated text; None when it is neither."""
    if value in (None, ""):
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return [item.strip() for item in value if item.strip()]
    return None


def _clean_availability(cleaned: dict[str, Any], errors: dict[str, list[str]], *, today: date) -> None:
    """Availability: a start day, hours a week wanted, days and shifts possible, prefectures to commute to
    (the days, shifts and prefectures stored as codes, see casework.models.stored_codes)."""
    if "available_from" in cleaned:
        start = cleaned["available_from"]
        if start is not None and not isinstance(start, date):
            errors.setdefault("available_from", []).append(_("Enter the day the person can start."))
        elif start is not None and start.year < today.year - 5:
            errors.setdefault("available_from", []).append(_("Enter a start day from recent years."))
    if "hours_per_week_wanted" in cleaned:
        hours = cleaned["hours_per_week_wanted"]
        if hours in ("", None):
            cleaned["hours_per_week_wanted"] = None
        elif not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= MAX_HOURS_WANTED:
            errors.setdefault("hours_per_week_wanted", []).append(
                _("Enter the hours a week wanted, from 1 to %(max)d.") % {"max": MAX_HOURS_WANTED}
            )
    for key, allowed, message in (
        ("available_days", Weekday.values, _("Choose days of the week from the list.")),
        ("available_shifts", Shift.values, _("Choose day, evening or night shifts.")),
    ):
        if key in cleaned:
            codes = _codes(cleaned[key])
            if codes is None or any(code not in allowed for code in codes):
                errors.setdefault(key, []).append(message)
            else:
                cleaned[key] = stored_codes(code for code in allowed if code in codes)
    if "commute_prefectures" in cleaned:
        names = _codes(cleaned["commute_prefectures"])
        found = [rules.prefecture_by_name(name) for name in names or []]
        if names is None or any(prefecture is None for prefecture in found):
            errors.setdefault("commute_prefectures", []).append(
                _("Choose prefectures of Japan from the list.")
            )
        else:
            chosen = {prefecture.code for prefecture in found if prefecture is not None}
            cleaned["commute_prefectures"] = stored_codes(sorted(chosen))


def applicant_update(
    *,
    by: User,
    applicant: Applicant,
    data: dict[str, Any],
    expected_version: int,
    aliases: list[str] | None = None,
) -> Applicant:
    """Change a profile. If someone saved it since `expected_version` was read, refuse: no lost update."""
    if not Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists():
        raise PermissionDenied
    cleaned = _clean_profile(data, today=timezone.localdate())
    updated = Applicant.objects.filter(pk=applicant.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if updated != 1:
        raise ValidationError(
            _(
                "Someone else saved this person's record after you opened it. Your changes were not saved: "
                "reload the page to see the current record, then make your changes again."
            ),
            code="stale",
        )
    # The history's "before" is the row as stored, not the object handed in (an admin form has
    # already put its new values on it).
    stored = Applicant.objects.get(pk=applicant.pk)
    before = {**snapshot(stored), "aliases": _alias_names(applicant.pk)}
    for key, value in cleaned.items():
        setattr(applicant, key, value)
    applicant.version = expected_version + 1
    if aliases is not None:
        alias_names = [alias.strip() for alias in aliases if alias.strip()]
        existing = {alias.name: alias for alias in applicant.aliases.all()}
        Alias.objects.filter(pk__in=[a.pk for n, a in existing.items() if n not in alias_names]).delete()
        Alias.objects.bulk_create(
            [Alias(applicant=applicant, name=n) for n in alias_names if n not in existing]
        )
    else:
        alias_names = list(applicant.aliases.values_list("name", flat=True))
    _refresh_keys(applicant, alias_names)
    applicant.save()
    record_change(
        actor=by,
        instance=applicant,
        before=before,
        after={**snapshot(applicant), "aliases": _alias_names(applicant.pk)},
    )
    return applicant


def _alias_names(applicant_id: int) -> list[str]:
    return list(Alias.objects.filter(applicant_id=applicant_id).order_by("pk").values_list("name", flat=True))


@transaction.atomic
def applicants_reassign(
    *, by: User, applicants: list[Applicant], team: Team, caseworker: User | None, reason: str = ""
) -> int:
    """Move one or many cases to a team and caseworker (supervisors of the teams, or administrators)."""
    is_admin = by.has_role(Role.ADMINISTRATOR) or by.is_superuser
    if not (is_admin or by.has_role(Role.SUPERVISOR)):
        raise PermissionDenied
    _check_assignment(by=by, team=team, caseworker=caseworker)
    if not is_admin:
        led = set(by.led_teams.values_list("pk", flat=True))
        if team.pk not in led:
            raise ValidationError({"team": _("You can move cases only into a team you lead.")})
        if any(applicant.team_id not in led for applicant in applicants):
            raise PermissionDenied
    ids = [applicant.pk for applicant in applicants]
    if not ids:
        raise ValidationError({"applicants": _("Choose at least one case.")})
    stored = {
        pk: (team_id, caseworker_id)
        for pk, team_id, caseworker_id in Applicant.objects.filter(pk__in=ids).values_list(
            "pk", "team_id", "caseworker_id"
        )
    }
    Applicant.objects.filter(pk__in=ids).update(team=team, caseworker=caseworker, version=F("version") + 1)
    # One history record per person whose team or caseworker changed, written in one query.
    new = (team.pk, caseworker.pk if caseworker is not None else None)
    field_changes: dict[str, dict[str, dict[str, int | None]]] = {}
    for pk, old in stored.items():
        changed = {
            field: {"old": before, "new": after}
            for field, before, after in zip(("team_id", "caseworker_id"), old, new, strict=True)
            if before != after
        }
        if changed:
            field_changes[str(pk)] = changed
    moved = {applicant.pk: applicant for applicant in applicants if str(applicant.pk) in field_changes}
    record_bulk_change(actor=by, instances=list(moved.values()), field_changes=field_changes)
    Assignment.objects.bulk_create(
        [
            Assignment(applicant_id=pk, team=team, caseworker=caseworker, assigned_by=by, reason=reason)
            for pk in ids
        ]
    )
    return len(ids)


@transaction.atomic
def household_member_add(*, by: User, applicant: Applicant, data: dict[str, Any]) -> HouseholdMember:
    if not Applicant.objects.editable_by(by).filter(pk=applicant.pk).exists():
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not (data.get("name") or "").strip():
        errors["name"] = _("Enter the name.")
    if not (data.get("relation") or "").strip():
        errors["relation"] = _("Enter the relation (for example spouse, child).")
    year = data.get("birth_year")
    if year and not (
        timezone.localdate().year - rules.MAX_AGE_YEARS <= int(year) <= timezone.localdate().year
    ):
        errors["birth_year"] = _("Enter a birth year that is not in the future.")
    linked = data.get("linked_applicant")
    if linked is not None and linked.organisation_id != applicant.organisation_id:
        errors["linked_applicant"] = _("Choose a person of your organisation.")
    if errors:
        raise ValidationError(errors)
    member = HouseholdMember.objects.create(
        applicant=applicant,
        name=data["name"].strip(),
        relation=data["relation"].strip(),
        birth_year=year or None,
        schooling=(data.get("schooling") or "").strip(),
        linked_applicant=linked,
    )
    record_change(actor=by, instance=member, before=None)
    return member


# --- Duplicate check ------------------------------------------------------------------------------------


@transaction.atomic
def duplicate_check_run(
    *,
    by: User,
    family_name: str = "",
    given_name: str = "",
    name_katakana: str = "",
    date_of_birth: date | None = None,
    nationality: str = "",
    card_number: str = "",
) -> DuplicateCheck:
    """Run the one sanctioned organisation-wide lookup and record that it ran and what it found."""
    # Only those who may register people may look across the organisation (not trainers, employers).
    if not (by.has_role(Role.CASEWORKER, Role.SUPERVISOR, Role.ADMINISTRATOR) or by.is_superuser):
        raise PermissionDenied
    from casework import crypto
    from casework.selectors import duplicate_candidates

    normalised_card = names.normalise_card_number(card_number)
    card_hash = crypto.lookup_hash(normalised_card) if names.is_valid_card_number(normalised_card) else ""
    matches = duplicate_candidates(
        organisation_id=by.organisation_id,
        family_name=family_name,
        given_name=given_name,
        name_katakana=name_katakana,
        birth_year=date_of_birth.year if date_of_birth else None,
        nationality=nationality,
        card_hash=card_hash,
    )
    check = DuplicateCheck.objects.create(
        organisation_id=by.organisation_id,
        checked_by=by,
        name_key=names.name_key([family_name, given_name]),
        birth_year=date_of_birth.year if date_of_birth else None,
        nationality=(nationality or "")[:2].upper(),
        card_hash=card_hash,
        decision=DuplicateCheck.Decision.PENDING,
    )
    check.matches.set([match.pk for match in matches])
    check.found = matches  # type: ignore[attr-defined]
    # The check shows people outside the user's caseload: each of them has it in their access log.
    detail = {"duplicate_check": check.pk}
    if matches:
        log_access_many(
            actor=by,
            kind=AccessLogEntry.Kind.DUPLICATE_CHECK,
            applicant_ids=[match.pk for match in matches],
            detail=detail,
        )
    else:
        log_access(actor=by, kind=AccessLogEntry.Kind.DUPLICATE_CHECK, detail={**detail, "matches": 0})
    return check


def duplicate_check_decide(
    *,
    by: User,
    check: DuplicateCheck,
    decision: str,
    chosen: Applicant | None = None,
    registered: Applicant | None = None,
) -> DuplicateCheck:
    if check.checked_by_id != by.pk:
        raise PermissionDenied
    if decision not in DuplicateCheck.Decision.values or decision == DuplicateCheck.Decision.PENDING:
        raise ValidationError({"decision": _("Choose what to do with the possible match.")})
    if chosen is not None and not check.matches.filter(pk=chosen.pk).exists():
        raise ValidationError({"chosen": _("That person was not one of the possible matches.")})
    check.decision = decision
    check.decided_at = timezone.now()
    check.chosen = chosen
    check.registered = registered
    try:
        check.save(update_fields=["decision", "decided_at", "chosen", "registered"])
    except IntegrityError as exc:  # pragma: no cover - foreign keys are checked above
        raise ValidationError(str(exc)) from exc
    return check

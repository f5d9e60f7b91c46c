"""The "applicants" importer (issue 18): people with their current legal status period and card number,
into a team; `register()` registers it and the "periods" importer (period_import.py).

Decisions (documented for the mapping page and the integrator):
- A full name (氏名) is used only when neither family nor given name has a value in the row: "Family,
  Given" splits at the comma; otherwise the first word is the family name and the rest the given name
  (spaces, full-width spaces and ・ separate words); one word is the given name (one-name people).
  The duplicate check's name key ignores the order, so a mis-split name is still found.
- A caseworker imports into their own caseload: the caseworker column may be empty or name themselves;
  another name is a row error. Supervisors and administrators: the column is matched to a caseworker of
  the target team by username or full name; empty = the team's unassigned cases.
- A period is optional per row: a row whose status and period cells are all empty is imported without
  one (and a note says so); a row with any of them needs a whole period (status, start, end or 在留期限).
- A card number already recorded for another person is an error (never confirmed in an import).
- Gender is stored as people describe it (free text, like the form): 男/男性/M/male → "male", 女/女性/F/
  female → "female", その他/other → "other", 無回答 → "prefer not to say"; anything else as written.
- A prefecture recognised by casework.rules is stored by its English name, as the form's suggestions;
  another text is kept as written, with a note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from casework import crypto, names, rules
from casework.audit import log_access_many
from casework.models import AccessLogEntry, Applicant, LegalStatusPeriod, Team, User
from casework.roles import Role
from casework.services import applicant_batches, period_import
from casework.services.applicants import applicant_register, applicant_update
from casework.services.importers import (
    CREATE,
    SKIP,
    UPDATE,
    Candidate,
    Importer,
    ParsedRow,
    Saved,
    register_importer,
)
from casework.services.legal import legal_period_record
from casework.services.period_import import (
    card_number_of,
    date_of,
    parse_period,
    present,
    propose_status,
    statuses_of,
    text_of,
)

__all__ = ["APPLICANTS", "propose_status", "register", "split_full_name"]

PROFILE_KEYS = (
    "family_name",
    "given_name",
    "name_katakana",
    "name_native",
    "date_of_birth",
    "gender",
    "nationality",
    "phone",
    "email",
    "prefecture",
    "city",
    "intake_date",
)


def _is_admin(user: User) -> bool:
    return user.has_role(Role.ADMINISTRATOR) or user.is_superuser


def may_import_applicants(user) -> bool:
    return period_import.may_import_periods(user)


def _teams_for(user: User):
    teams = Team.objects.filter(organisation_id=user.organisation_id)
    if _is_admin(user):
        return teams
    if user.has_role(Role.SUPERVISOR):
        condition = Q(supervisors=user)
        if user.has_role(Role.CASEWORKER) and user.team_id:
            condition |= Q(pk=user.team_id)
        return teams.filter(condition)
    if user.has_role(Role.CASEWORKER) and user.team_id:
        return teams.filter(pk=user.team_id)
    return teams.none()


def applicant_targets(user) -> list[tuple[str, str]]:
    """The teams a user may import people into: all (administrators), led (supervisors), their own."""
    return [(str(team.pk), team.name) for team in _teams_for(user).distinct().order_by("name", "pk")]


# --- Values -----------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return re.sub(r"[\s・･.,'()\-]+", "", unicodedata.normalize("NFKC", text or "").casefold())


_GENDERS = {
    "male": ("男", "男性", "m", "male", "man", "おとこ", "otoko"),
    "female": ("女", "女性", "f", "female", "woman", "おんな"),
    "other": ("その他", "other", "x"),
    "non-binary": ("non-binary", "nonbinary", "ノンバイナリー"),
    "prefer not to say": ("無回答", "回答しない", "prefer not to say", "未回答"),
}
_GENDER_TABLE = {_fold(spelling): code for code, spellings in _GENDERS.items() for spelling in spellings}


def gender_of(text: str) -> str:
    return _GENDER_TABLE.get(_fold(text), text)[:60] if text else ""


@lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Folded country name (English and Japanese, django_countries' own) → ISO code."""
    table: dict[str, str] = {}
    for language in ("en", "ja"):
        with translation.override(language):
            for code, name in countries:
                table.setdefault(_fold(str(name)), code)
    return table


def country_of(text: str) -> str | None:
    """An ISO 3166 code from a code (alpha-2 or alpha-3) or a country's English or Japanese name."""
    if not text:
        return ""
    if text.isascii() and len(text) in (2, 3):
        code = countries.alpha2(text.upper())
        if code:
            return code
    return _country_names().get(_fold(text)) or _country_names().get(_fold(re.sub(r"国$", "", text)))


_NAME_SEPARATORS = re.compile(r"[\s・･]+")


def split_full_name(full: str) -> tuple[str, str]:
    """(family, given) from a full name: "Family, Given"; else first word family, the rest given; one
    word → given name only."""
    full = unicodedata.normalize("NFKC", full or "").strip()
    if "," in full:
        family, given = (part.strip() for part in full.split(",", 1))
        return (family, given) if given else ("", family)
    words = [word for word in _NAME_SEPARATORS.split(full) if word]
    if len(words) <= 1:
        return "", full
    return words[0], " ".join(words[1:])


# --- prepare ----------------------------------------------------------------------------------------


@dataclass
class ApplicantContext:
    by: User
    team: Team
    statuses: dict[str, str]
    caseworkers: dict[int, User]
    by_name: dict[str, list[int]]  # folded username / full name → caseworker pks
    own_caseload: bool  # a caseworker importing: every person is theirs
    notes: dict[str, int] = field(default_factory=dict)
    checked: set = field(default_factory=set)  # (team, caseworker) pairs the registration rules passed


def applicants_prepare(
    *, by: User, target: Any = None, mapping: dict[str, Any] | None = None
) -> ApplicantContext:
    if not may_import_applicants(by):
        raise PermissionDenied
    own_caseload = by.has_role(Role.CASEWORKER) and not (by.has_role(Role.SUPERVISOR) or _is_admin(by))
    if own_caseload and target in (None, ""):
        target = by.team_id
    try:
        team = _teams_for(by).distinct().get(pk=int(str(target)))
    except (TypeError, ValueError, Team.DoesNotExist):
        raise ValidationError({"target": _("Choose a team you may import people into.")}) from None
    caseworkers = {
        user.pk: user
        for user in User.objects.filter(
            organisation_id=by.organisation_id, team=team, is_active=True, groups__name=Role.CASEWORKER
        ).distinct()
    }
    if own_caseload:
        caseworkers = {by.pk: by}
    by_name: dict[str, list[int]] = {}
    for user in caseworkers.values():
        forms = {user.username, user.get_full_name(), f"{user.last_name} {user.first_name}"}
        for form in forms:
            if _fold(form):
                pks = by_name.setdefault(_fold(form), [])
                if user.pk not in pks:
                    pks.append(user.pk)
    return ApplicantContext(
        by=by,
        team=team,
        statuses=statuses_of(mapping),
        caseworkers=caseworkers,
        by_name=by_name,
        own_caseload=own_caseload,
    )


# --- parse ------------------------------------------------------------------------------------------


def _profile(context: ApplicantContext, row: ParsedRow) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    family, given = text_of(row, "family_name"), text_of(row, "given_name")
    if not (family or given) and present(row, "full_name"):
        family, given = split_full_name(text_of(row, "full_name"))
    if family and not given:
        family, given = "", family  # one name: the service keeps it as the given name
    if not given:
        row.error(
            "given_name" if "given_name" in row.values or "full_name" not in row.values else "full_name",
            _("Enter the person's name."),
        )
    profile["family_name"], profile["given_name"] = family, given
    for key in ("name_katakana", "name_native", "phone", "city"):
        if present(row, key):
            profile[key] = text_of(row, key)
    for key in ("date_of_birth", "intake_date"):
        day = date_of(row, key)
        if day is not None:
            profile[key] = day
    if present(row, "gender"):
        profile["gender"] = gender_of(text_of(row, "gender"))
    if present(row, "nationality"):
        code = country_of(text_of(row, "nationality"))
        if code:
            profile["nationality"] = code
        else:
            row.error(
                "nationality",
                _("“%(text)s” is not a country Tobira knows: write its ISO code (such as LK) or its name.")
                % {"text": text_of(row, "nationality")},
            )
    if present(row, "email"):
        try:
            validate_email(text_of(row, "email"))
            profile["email"] = text_of(row, "email")
        except ValidationError:
            row.error("email", _("This is not an e-mail address."))
    if present(row, "prefecture"):
        prefecture = rules.prefecture_by_name(text_of(row, "prefecture"))
        profile["prefecture"] = prefecture.label_en if prefecture else text_of(row, "prefecture")[:20]
        if prefecture is None:
            row.notes.append(
                _("The prefecture “%(text)s” is not one Tobira knows: kept as written.")
                % {"text": text_of(row, "prefecture")}
            )
    return profile


def _caseworker(context: ApplicantContext, row: ParsedRow) -> int | None:
    if context.own_caseload:
        name = text_of(row, "caseworker")
        if name and context.by_name.get(_fold(name)) != [context.by.pk]:
            row.error(
                "caseworker",
                _(
                    "You import into your own caseload: leave the caseworker empty or give your own name, not “%(name)s”."
                )
                % {"name": name},
            )
        return context.by.pk
    if not present(row, "caseworker"):
        return None
    name = text_of(row, "caseworker")
    found = context.by_name.get(_fold(name), [])
    if len(found) == 1:
        return found[0]
    if found:
        row.error(
            "caseworker",
            _("Several caseworkers of the team are called “%(name)s”: give the username.") % {"name": name},
        )
    else:
        row.error(
            "caseworker",
            _("“%(name)s” is not a caseworker of the team %(team)s.")
            % {"name": name, "team": context.team.name},
        )
    return None


def applicants_parse(*, context: ApplicantContext, row: ParsedRow) -> None:
    profile = _profile(context, row)
    caseworker = _caseworker(context, row)
    card = card_number_of(row)
    period = None
    if any(present(row, key) for key in period_import.PERIOD_KEYS):
        period = parse_period(row, context.statuses)
    elif any(key in row.values for key in period_import.PERIOD_KEYS):
        row.notes.append(_("No status in this row: the person is imported without a period of stay."))
    row.data = {"profile": profile, "caseworker": caseworker, "period": period, "card_number": card}
    if row.errors:
        return
    key = names.name_key([profile["family_name"], profile["given_name"]])
    if card:
        row.key = ("card", card)
    elif key and profile.get("date_of_birth"):
        row.key = ("name", key, profile["date_of_birth"])
    elif key:
        row.key = ("name", key, None)


# --- find_duplicates --------------------------------------------------------------------------------


def _candidate_label(applicant: Applicant) -> str:
    parts = [applicant.reference_code, applicant.display_name]
    if applicant.birth_year:
        parts.append(str(applicant.birth_year))
    if applicant.caseworker_id:
        parts.append(str(applicant.caseworker))
    return " · ".join(parts)


def applicants_find_duplicates(*, context: ApplicantContext, rows: list[ParsedRow]) -> None:
    """The duplicate check's rules for a chunk in at most 3 queries: the same card number anywhere in the
    organisation, or the same name key and birth year (and nationality when both are known). Each person
    shown is written to the access log once (kind duplicate check), as the registration's check does."""
    organisation_id = context.by.organisation_id
    hashes = {
        id(row): crypto.lookup_hash(row.data["card_number"]) for row in rows if row.data.get("card_number")
    }
    by_card: dict[str, set[int]] = {}
    if hashes:
        for digest, applicant_id in LegalStatusPeriod.objects.filter(
            applicant__organisation_id=organisation_id, card_number_hash__in=set(hashes.values())
        ).values_list("card_number_hash", "applicant_id"):
            by_card.setdefault(digest, set()).add(applicant_id)
    wanted: dict[int, ParsedRow] = {}
    name_keys = {}
    for row in rows:
        profile = row.data.get("profile") or {}
        born = profile.get("date_of_birth")
        key = names.name_key([profile.get("family_name"), profile.get("given_name")])
        if born and key:
            name_keys[id(row)] = (key, born.year)
    condition = Q(pk__in={pk for pks in by_card.values() for pk in pks})
    if name_keys:
        condition |= Q(
            name_key__in={key for key, _year in name_keys.values()},
            date_of_birth__year__in={year for _key, year in name_keys.values()},
        )
    if not by_card and not name_keys:
        return
    found = list(
        Applicant.objects.filter(condition, organisation_id=organisation_id)
        .select_related("caseworker")
        .only(
            "pk",
            "reference_code",
            "family_name",
            "given_name",
            "date_of_birth",
            "nationality",
            "name_key",
            "caseworker__username",
            "caseworker__first_name",
            "caseworker__last_name",
        )
        .order_by("reference_code")
    )
    shown: dict[int, None] = {}
    for row in rows:
        nationality = (row.data.get("profile") or {}).get("nationality") or ""
        matched = by_card.get(hashes.get(id(row), ""), set())
        wanted_name = name_keys.get(id(row))
        for applicant in found:
            same_name = (
                wanted_name is not None
                and applicant.name_key == wanted_name[0]
                and applicant.birth_year == wanted_name[1]
                and not (nationality and applicant.nationality and str(applicant.nationality) != nationality)
            )
            if applicant.pk in matched or same_name:
                row.candidates.append(Candidate(pk=applicant.pk, label=_candidate_label(applicant)))
                shown[applicant.pk] = None
                wanted[applicant.pk] = row
    if shown:
        log_access_many(
            actor=context.by,
            kind=AccessLogEntry.Kind.DUPLICATE_CHECK,
            applicant_ids=list(shown),
            detail={"import": "applicants", "rows": sorted({row.number for row in wanted.values()})},
        )


# --- save -------------------------------------------------------------------------------------------


def _record_period(by: User, applicant: Applicant, row: ParsedRow) -> LegalStatusPeriod | None:
    period = row.data.get("period")
    if not period:
        return None
    return legal_period_record(
        by=by,
        applicant=applicant,
        data=dict(period),
        card_number=row.data.get("card_number"),
        confirm_card_conflict=False,
        from_import=True,
    )


def applicants_save(
    *, by: User, context: ApplicantContext, row: ParsedRow, decision: str, candidate: Any = None
) -> Saved:
    profile = dict(row.data["profile"])
    if decision == UPDATE and candidate is not None:
        applicant = Applicant.objects.editable_by(by).filter(pk=candidate.pk).first()
        if applicant is None:
            raise ValidationError(
                _("You may not change %(person)s: skip this row or create a new person.")
                % {"person": candidate.label.split(" · ")[0]}
            )
        changes = {
            key: value
            for key, value in profile.items()
            if value not in (None, "")
            and getattr(applicant, key) != value
            and not (key == "nationality" and str(applicant.nationality) == value)
        }
        saved = Saved()
        if changes:
            before = {key: getattr(applicant, key) for key in changes}
            if "nationality" in before:
                before["nationality"] = str(before["nationality"])
            applicant_update(by=by, applicant=applicant, data=changes, expected_version=applicant.version)
            saved.updated.append((applicant, before))
        period = row.data.get("period")
        if (
            period
            and not applicant.periods.filter(
                status_kind=period["status_kind"], start_date=period["start_date"]
            ).exists()
        ):
            recorded = _record_period(by, applicant, row)
            if recorded is not None:
                saved.created.append(recorded)
        return saved
    caseworker = context.caseworkers.get(row.data["caseworker"]) if row.data.get("caseworker") else None
    applicant = applicant_register(by=by, data=profile, team=context.team, caseworker=caseworker)
    saved = Saved(created=[applicant])
    period = _record_period(by, applicant, row)
    if period is not None:
        saved.created.append(period)
    return saved


# --- The importer -----------------------------------------------------------------------------------

_f = period_import._field

APPLICANT_FIELD_MAP = {
    **{key: key for key in PROFILE_KEYS},
    "birth_date_precision": "date_of_birth",
    "caseworker": "caseworker",
    **period_import.PERIOD_FIELD_MAP,
}

APPLICANTS = Importer(
    kind="applicants",
    label=gettext_lazy("Applicants"),
    description=gettext_lazy(
        "People with their current period of stay and residence card number, into one team."
    ),
    fields=(
        _f("family_name", gettext_lazy("Family name"), "姓", "氏", "Family name", "Surname", "Last name"),
        _f("given_name", gettext_lazy("Given name"), "名", "Given name", "First name", "Forename"),
        _f(
            "full_name",
            gettext_lazy("Full name"),
            "氏名",
            "名前",
            "Name",
            "Full name",
            help=gettext_lazy(
                "Used when no family or given name is given: “Family, Given”, or the first word as the "
                "family name and the rest as the given name; one word is the given name."
            ),
        ),
        _f(
            "name_katakana",
            gettext_lazy("Name in katakana"),
            "フリガナ",
            "カタカナ",
            "カナ",
            "ふりがな",
            "Katakana",
            "Name in katakana",
        ),
        _f(
            "name_native",
            gettext_lazy("Name in own script"),
            "母国語表記",
            "Native name",
            "Name in native script",
            "Name in own script",
        ),
        _f(
            "date_of_birth",
            gettext_lazy("Date of birth"),
            "生年月日",
            "Date of birth",
            "DOB",
            "Birth date",
            "Birthday",
        ),
        _f("gender", gettext_lazy("Gender"), "性別", "Gender", "Sex"),
        _f("nationality", gettext_lazy("Nationality"), "国籍", "Nationality", "Country"),
        _f("phone", gettext_lazy("Phone"), "電話番号", "電話", "携帯", "Phone", "Telephone", "Tel"),
        _f("email", gettext_lazy("E-mail"), "メール", "Eメール", "メールアドレス", "Email", "E-mail"),
        _f("prefecture", gettext_lazy("Prefecture"), "都道府県", "Prefecture"),
        _f("city", gettext_lazy("City"), "市区町村", "City"),
        _f("intake_date", gettext_lazy("Intake date"), "受付日", "登録日", "相談日", "Intake date", "Intake"),
        _f("caseworker", gettext_lazy("Caseworker"), "担当者", "担当", "Caseworker"),
        period_import.STATUS_FIELD,
        period_import.START_FIELD,
        period_import.END_FIELD,
        period_import.EXPIRY_FIELD,
        period_import.CARD_FIELD,
    ),
    may_import=may_import_applicants,
    prepare=applicants_prepare,
    parse=applicants_parse,
    find_duplicates=applicants_find_duplicates,
    save=applicants_save,
    check=applicant_batches.applicants_check,
    save_new=applicant_batches.applicants_save_new,
    targets=applicant_targets,
    target_label=gettext_lazy("Team"),
    status_field="status",
    propose_status=period_import.propose_status,
    decisions=(SKIP, CREATE, UPDATE),
    field_map=APPLICANT_FIELD_MAP,
    order=10,
)


def register() -> None:
    """Casework's importers (CaseworkConfig.ready)."""
    register_importer(APPLICANTS)
    register_importer(period_import.PERIODS)

"""The "employers" importer (issue 18): an organisation's employer list, one contact person per row.

Decisions made here:
- Two employers are the same when their names' `company_key` is: NFKC, case-folded, the legal form
  left out wherever it stands (株式会社, 有限会社, 合同会社, (株), ㈱, (有) …; "Co., Ltd.", "Inc.", "K.K."
  … at the end), then spaces and punctuation left out. "株式会社 さくら食品" = "さくら食品(株)" = "ｻｸﾗ…"
  is not folded (kana are kept as written apart from NFKC). row.key is that key, so the same company
  twice in a file (a second contact person, say) is a repeated row.
- Update fills the existing employer's fields the row gives and that differ (an empty cell never clears
  one; the name stays as recorded, since it matched by its key); notes are added below the existing notes, not written over them. The row's contact is added
  unless the employer already has one with the same e-mail or the same name (then its empty fields are
  filled). The first contact of an employer becomes its main contact.
- A contact's e-mail, phone or role without the contact's name is an error (the model has no company
  phone or website: those columns are not offered).
- The prefecture: a prefecture column, or else the start of the address (東京都新宿区… → Tokyo); a
  "所在地" column mapped as the prefecture that holds a whole address gives the prefecture and, when no
  address is mapped, the address too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import rules as casework_rules
from casework.cells import Cell, header_key
from casework.models import User
from casework.names import name_key
from casework.services.importers import (
    CREATE,
    SKIP,
    UPDATE,
    Candidate,
    Importer,
    ImportField,
    ParsedRow,
    Saved,
)
from jobs.models import Employer, Industry, SizeBand
from jobs.services.base import is_jobs_staff
from jobs.services.employers import employer_contact_save, employer_create, employer_update

KIND = "employers"

EMPLOYER_KEYS = ("name", "name_kana", "industry", "prefecture", "address", "size_band", "notes")
CONTACT_KEYS = {
    "contact_name": "name",
    "contact_role": "role",
    "contact_email": "email",
    "contact_phone": "phone",
}

FIELDS = (
    ImportField(
        "name",
        gettext_lazy("Employer's name"),
        aliases=(
            "会社名",
            "企業名",
            "事業所名",
            "事業者名",
            "社名",
            "法人名",
            "Company",
            "Company name",
            "Employer",
        ),
        required=True,
    ),
    ImportField(
        "name_kana", gettext_lazy("Name in kana"), aliases=("フリガナ", "ふりがな", "会社名フリガナ", "カナ")
    ),
    ImportField(
        "industry",
        gettext_lazy("Industry"),
        aliases=("業種", "業界", "Industry"),
        help=gettext_lazy("A new employer needs one: 製造, 介護・看護, 建設, 飲食 … or the English name."),
    ),
    ImportField(
        "prefecture",
        gettext_lazy("Prefecture"),
        aliases=("都道府県", "Prefecture"),
        help=gettext_lazy(
            "A new employer needs one; without this column, the start of the address gives it."
        ),
    ),
    ImportField(
        "address", gettext_lazy("Address"), aliases=("住所", "所在地", "Address", "市区町村", "City")
    ),
    ImportField(
        "size_band",
        gettext_lazy("Size"),
        aliases=("従業員数", "規模", "社員数", "Employees", "Size"),
        help=gettext_lazy("A number of people or a band such as 10-49."),
    ),
    ImportField("notes", gettext_lazy("Notes"), aliases=("備考", "メモ", "Notes", "Remarks")),
    ImportField(
        "contact_name",
        gettext_lazy("Contact person"),
        aliases=("担当者", "担当者名", "ご担当者", "ご担当者名", "Contact", "Contact name", "Contact person"),
    ),
    ImportField(
        "contact_role",
        gettext_lazy("Contact's department or role"),
        aliases=("部署", "役職", "部署名", "所属", "Department", "Role", "Position", "Title"),
    ),
    ImportField(
        "contact_email",
        gettext_lazy("Contact's e-mail"),
        aliases=("メールアドレス", "メール", "Eメール", "E-mail", "Email", "Mail"),
    ),
    ImportField(
        "contact_phone",
        gettext_lazy("Contact's phone"),
        aliases=("電話番号", "電話", "TEL", "Phone", "担当者電話番号", "連絡先"),
    ),
)

# Legal forms left out of a company's name when comparing (after NFKC: ㈱ → (株)).
_LEGAL_FORMS = re.compile(
    r"株式会社|有限会社|合同会社|合資会社|合名会社|\((?:株|有|同|資|名)\)",
)
_ENGLISH_FORMS = re.compile(
    r"[\s,.]*(?:co\.?,?\s*ltd\.?|company\s+limited|corporation|corp\.?|inc\.?|ltd\.?|limited|k\.?\s*k\.?|g\.?\s*k\.?)$"
)
_PUNCTUATION = re.compile(r"[\s・･,，、.．\-‐－_/()（）「」『』【】&＆'\"]+")

# Words Japanese employer lists use for an industry, beside the choices' English and Japanese labels.
_INDUSTRY_WORDS = {
    Industry.FOOD_MANUFACTURING: ("食品製造業", "食料品製造業", "食品"),
    Industry.MANUFACTURING: ("製造業", "工場"),
    Industry.HOSPITALITY: ("宿泊", "宿泊業", "ホテル", "旅館"),
    Industry.RESTAURANTS: ("飲食店", "飲食業", "外食", "レストラン"),
    Industry.CARE: ("介護", "看護", "福祉", "介護福祉"),
    Industry.CONSTRUCTION: ("建設業", "建築"),
    Industry.LOGISTICS: ("物流", "運輸", "運送", "倉庫"),
    Industry.RETAIL: ("小売業", "販売"),
    Industry.CLEANING: ("清掃", "ビルメンテナンス", "ビルクリーニング"),
    Industry.AGRICULTURE: ("農業", "漁業", "農林水産"),
    Industry.IT: ("情報通信", "IT", "ソフトウェア"),
    Industry.OFFICE: ("事務",),
    Industry.OTHER: ("その他",),
}


def company_key(name: object) -> str:
    """A company's name as compared for duplicates: without its legal form, spaces and punctuation."""
    text = unicodedata.normalize("NFKC", str(name or "")).casefold().strip()
    text = _LEGAL_FORMS.sub(" ", text)
    text = _ENGLISH_FORMS.sub("", text.strip())
    return _PUNCTUATION.sub("", text)


def _industries() -> dict[str, str]:
    words: dict[str, str] = {}
    for value, label in Industry.choices:
        words[header_key(value)] = value
        words[header_key(str(label))] = value
        with translation.override("ja"):
            words[header_key(str(label))] = value
        for word in _INDUSTRY_WORDS.get(Industry(value), ()):
            words[header_key(word)] = value
    words.pop("", None)
    return words


def may_import(user) -> bool:
    """Who may create employers (employer_create's rule): caseworkers, supervisors, administrators."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and is_jobs_staff(user))


def prepare(*, by: User, target=None, mapping=None) -> dict[str, Any]:
    if not may_import(by):
        raise PermissionDenied
    return {"by": by, "industries": _industries(), "address_mapped": "address" in (mapping or {})}


def _text(row: ParsedRow, key: str) -> str:
    cell: Cell | None = row.values.get(key)
    return cell.text() if cell is not None else ""


def _prefecture_at_start(text: str) -> casework_rules.Prefecture | None:
    for prefecture in casework_rules.PREFECTURES:
        if text.startswith(prefecture.label_ja):
            return prefecture
    return None


def _size_band(text: str) -> str | None:
    if text in SizeBand.values:
        return text
    digits = re.sub(r"[,人名約]|people|以上", "", text.casefold()).strip()
    if not digits.isdigit():
        return None
    people = int(digits)
    if people < 1:
        return None
    return (
        SizeBand.MICRO
        if people < 10
        else SizeBand.SMALL
        if people < 50
        else SizeBand.MEDIUM
        if people < 300
        else SizeBand.LARGE
    )


def parse(*, context: dict[str, Any], row: ParsedRow) -> None:
    data: dict[str, Any] = {}
    name = _text(row, "name")
    if not name:
        row.error("name", _("Give the employer's name."))
    data["name"] = name
    for key in ("name_kana", "address", "notes"):
        if value := _text(row, key):
            data[key] = value
    if industry := _text(row, "industry"):
        found = context["industries"].get(header_key(industry))
        if found is None:
            row.error(
                "industry",
                _("“%(value)s” is not an industry Tobira knows: choose one from the list.")
                % {"value": industry},
            )
        else:
            data["industry"] = found
    prefecture_text = _text(row, "prefecture")
    if prefecture_text:
        prefecture = casework_rules.prefecture_by_name(prefecture_text) or _prefecture_at_start(
            prefecture_text
        )
        if prefecture is None:
            row.error("prefecture", _("Choose one of Japan's 47 prefectures."))
        else:
            data["prefecture"] = prefecture.code
            if prefecture_text not in (prefecture.label_ja, prefecture.label_en) and "address" not in data:
                data["address"] = prefecture_text  # a whole address in the prefecture column (所在地)
    elif (address := data.get("address")) and (prefecture := _prefecture_at_start(address)):
        data["prefecture"] = prefecture.code
    if size := _text(row, "size_band"):
        band = _size_band(size)
        if band is None:
            row.error(
                "size_band",
                _("Give the number of people or a size from the list (1-9, 10-49, 50-299, 300+)."),
            )
        else:
            data["size_band"] = band
    contact = {field: _text(row, key) for key, field in CONTACT_KEYS.items()}
    if any(contact.values()):
        if not contact["name"]:
            row.error("contact_name", _("A contact's e-mail, phone or role needs the contact's name."))
        else:
            data["contact"] = contact
    row.data = data
    row.key = company_key(name) or None


def find_duplicates(*, context: dict[str, Any], rows: list[ParsedRow]) -> None:
    """Employers of the organisation whose company_key is a row's: one query for the chunk."""
    by: User = context["by"]
    wanted = {row.key for row in rows if row.key}
    if not wanted:
        return
    found: dict[Hashable, list[Candidate]] = {}
    for pk, name, prefecture in Employer.objects.filter(organisation_id=by.organisation_id).values_list(
        "pk", "name", "prefecture"
    ):
        key = company_key(name)
        if key in wanted:
            place = casework_rules.PREFECTURE_BY_CODE.get(prefecture)
            label = f"{name} ({place.label})" if place else name
            found.setdefault(key, []).append(Candidate(pk=pk, label=label))
    for row in rows:
        if row.key:
            row.candidates.extend(found.get(row.key, []))


def _contact_error(error: ValidationError) -> ValidationError:
    """A contact service error named by the import's contact fields (the service says "name", "email")."""
    fields = {field: key for key, field in CONTACT_KEYS.items()}
    if hasattr(error, "error_dict"):
        return ValidationError(
            {fields.get(key, key): messages for key, messages in error.message_dict.items()}
        )
    return ValidationError({"contact_name": error.messages})


def _existing_employer(by: User, row: ParsedRow, candidate) -> Employer | None:
    pk = getattr(candidate, "pk", candidate)
    if isinstance(pk, int):
        return Employer.objects.editable_by(by).get(pk=pk)
    # A repeated row of the file: the employer its first row saved.
    for employer in Employer.objects.editable_by(by).only("pk", "name"):
        if company_key(employer.name) == row.key:
            return Employer.objects.get(pk=employer.pk)
    return None


def _save_contact(by: User, employer: Employer, contact: dict[str, str], saved: Saved) -> None:
    contacts = list(employer.contacts.all())
    email = contact["email"].casefold()
    same = next(
        (
            each
            for each in contacts
            if (email and each.email.casefold() == email)
            or name_key([each.name]) == name_key([contact["name"]])
        ),
        None,
    )
    try:
        if same is None:
            created = employer_contact_save(
                by=by, employer=employer, data={**contact, "is_primary": not contacts}
            )
            saved.created.append(created)
            return
        gaps = {field: value for field, value in contact.items() if value and not getattr(same, field)}
        if gaps:
            before = {field: getattr(same, field) for field in gaps}
            data = {field: getattr(same, field) for field in ("name", "role", "email", "phone", "is_primary")}
            saved.updated.append(
                (employer_contact_save(by=by, employer=employer, contact=same, data={**data, **gaps}), before)
            )
    except ValidationError as error:
        raise _contact_error(error) from error


def save(*, by: User, context: dict[str, Any], row: ParsedRow, decision=None, candidate=None) -> Saved:
    saved = Saved()
    if decision == SKIP:
        return saved
    fields = {key: value for key, value in row.data.items() if key in EMPLOYER_KEYS}
    contact = row.data.get("contact")
    existing = _existing_employer(by, row, candidate) if decision == UPDATE else None
    if existing is None:
        employer = employer_create(by=by, data=fields)
        saved.created.append(employer)
    else:
        employer = existing
        # The name stays as recorded: the row matched it by its company_key, not letter for letter.
        changes = {
            key: value for key, value in fields.items() if key != "name" and value != getattr(employer, key)
        }
        if "notes" in changes and employer.notes:
            if fields["notes"] in employer.notes:
                del changes["notes"]
            else:
                changes["notes"] = f"{employer.notes}\n{fields['notes']}"
        if changes:
            before = {key: getattr(employer, key) for key in changes}
            employer_update(by=by, employer=employer, data=changes)
            saved.updated.append((employer, before))
    if contact:
        _save_contact(by, employer, contact, saved)
    return saved


IMPORTER = Importer(
    kind=KIND,
    label=gettext_lazy("Employers"),
    description=gettext_lazy(
        "An employer list: one employer per row with one contact person; the same company again adds its contact."
    ),
    fields=FIELDS,
    may_import=may_import,
    prepare=prepare,
    parse=parse,
    find_duplicates=find_duplicates,
    save=save,
    decisions=(SKIP, CREATE, UPDATE),
    field_map={**{key: key for key in EMPLOYER_KEYS}, **{key: key for key in CONTACT_KEYS}},
    order=40,
)

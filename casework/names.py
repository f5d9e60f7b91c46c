"""Name normalisation for search and duplicate checks: one function used for stored keys and queries.

Every form of a name folds to the same tokens: NFKC (full-width Latin and half-width katakana to
their usual forms), lower case, Latin diacritics removed (Nguyễn → nguyen), hiragana folded to
katakana (ぐえん → グエン), long-vowel marks and separators dropped (スーリヤ → スリヤ, グエン・ヴァン).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_KANA_OFFSET = 0x60
# Separators between name parts: spaces, middle dots (・ and ･ after NFKC), commas, hyphens, slashes.
_SEPARATORS = re.compile(r"[\s・·,，、/\\\-‐－_.()（）\[\]「」'\"]+")
_LONG_VOWEL_MARKS = str.maketrans("", "", "ーｰ〜～")
CARD_NUMBER_PATTERN = re.compile(r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$")


def _fold_kana(text: str) -> str:
    return "".join(
        chr(ord(ch) + _KANA_OFFSET) if _HIRAGANA_START <= ord(ch) <= _HIRAGANA_END else ch for ch in text
    )


def _strip_diacritics(text: str) -> str:
    # Decompose, drop combining marks, recompose; kana voicing marks are kept (ガ stays ガ).
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch) and not (0x3099 <= ord(ch) <= 0x309A):
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def name_tokens(text: str | None) -> list[str]:
    """The normalised words of one name form, in order."""
    if not text:
        return []
    value = unicodedata.normalize("NFKC", text).lower()
    value = _strip_diacritics(value)
    value = value.replace("đ", "d").replace("ø", "o").replace("ß", "ss").replace("ı", "i").replace("ł", "l")
    value = _fold_kana(value).translate(_LONG_VOWEL_MARKS)
    return [token for token in _SEPARATORS.split(value) if token]


def search_key(forms: Iterable[str | None]) -> str:
    """The stored search key: every token of every form, each preceded by a space (for prefix search)."""
    seen: dict[str, None] = {}
    for form in forms:
        for token in name_tokens(form):
            seen.setdefault(token, None)
    return "".join(f" {token}" for token in seen) + " " if seen else ""


def name_key(forms: Iterable[str | None]) -> str:
    """An order-independent key of a person's main name, for duplicate comparison ("van a nguyen")."""
    tokens: list[str] = []
    for form in forms:
        tokens.extend(name_tokens(form))
    return " ".join(sorted(tokens))


def applicant_keys(
    *,
    family_name: str,
    given_name: str,
    name_native: str,
    name_katakana: str,
    alias_names: Iterable[str],
    reference_code: str,
) -> tuple[str, str]:
    """An applicant's (search_key, name_key): the services and the bulk loaders both call this."""
    forms = [family_name, given_name, name_native, name_katakana]
    return search_key([*forms, *alias_names, reference_code]), name_key([family_name, given_name])


def normalise_card_number(raw: str | None) -> str:
    """Residence card numbers: full-width to ASCII, upper case, spaces and hyphens removed."""
    if not raw:
        return ""
    value = unicodedata.normalize("NFKC", raw).upper()
    return re.sub(r"[\s\-‐－]", "", value)


def is_valid_card_number(normalised: str) -> bool:
    return bool(CARD_NUMBER_PATTERN.match(normalised))


def mask_card_number(normalised: str) -> str:
    """AB******CD: the first and last two characters, a fixed run of stars between."""
    if len(normalised) < 4:
        return "*" * 6
    return f"{normalised[:2]}******{normalised[-2:]}"

"""The fuzz test's own check: a 4xx body that names a person the role may not see fails it."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.casework.applicant_factories import build_caseload
from tests.fuzz.harness import invisible_markers, no_other_persons_data


def answer(status: int, text: str) -> SimpleNamespace:
    return SimpleNamespace(status_code=status, text=text)


@pytest.mark.django_db
def test_the_invisible_applicants_come_from_the_access_selectors(team, other_team, caseworker):
    caseload = build_caseload(team=team, other_team=other_team, caseworker=caseworker)
    markers = invisible_markers(caseworker)
    assert caseload.foreign.reference_code in markers
    assert "Person Foreign" in markers
    assert caseload.own.reference_code not in markers


def test_a_refusal_naming_a_hidden_person_fails_the_check():
    check = no_other_persons_data(["TB-0042", "Amina Yusuf"])
    with pytest.raises(AssertionError, match="another person's data"):
        check(None, answer(400, '{"applicant": ["TB-0042 already has a current period."]}'), None)
    with pytest.raises(AssertionError):
        check(None, answer(404, '{"detail": "Amina Yusuf was not found."}'), None)
    # A refusal that names no one, and a success (the role may see what it is given), pass.
    assert check(None, answer(400, '{"applicant": ["Choose a person."]}'), None) is None
    assert check(None, answer(200, '{"reference_code": "TB-0042"}'), None) is None

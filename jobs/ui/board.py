"""What the opening page shows: the pipeline board's columns and cards, the matching reasons in words."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from jobs import rules
from jobs.forms.referrals import MoveForm
from jobs.models import Referral, Stage


def reason_labels() -> dict[str, str]:
    """Each failing reason of the matching list, as the badge says it."""
    return {
        "may_work_start": _("May not work on the start date"),
        "level_ok": _("Japanese level below the required"),
        "skills_ok": _("Missing a required skill"),
        "place_ok": _("Cannot commute to the prefecture"),
        "availability_ok": _("Not available (start, hours or shifts)"),
        "referred": _("Already referred"),
    }


@dataclass
class Card:
    referral: Referral
    movable: bool
    targets: list[tuple[str, str]]
    errors: list[str] = field(default_factory=list)
    needs_consent: bool = False


@dataclass
class Column:
    stage: str
    label: str
    cards: list[Card]


def _targets(stage: str) -> list[tuple[str, str]]:
    """The stages a card may be moved to from its stage (the services still judge who and when). A hire
    is reported on the referral's page, with its start date and the day the employer saw the documents."""
    return [
        (value, str(label))
        for value, label in Stage.choices
        if value != stage
        and value not in (Stage.HIRED, Stage.HIRE_REPORTED)
        and rules.stage_move(current=stage, target=value).allowed
    ]


def board_columns(
    board: dict[str, list[Referral]], *, movable: set[int], errors: dict[int, tuple[list[str], bool]]
) -> list[Column]:
    columns = []
    for stage, label in Stage.choices:
        cards = []
        for referral in board.get(stage, []):
            card_errors, needs_consent = errors.get(referral.pk, ([], False))
            cards.append(
                Card(
                    referral=referral,
                    movable=referral.pk in movable and stage not in rules.CLOSED_STAGES,
                    targets=_targets(stage),
                    errors=[str(message) for message in card_errors],
                    needs_consent=needs_consent,
                )
            )
        columns.append(Column(stage=stage, label=str(label), cards=cards))
    return columns


def move_form(referral: Referral) -> MoveForm:
    return MoveForm(initial={"version": referral.version})

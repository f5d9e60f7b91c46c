"""The stateful runs of the API fuzz test: create, then read what was created, then change it.

Each chain is one hypothesis example in a savepoint of its own (rolled back): the body of the create
is generated from the schema, with its references (applicant, opening) pointing at objects the user
may see, and with a plausible core now and then so that chains get past the create; the read and the
update use what the create returned (reference code or id, and the version for optimistic locking).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from hypothesis import strategies as st

from tests.fuzz.harness import Tally, one_example


@dataclass
class Chain:
    """One resource: where it is created, read and updated, and how its create body is completed."""

    name: str
    create: tuple[str, str]
    read: tuple[str, str]
    update: tuple[str, str]
    key: str  # the field of the created object that goes into the path
    steps: dict[str, int] = field(default_factory=dict)


CHAINS = [
    Chain(
        "applicants",
        ("/api/v1/applicants/", "POST"),
        ("/api/v1/applicants/{reference_code}/", "GET"),
        ("/api/v1/applicants/{reference_code}/", "PATCH"),
        "reference_code",
    ),
    Chain(
        "periods",
        ("/api/v1/legal-status-periods/", "POST"),
        ("/api/v1/legal-status-periods/{id}/", "GET"),
        ("/api/v1/legal-status-periods/{id}/", "PATCH"),
        "id",
    ),
    Chain(
        "referrals",
        ("/api/v1/referrals/", "POST"),
        ("/api/v1/referrals/{id}/", "GET"),
        ("/api/v1/referrals/{id}/move/", "POST"),
        "id",
    ),
]


def references(user) -> dict[str, list[Any]]:
    """What a create body may point at: the applicants the user may change, the openings they may see."""
    from casework.models import Applicant
    from jobs.models import JobOpening

    return {
        "applicant": list(
            Applicant.objects.editable_by(user).order_by("pk").values_list("reference_code", flat=True)[:50]
        ),
        "opening": list(JobOpening.objects.visible_to(user).order_by("pk").values_list("pk", flat=True)[:50]),
    }


# The references each create body must carry, and a core that passes the service's checks.
REFERENCES = {"applicants": (), "periods": ("applicant",), "referrals": ("applicant", "opening")}
PLAUSIBLE = {
    "applicants": {"family_name": "Fuzz", "given_name": "Chain"},
    "periods": {
        "status_kind": "da_refugee_applicant",
        # After every demo period (periods of one person may not overlap), within two years from today.
        "start_date": (timezone.localdate() + timedelta(days=600)).isoformat(),
        "end_date": (timezone.localdate() + timedelta(days=700)).isoformat(),
        "end_current": True,
    },
    "referrals": {},
}
PLAUSIBLE_UPDATE = {
    "applicants": {"city": "Sendai"},
    "periods": {"note": "Checked at the immigration office."},
    "referrals": {"stage": "withdrawn", "reason_code": "commute", "reason_text": "Too far."},
}


def completed(chain: Chain, body: Any, found: dict[str, list[Any]], plausible: bool, draw) -> Any:
    if not isinstance(body, dict):
        return body
    body = dict(body)
    for name in REFERENCES[chain.name]:
        if found[name]:
            body[name] = draw(st.sampled_from(found[name]))
    if plausible:
        # Only the references and a core that passes: the generated rest may be refused as a whole.
        body = {name: body[name] for name in REFERENCES[chain.name] if name in body}
        body.update(PLAUSIBLE[chain.name])
    return body


def run_chain(chain: Chain, schema, data, *, headers, checks, tally: Tally, found) -> None:
    create_operation = schema[chain.create[0]][chain.create[1]]
    read_operation = schema[chain.read[0]][chain.read[1]]
    update_operation = schema[chain.update[0]][chain.update[1]]
    case = data.draw(create_operation.as_strategy())
    case.body = completed(chain, case.body, found, data.draw(st.booleans()), data.draw)
    with transaction.atomic():
        # The chain's steps share one savepoint: the read and the update see the create.
        created = one_example(case, headers=headers, checks=checks, tally=tally, isolated=False)
        chain.steps["create"] = chain.steps.get("create", 0) + 1
        if created is not None and created.status_code == 201:
            chain.steps["created"] = chain.steps.get("created", 0) + 1
            key = created.json()[chain.key]
            parameter = "reference_code" if chain.key == "reference_code" else "id"
            read = read_operation.Case(path_parameters={parameter: key})
            shown = one_example(read, headers=headers, checks=checks, tally=tally, isolated=False)
            if shown is not None and shown.status_code == 200:
                chain.steps["read"] = chain.steps.get("read", 0) + 1
                update = data.draw(update_operation.as_strategy(path_parameters={parameter: key}))
                if data.draw(st.booleans()):
                    update.body = dict(PLAUSIBLE_UPDATE[chain.name])
                if isinstance(update.body, dict) and "version" in shown.json():
                    update.body = {**update.body, "version": shown.json()["version"]}
                changed = one_example(update, headers=headers, checks=checks, tally=tally, isolated=False)
                if changed is not None and changed.status_code in (200, 201, 202):
                    chain.steps["updated"] = chain.steps.get("updated", 0) + 1
        transaction.set_rollback(True)

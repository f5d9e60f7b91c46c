"""Issue 19: the API fuzzed per role with schemathesis, against its own description, on the demo data.

Every operation of the API, signed in as each demo account (administrator, supervisor, caseworker,
trainer, employer user): cases generated from the schema, the path pointing mostly at objects that
exist (the ones the role may not see too). Checks: no 5xx; status code, content type and body as the
schema describes them; and no 4xx body that names an applicant the role may not see.

A stateful run (create -> read -> update) for applicants, legal status periods and referrals.

FUZZ_EXAMPLES sets the examples per operation (few in `make test`, many in `make fuzz`), FUZZ_SEED the
seed. Nothing is excluded: DELETE, erase actions and token rotation run too, each example in a
savepoint of its own that is rolled back (harness.py), so no example sees what another one did.
The figures of each run are written to test-artifacts/fuzz-<examples>-*.json.
"""

from __future__ import annotations

import pytest
from hypothesis import given, seed
from hypothesis import strategies as st

from tests.fuzz.harness import (
    EXAMPLES,
    ROLES,
    SEED,
    Tally,
    case_strategy,
    demo_world,
    hypothesis_settings,
    invisible_markers,
    load_schema,
    no_other_persons_data,
    one_example,
)
from tests.fuzz.stateful import CHAINS, references, run_chain

# One worker builds the world once for all the module's tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("fuzz")]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with demo_world(django_db_blocker) as found:
        yield found


@pytest.fixture(scope="module")
def api_schema(world, django_db_blocker):
    with django_db_blocker.unblock():
        return load_schema(world)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_described(role, world, api_schema):
    tally = Tally(role)
    headers = world.headers(role)
    checks = [no_other_persons_data(invisible_markers(world.users[role]))]
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @seed(SEED)
        @hypothesis_settings()
        @given(case=case_strategy(operation))
        def fuzz(case):
            one_example(case, headers=headers, checks=checks, tally=tally)

        fuzz()
    tally.save(role)
    print(tally.report())
    assert not tally.failures, tally.report()


@pytest.mark.parametrize("chain", CHAINS, ids=lambda chain: chain.name)
def test_create_read_update(chain, world, api_schema):
    role = "caseworker"
    tally = Tally(f"{role} {chain.name} chain")
    headers = world.headers(role)
    checks = [no_other_persons_data(invisible_markers(world.users[role]))]
    found = references(world.users[role])

    @seed(SEED)
    @hypothesis_settings(max(EXAMPLES * 5, 10))
    @given(data=st.data())
    def fuzz(data):
        run_chain(chain, api_schema, data, headers=headers, checks=checks, tally=tally, found=found)

    fuzz()
    tally.save(f"chain-{chain.name}")
    print(tally.report(), chain.steps)
    assert not tally.failures, tally.report()
    # The chains get past the create: the read and the update are exercised, not only refusals.
    assert chain.steps.get("updated", 0) > 0, chain.steps

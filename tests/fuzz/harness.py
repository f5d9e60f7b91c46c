"""What the API fuzz tests share: the demo world, the schema, the checks, and the tally of failures.

- The world: seed_demo, seed_demo_learning and seed_demo_jobs inside one transaction that is rolled
  back after the module (nothing committed: the other tests of the worker find the database as before).
  Each test (pytest-django's ``db``) and each example (``one_example``) runs in a savepoint of its own,
  so a DELETE or an erase action never changes what the next example finds: the run does not depend on
  the order of operations or examples.
- Requests go in-process to Django's WSGI application (no server), signed in with a token per demo
  account (DRF's TokenAuthentication: no session, so no CSRF and no second factor involved).
- Path parameters are drawn from the objects that exist (every row of the model, the ones the role may
  not see too: those must answer 404), or the schema's own values now and then.
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.core.failures import Failure, FailureGroup, ServerError

from tests.conftest import ARTIFACTS

# Examples per operation: few in `make test` (the whole module in about two minutes on one core),
# many in `make fuzz` (FUZZ_EXAMPLES=...). The seed is fixed: the same cases every run.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2"))
SEED = int(os.environ.get("FUZZ_SEED", "19"))
ROLES = {
    "administrator": "admin",
    "supervisor": "supervisor",
    "caseworker": "caseworker",
    "trainer": "trainer",
    "employer": "employer",
}
SCHEMA_URL = "/api/v1/schema/?format=json"
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]


def hypothesis_settings(examples: int = EXAMPLES) -> settings:
    # A fixed seed (FUZZ_SEED, applied with hypothesis.seed): the same cases on every run and machine.
    # No shrinking: a failure is recorded, not raised, so that one run counts all of them.
    return settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


@dataclass
class Tally:
    """Examples run and failures found for one role; a failure is counted once per operation and kind."""

    role: str
    examples: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, operation: str, failure: BaseException, case: schemathesis.Case) -> None:
        kind = (
            "5xx" if isinstance(failure, ServerError) else getattr(failure, "title", type(failure).__name__)
        )
        key = (operation, str(kind))
        if key not in self.failures:
            message = str(getattr(failure, "message", "") or failure)[:600]
            self.failures[key] = f"{message}\n    reproduce: {case.as_curl_command()}"

    def counts(self) -> dict[str, int]:
        server = sum(1 for _operation, kind in self.failures if kind == "5xx")
        return {"5xx": server, "schema violations": len(self.failures) - server}

    def report(self) -> str:
        lines = [f"{self.role}: {self.examples} examples, {self.counts()}, statuses {dict(self.statuses)}"]
        lines += [
            f"  {operation} [{kind}]: {text}" for (operation, kind), text in sorted(self.failures.items())
        ]
        return "\n".join(lines)

    def save(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        figures = {"role": self.role, "examples": self.examples, **self.counts(), "statuses": self.statuses}
        figures["failures"] = {
            f"{operation} [{kind}]": text for (operation, kind), text in self.failures.items()
        }
        (ARTIFACTS / f"fuzz-{EXAMPLES}-{name}.json").write_text(json.dumps(figures, indent=2, default=str))


@dataclass
class World:
    tokens: dict[str, str]
    users: dict[str, Any]

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Token {self.tokens[role]}"}


@contextmanager
def demo_world(django_db_blocker) -> Iterator[World]:
    """The demo data, rolled back afterwards; requests keep the test's database connection."""
    from rest_framework.authtoken.models import Token

    from casework.models import User

    # Django closes the connection after each request whose transaction is not in autocommit mode: the
    # test client disconnects the same receivers, a WSGI request must not close the world's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            for command in ("seed_demo", "seed_demo_learning", "seed_demo_jobs"):
                call_command(command, stdout=io.StringIO())
            users = {role: User.objects.get(username=username) for role, username in ROLES.items()}
            tokens = {role: Token.objects.get_or_create(user=user)[0].key for role, user in users.items()}
            yield World(tokens=tokens, users=users)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


def load_schema(world: World):
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi(SCHEMA_URL, application, headers=world.headers("administrator"))


def invisible_markers(user) -> list[str]:
    """Reference codes and names of the applicants this user may not see (the access selectors say)."""
    from casework.models import Applicant

    hidden = Applicant.objects.exclude(pk__in=Applicant.objects.visible_to(user).values("pk"))
    markers: list[str] = []
    for code, given, family in hidden.values_list("reference_code", "given_name", "family_name"):
        markers += [code, f"{given} {family}", f"{family} {given}"]
    return markers


def no_other_persons_data(markers: list[str]):
    """A check: a 4xx body never names an applicant the signed-in user may not see."""

    def check(ctx, response, case):
        if not 400 <= response.status_code < 500:
            return None
        body = response.text or ""
        named = [marker for marker in markers if marker and marker in body]
        if named:
            raise AssertionError(f"A {response.status_code} names another person's data: {named[:3]}")
        return None

    check.__name__ = "no_other_persons_data"
    return check


def _model_of(path: str):
    """The model behind a path's {id}, from the viewset that answers it."""
    try:
        match = resolve(path.replace("{id}", "1"))
    except Resolver404:
        return None
    view = getattr(match.func, "cls", None) or getattr(match.func, "view_class", None)
    queryset = getattr(view, "queryset", None)
    if queryset is not None:
        return queryset.model
    serializer = getattr(view, "serializer_class", None)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def path_values(path: str) -> dict[str, list[Any]]:
    """Existing values for the path parameters of an operation (empty when there are none)."""
    from casework.models import Applicant

    values: dict[str, list[Any]] = {}
    if "{reference_code}" in path:
        values["reference_code"] = list(
            Applicant.objects.order_by("pk").values_list("reference_code", flat=True)
        )
    if "{id}" in path:
        model = _model_of(path)
        if model is not None:
            values["id"] = list(model._default_manager.order_by("pk").values_list("pk", flat=True)[:200])
    return values


def case_strategy(operation) -> st.SearchStrategy:
    """Cases of an operation: mostly with the path pointing at an existing object."""
    generated = operation.as_strategy()
    existing = path_values(operation.path)
    if not existing or not all(existing.values()):
        return generated
    chosen = st.fixed_dictionaries({name: st.sampled_from(found) for name, found in existing.items()})
    pointed = chosen.flatmap(lambda parameters: operation.as_strategy(path_parameters=parameters))
    return st.one_of(pointed, pointed, pointed, generated)


def one_example(case, *, headers: dict[str, str], checks: list, tally: Tally, isolated: bool = True) -> Any:
    """Send one case (in a savepoint of its own, rolled back, if isolated); record what the checks find.

    Returns the response, or None when the application raised.
    """
    tally.examples += 1
    response = None
    with transaction.atomic():
        try:
            response = case.call(headers=headers)
            tally.statuses[response.status_code // 100 * 100] += 1
            case.validate_response(response, checks=CHECKS, additional_checks=checks, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                tally.add(case.operation.label, failure, case)
        except Failure as failure:
            tally.add(case.operation.label, failure, case)
        except Exception as error:  # an exception out of the application: what a 500 would be
            tally.add(
                case.operation.label, ServerError(operation=case.operation.label, status_code=500), case
            )
            tally.failures[(case.operation.label, "5xx")] += f"\n    {type(error).__name__}: {error}"
        if isolated:
            transaction.set_rollback(True)
    return response

"""Data built once for a test module, each test running in a savepoint rolled back to it.

Building the demo (seed_demo and the apps' seeds) or the access matrix's world takes seconds; built for
each test it was most of `make test`. `data_for_the_module` builds it inside a transaction left open for
the module: each test's own transaction (pytest-django's `db`) nests in it as a savepoint and is rolled
back to it, so every test sees the data as built, as if built for it alone; at the end of the module the
outer transaction is rolled back too. Only for a module whose every database test uses the data: a test
that expects an empty database would see it.

    @pytest.fixture(scope="module")
    def module_world(django_db_setup, django_db_blocker):
        yield from data_for_the_module(django_db_blocker, build_the_world)

For the demo seeds, `seeded_once(commands…)` makes that fixture (the seeding tests' `demo`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from io import StringIO
from typing import Any, TypeVar

import pytest
from django.core.management import call_command
from django.db import transaction

T = TypeVar("T")


def data_for_the_module(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            data = build()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def run(command: str, *args: str) -> str:
    """A management command's output (its errors discarded)."""
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def counts(models: Iterable[Any]) -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in models}


def seeded_once(*commands: str) -> Any:
    """A module fixture running the seeding commands once for the module; its value is the last one's
    output. Pair it with a function fixture that asks for `db` too:

        module_demo = seeded_once("seed_demo", "seed_demo_learning")

        @pytest.fixture
        def demo(module_demo, db): return module_demo
    """

    def build() -> str:
        return [run(command) for command in commands][-1]

    @pytest.fixture(scope="module")
    def module_demo(django_db_setup, django_db_blocker) -> Iterator[str]:
        yield from data_for_the_module(django_db_blocker, build)

    return module_demo

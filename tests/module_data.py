"""Data built once for a test module, each test running in a savepoint rolled back to it.

Building the demo (seed_demo and the apps' seeds) or the access matrix's world takes seconds; built for
each test it was most of `make test`. `data_for_the_module` builds it inside a transaction left open for
the module: each test's own transaction (pytest-django's `db`) nests in it as a savepoint and is rolled
back to it, so every test sees the data as built, as if built for it alone; at the end of the module the
outer transaction is rolled back too. Only for a module whose every database test uses the data: a test
that expects an empty database would see it.

    @pytest.fixture(scope="module")
    def module_demo(django_db_setup, django_db_blocker):
        yield from data_for_the_module(django_db_blocker, build_the_demo)

    @pytest.fixture
    def demo(module_demo, db):
        return module_demo
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

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

"""Settings of the Celery worker and beat that the fault tests start: the test workers' settings (the local
settings, the broker keys under the test's own prefix: tests/worker_settings.py), plus the fault gates
(tests/faults/gates.py) through which a test holds a sweep in the middle."""

from tests.worker_settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.faults.gates.FaultGatesConfig"]  # noqa: F405

"""Settings of the Celery worker and beat that the fault tests start: the local settings, plus the fault
gates (tests/faults/gates.py) through which a test holds a sweep in the middle."""

from config.settings.local import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.faults.gates.FaultGatesConfig"]  # noqa: F405

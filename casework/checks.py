"""System checks: what must be true before Tobira serves pages (Django's extension point).

The front-end assets (Tabler, htmx, the icon sprite) come from npm at build time (`make assets`), never
from a CDN. `collectstatic` without them used to succeed and leave every page a 500 in production
(issue 19): it now stops with a message saying what to run.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.checks import Error, Tags, register

# The built files every page needs (casework/templates/base.html); a setting so a test can ask for more.
FRONTEND_ASSETS = (
    "vendor/tabler/tabler.min.css",
    "vendor/tabler/tabler.min.js",
    "vendor/htmx/htmx.min.js",
    "vendor/icons/sprite.svg",
)


@register(Tags.staticfiles)
def frontend_assets_built(app_configs=None, **kwargs) -> list[Error]:
    missing = [
        path for path in getattr(settings, "FRONTEND_ASSETS", FRONTEND_ASSETS) if not finders.find(path)
    ]
    if not missing:
        return []
    return [
        Error(
            "The front-end assets are not built: " + ", ".join(missing) + " missing.",
            hint="Run `make assets` (npm ci and the copy into casework/static/vendor/) before collectstatic.",
            id="tobira.E001",
        )
    ]


@register(Tags.security)
def session_limits_make_sense(app_configs=None, **kwargs) -> list[Error]:
    """The session limits (issue 19): a warning that comes before the page loads helps nobody."""
    idle, absolute = settings.SESSION_IDLE_TIMEOUT, settings.SESSION_ABSOLUTE_TIMEOUT
    warning = settings.SESSION_EXPIRY_WARNING
    problems = []
    if idle <= 0 or absolute <= 0:
        problems.append("SESSION_IDLE_TIMEOUT and SESSION_ABSOLUTE_TIMEOUT must be more than 0 seconds.")
    elif absolute < idle:
        problems.append(
            f"SESSION_ABSOLUTE_TIMEOUT ({absolute}) is shorter than SESSION_IDLE_TIMEOUT ({idle})."
        )
    if not 0 < warning < idle:
        problems.append(
            f"SESSION_EXPIRY_WARNING ({warning}) must be more than 0 and less than SESSION_IDLE_TIMEOUT."
        )
    if absolute > settings.SESSION_COOKIE_AGE:
        problems.append(
            f"SESSION_ABSOLUTE_TIMEOUT ({absolute}) is longer than SESSION_COOKIE_AGE ({settings.SESSION_COOKIE_AGE}):"
            " the cookie would end the session first."
        )
    return [
        Error(
            problem,
            hint="Seconds, from the environment (README.md, Configuration).",
            id="tobira.sessions.E001",
        )
        for problem in problems
    ]

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

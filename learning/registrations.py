"""What learning adds to casework: navigation, panels (applicant page, home page), deadline sources."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from casework.panels import NavItem, register_nav_item
from casework.roles import Role


def register() -> None:
    register_nav_item(
        NavItem(
            key="course_list",
            label=_("Courses"),
            url_name="learning:course_list",
            roles=(Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER, Role.TRAINER),
            order=40,
        )
    )
    # Panels and the absence deadline source are registered below as they are built.

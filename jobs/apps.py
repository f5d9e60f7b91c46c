"""App configuration for jobs: employers, openings, referrals, placements and the partner portal, and what
jobs adds to casework's pages and reminder engine through casework's registries."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Jobs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Jobs adds to casework through casework's registries; casework never imports jobs.
        _register()


def _register() -> None:
    """Navigation, the applicant page's Employment panel, and the deadline sources: follow-ups, and the
    employer's employment notifications on hire and leaving."""
    from casework.deadlines.registry import DeadlineSource, register_detail, register_source
    from casework.roles import Role
    from casework.selectors import register_consent_recipients
    from casework.ui.panels import NavItem, Panel, register_nav_item, register_panel

    staff = (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CASEWORKER)  # never trainers or employer users
    for key, label, order, icon in (
        ("employer_list", _("Employers"), 50, "building"),
        ("opening_list", _("Openings"), 51, "briefcase"),
        ("referral_list", _("Referrals"), 52, "user-plus"),
        ("placement_list", _("Placements"), 53, "circle-check"),
    ):
        register_nav_item(
            NavItem(
                key=f"jobs_{key}", label=label, url_name=f"jobs:{key}", roles=staff, order=order, icon=icon
            )
        )
    register_consent_recipients(_consent_recipients)
    from jobs.ui.partner import PartnerSection, register_partner_section

    register_partner_section(PartnerSection("partner_openings", _("Openings")))
    _register_portal_candidates()
    # The partner portal's Team section: employer administrators invite and remove colleagues.
    register_partner_section(PartnerSection("partner_team", _("Team"), admin_only=True))
    # Placed workers and the employer's notifications (issue 16).
    register_partner_section(PartnerSection("partner_workers", _("Workers")))
    register_partner_section(PartnerSection("partner_notifications", _("Notifications")))
    # What hiring through the programme came to: aggregates only (issue 17).
    register_partner_section(PartnerSection("partner_impact", _("Impact")))
    register_panel(
        "applicant",
        Panel(
            key="jobs",
            title=_("Employment"),
            template="jobs/panel_employment.html",
            context=_applicant_employment_context,
            order=20,
            tab="employment",
        ),
    )
    # The home page: follow-ups due of the caseload's placed people.
    register_panel(
        "home",
        Panel(
            key="follow_ups",
            title=_("Follow-ups due"),
            template="jobs/home/follow_ups.html",
            context=_home_follow_ups_context,
            order=30,
        ),
    )

    register_source(
        DeadlineSource(
            "jobs_follow_up",
            _("Follow-up with a placed person"),
            _follow_ups,
            describe=_describe_follow_ups,
            escalates=False,  # the caseworker's own follow-up
        )
    )
    register_source(
        DeadlineSource(
            "jobs_hire_notification",
            _("Employer's hiring notification to Hello Work: confirm it was filed"),
            _hire_notifications,
            describe=_describe_placements,
            escalates=False,
        )
    )
    register_source(
        DeadlineSource(
            "jobs_leaving_notification",
            _("Employer's leaving notification to Hello Work: confirm it was filed"),
            _leaving_notifications,
            describe=_describe_placements,
            escalates=False,
        )
    )

    # A status or work permission ending while the person works: casework's own reminders name the
    # placement and employer (no new source, issue 15).
    for kind in ("period_end", "renewal_pending", "provisional_release_expiry"):
        register_detail(kind, _describe_employment_of_periods)
    register_detail("work_permission_end", _describe_employment_of_permissions)
    # Spreadsheet import (issue 18): an employer list with contact people, for the staff who write employers.
    from casework.services.importers import register_importer
    from jobs.services.employer_import import IMPORTER as EMPLOYER_IMPORTER

    register_importer(EMPLOYER_IMPORTER)


def _describe_employment_of_periods(source_ids):
    from jobs.selectors.deadlines import describe_employment_of_periods

    return describe_employment_of_periods(source_ids)


def _describe_employment_of_permissions(source_ids):
    from jobs.selectors.deadlines import describe_employment_of_permissions

    return describe_employment_of_permissions(source_ids)


def _applicant_employment_context(*, user, applicant, **objects):
    from jobs.ui.employment import applicant_panel_context

    return applicant_panel_context(user=user, applicant=applicant, **objects)


def _home_follow_ups_context(**kwargs):
    from jobs.ui.home import follow_ups_context

    return follow_ups_context(**kwargs)


def _follow_ups(**kwargs):
    from jobs.selectors.deadlines import follow_ups_due

    return follow_ups_due(**kwargs)


def _hire_notifications(**kwargs):
    from jobs.selectors.deadlines import hire_notifications

    return hire_notifications(**kwargs)


def _leaving_notifications(**kwargs):
    from jobs.selectors.deadlines import leaving_notifications

    return leaving_notifications(**kwargs)


def _describe_follow_ups(source_ids):
    from jobs.selectors.deadlines import describe_follow_ups

    return describe_follow_ups(source_ids)


def _describe_placements(source_ids):
    from jobs.selectors.deadlines import describe_placements

    return describe_placements(source_ids)


def _consent_recipients(user) -> list[tuple[str, str]]:
    from jobs.selectors.employers import consent_recipients

    return consent_recipients(user)


def _register_portal_candidates() -> None:
    """The portal's candidates section, and what a revoked consent to share does to referrals (issue 16)."""
    from casework.services.consent import register_consent_revoked_handler
    from jobs.ui.partner import PartnerSection, register_partner_section

    register_partner_section(PartnerSection("partner_candidates", _("Candidates")))
    register_consent_revoked_handler(_consent_revoked)


def _consent_revoked(*, by, consent) -> None:
    from jobs.services.packets import withdraw_on_consent_revoked

    withdraw_on_consent_revoked(by=by, consent=consent)

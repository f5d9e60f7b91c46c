"""The portal's placed workers and notifications: what an employer user may see of them, always through
jobs.selectors.partner (their employer's own placements) and, for the person, through the ONE share-packet
builder (jobs.selectors.packets): reference code, given name, start date and follow-ups always; "may work
until" and the employment details only while the person's consent for this employer is current.

A fixed number of queries whatever the number of rows (tests assert it).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from jobs import rules
from jobs.models import FollowUp, Placement, Referral
from jobs.selectors.packets import share_packets
from jobs.selectors.partner import partner_placements


def partner_placement_list(user) -> QuerySet[Placement]:
    """The employer's placements, newest start first (the Workers section's order)."""
    return partner_placements(user).select_related("opening").order_by("-start_date", "-pk")


def partner_follow_ups(user) -> QuerySet[FollowUp]:
    """Follow-ups of the employer's placements (another employer's: not there, a 404)."""
    return FollowUp.objects.filter(placement__in=partner_placements(user).values("pk")).select_related(
        "placement"
    )


def is_shared(packet: dict[str, Any] | None) -> bool:
    """Does the placement's packet come with a current consent ("may work until" is then in it)?"""
    return packet is not None and "may_work_until" in packet


def employment_notice(placement: Placement) -> dict[str, Any]:
    """The foreign employment status notification (DOMAIN.md §9): deadlines from jobs.rules and the
    days the employer recorded filing; leaving only once the person has left."""
    insured = placement.employment_insurance
    leaving_due = (
        rules.leaving_notification_due(left_on=placement.ended_on, insured=insured)
        if placement.ended_on is not None
        else None
    )
    return {
        "hire_due_on": rules.hire_notification_due(start=placement.start_date, insured=insured),
        "hire_filed_on": placement.hire_notification_filed_on,
        "leaving_due_on": leaving_due,
        "leaving_filed_on": placement.leaving_notification_filed_on,
    }


def worker_views(placements: list[Placement], *, on: date | None = None) -> list[dict[str, Any]]:
    """Each placement as the portal and the partner API show it: `packet` (the share packet's placement
    keys), and `employment` (hours, wage, leaving, the employment notification) only while shared."""
    today = on or timezone.localdate()
    packets = share_packets([Referral(pk=placement.referral_id) for placement in placements], on=today)
    views = []
    for placement in placements:
        packet = packets.get(placement.referral_id)
        shared = is_shared(packet)
        views.append(
            {
                "placement": placement,
                "id": placement.pk,
                "referral_id": placement.referral_id,
                "opening_title": placement.opening.title,
                "packet": packet,
                "shared": shared,
                "employment": (
                    {
                        "hours_per_week": placement.hours_per_week,
                        "daily_hours": placement.daily_hours,
                        "wage": placement.wage,
                        "wage_unit": placement.wage_unit,
                        "employment_insurance": placement.employment_insurance,
                        "ended_on": placement.ended_on,
                        "leaving_reason": placement.leaving_reason,
                        "notification": employment_notice(placement),
                    }
                    if shared
                    else None
                ),
            }
        )
    return views


def follow_up_details(placement: Placement, *, on: date | None = None) -> list[dict[str, Any]]:
    """The placement's follow-ups for its page: outcome, difficulties and whether the employer may
    confirm it now (one query for the follow-ups, one for their difficulties)."""
    today = on or timezone.localdate()
    rows = []
    for follow_up in placement.follow_ups.prefetch_related("difficulties").order_by("month", "pk"):
        rows.append(
            {
                "follow_up": follow_up,
                "difficulties": [d.get_code_display() for d in follow_up.difficulties.all()],
                "confirmable": placement.ended_on is None
                and rules.follow_up_confirmable_from(follow_up.due_on) <= today,
            }
        )
    return rows

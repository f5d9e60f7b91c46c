"""The portal's Workers and Notifications pages: what a placement page shows (and keeps after a revoked
consent), confirming a follow-up and recording the filing with their bad inputs, another employer's
objects as 404s, a paused partnership read-only, and queries that do not grow with the rows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casework.models import AccessLogEntry
from jobs.models import PartnershipStatus, PortalNotification
from jobs.services.partner_workers import portal_notifications_create
from tests.jobs.factories import today

pytestmark = pytest.mark.django_db

KEY = re.compile(r'data-packet-key="([a-z_]+)"')


def worker_url(placement) -> str:
    return reverse("partner_worker", args=[placement.pk])


def confirm_url(placement, month=1) -> str:
    return reverse("partner_follow_up_confirm", args=[placement.follow_ups.get(month=month).pk])


def test_workers_list_and_page(client_for, portal_user, placement, other_placement):
    client = client_for(portal_user)
    listing = client.get(reverse("partner_workers")).content.decode()
    assert placement.applicant.reference_code in listing
    assert other_placement.applicant.reference_code not in listing
    page = client.get(worker_url(placement))
    assert page.status_code == 200
    html = page.content.decode()
    assert set(KEY.findall(html)) == {"reference_code", "given_name", "start_date", "may_work_until"}
    for shown in ("Record filing", "Confirm follow-up", "Employment notification", "1300"):
        assert shown in html
    assert "Perera" not in html  # never the family name of a placed worker
    assert AccessLogEntry.objects.filter(
        kind=AccessLogEntry.Kind.SHARE_PACKET_VIEW, actor=portal_user
    ).exists()


def test_revoked_consent_keeps_only_start_date_and_follow_ups(client_for, portal_user, placement):
    placement.applicant.consents.update(revoked_on=today())
    html = client_for(portal_user).get(worker_url(placement)).content.decode()
    assert set(KEY.findall(html)) == {"reference_code", "given_name", "start_date"}
    assert "Record filing" not in html and "1300" not in html
    assert "Confirm follow-up" in html


def test_another_employers_placement_and_follow_up_are_404(client_for, portal_user, other_placement):
    client = client_for(portal_user)
    assert client.get(worker_url(other_placement)).status_code == 404
    assert client.get(confirm_url(other_placement)).status_code == 404
    response = client.post(confirm_url(other_placement), {"still_employed": "yes"})
    assert response.status_code == 404
    filing = reverse("partner_worker_filing", args=[other_placement.pk])
    assert client.post(filing, {"hire_notification_filed_on": today().isoformat()}).status_code == 404
    other_placement.refresh_from_db()
    assert other_placement.hire_notification_filed_on is None
    assert client.get(reverse("partner_worker", args=[10**12])).status_code == 404


def test_confirm_follow_up_still_employed(client_for, portal_user, placement):
    client = client_for(portal_user)
    form = client.get(confirm_url(placement)).content.decode()
    assert "Still employed?" in form and "Confirm follow-up" in form
    response = client.post(
        confirm_url(placement), {"still_employed": "yes", "difficulties": ["language", "hours"]}
    )
    assert response.status_code == 302
    follow_up = placement.follow_ups.get(month=1)
    assert follow_up.outcome == "retained"
    assert sorted(follow_up.difficulties.values_list("code", flat=True)) == ["hours", "language"]


def test_confirm_left_without_reason_or_before_start_names_the_field(client_for, portal_user, placement):
    client = client_for(portal_user)
    response = client.post(confirm_url(placement), {"still_employed": "no", "left_on": today().isoformat()})
    assert response.status_code == 400
    assert "Choose why the person left." in response.content.decode()
    before = (placement.start_date - timedelta(days=1)).isoformat()
    response = client.post(
        confirm_url(placement), {"still_employed": "no", "left_on": before, "leaving_reason": "moved"}
    )
    assert response.status_code == 400
    assert "cannot have left before the start date" in response.content.decode()
    placement.refresh_from_db()
    assert placement.ended_on is None
    assert placement.follow_ups.get(month=1).recorded_at is None


def test_confirm_left_ends_the_placement(client_for, portal_user, placement):
    left = today() - timedelta(days=1)
    response = client_for(portal_user).post(
        confirm_url(placement),
        {"still_employed": "no", "left_on": left.isoformat(), "leaving_reason": "moved"},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.ended_on, placement.leaving_reason) == (left, "moved")


def test_follow_up_not_yet_due_is_refused_on_the_page(client_for, portal_user, placement):
    response = client_for(portal_user).post(confirm_url(placement, month=6), {"still_employed": "yes"})
    assert response.status_code == 400
    assert "not due yet" in response.content.decode()


def test_record_filing_and_its_bad_inputs(client_for, portal_user, placement):
    client = client_for(portal_user)
    url = reverse("partner_worker_filing", args=[placement.pk])
    future = client.post(url, {"hire_notification_filed_on": (today() + timedelta(days=1)).isoformat()})
    assert future.status_code == 400
    assert "The filing day cannot be in the future." in future.content.decode()
    early = client.post(
        url, {"hire_notification_filed_on": (placement.start_date - timedelta(days=1)).isoformat()}
    )
    assert early.status_code == 400
    assert "before the start date" in early.content.decode()
    placement.refresh_from_db()
    assert placement.hire_notification_filed_on is None
    assert client.post(url, {"hire_notification_filed_on": today().isoformat()}).status_code == 302
    placement.refresh_from_db()
    assert placement.hire_notification_filed_on == today()


def test_paused_partnership_is_read_only(client_for, portal_user, placement, company):
    company.partnership_status = PartnershipStatus.PAUSED
    company.save()
    client = client_for(portal_user)
    html = client.get(worker_url(placement)).content.decode()
    assert "Record filing" not in html and "Confirm follow-up" not in html
    assert client.post(confirm_url(placement), {"still_employed": "yes"}).status_code == 403
    url = reverse("partner_worker_filing", args=[placement.pk])
    assert client.post(url, {"hire_notification_filed_on": today().isoformat()}).status_code == 403
    assert placement.follow_ups.get(month=1).recorded_at is None


def test_notifications_on_home_and_page_and_mark_read(
    client_for, portal_user, other_portal_user, placement, other_placement
):
    portal_notifications_create()
    mine = PortalNotification.objects.get(employer=placement.opening.employer)
    theirs = PortalNotification.objects.get(employer=other_placement.opening.employer)
    client = client_for(portal_user)
    home = client.get(reverse("partner_home")).content.decode()
    assert "a follow-up was due on" in home
    page = client.get(reverse("partner_notifications")).content.decode()
    assert f'data-notification="{mine.pk}"' in page and f'data-notification="{theirs.pk}"' not in page
    assert client.post(reverse("partner_notification_read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("partner_notification_read", args=[mine.pk])).status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert "No new notifications." in client.get(reverse("partner_home")).content.decode()
    assert client_for(other_portal_user).post(reverse("partner_notifications_read_all")).status_code == 302
    theirs.refresh_from_db()
    assert theirs.read_at is not None


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["partner_workers", "partner_notifications", "partner_home"])
def test_queries_do_not_grow_with_rows(client_for, portal_user, place, opening, url_name):
    client = client_for(portal_user)
    for _ in range(5):
        place(opening)
    portal_notifications_create()
    few = _count(client, reverse(url_name))
    for _ in range(45):
        place(opening)
    portal_notifications_create()
    assert PortalNotification.objects.count() == 50
    assert _count(client, reverse(url_name)) == few


def test_placement_page_queries_do_not_grow_with_follow_ups_recorded(client_for, portal_user, placement):
    client = client_for(portal_user)
    few = _count(client, worker_url(placement))
    client.post(
        confirm_url(placement), {"still_employed": "yes", "difficulties": ["language", "hours", "health"]}
    )
    assert _count(client, worker_url(placement)) == few

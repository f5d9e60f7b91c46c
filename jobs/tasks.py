"""Celery tasks of jobs: thin wrappers that call one service each, safe to run twice."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import OperationalError

from jobs.services.partner_emails import message_digests_queue
from jobs.services.partner_workers import portal_notifications_create
from jobs.services.placements import placements_flag_below_minimum

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def flag_placements_below_minimum_wage() -> int:
    """Daily (beat, 07:30 Asia/Tokyo): a new regional minimum wage that takes effect today flags the running
    placements now below it, for their caseworker (issue 15)."""
    flagged = placements_flag_below_minimum()
    logger.info("Placements below the minimum wage in force today: %s", flagged)
    return flagged


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=True, max_retries=3)
def send_message_digests() -> int:
    """Hourly (beat): one e-mail per recipient listing the referral messages nobody has read or been told
    about yet (issue 16). A message is claimed once, so a repeat or overlapping run sends nothing twice."""
    queued = message_digests_queue()
    logger.info("Message digests queued: %s", queued)
    return queued


@shared_task(ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def notify_portal_employers() -> int:
    """Daily (beat, 07:45 Asia/Tokyo): the partner portal's notifications of placed workers ("may work
    until" soon or changed, follow-ups due) and their e-mails; running it twice creates nothing new."""
    run = portal_notifications_create()
    logger.info("Portal notifications created: %s (e-mails: %s)", run.created, run.emails)
    return run.created

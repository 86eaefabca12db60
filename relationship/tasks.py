"""Celery tasks of the relationship: thin wrappers over plain functions of the database, safe to run twice.

Beat enqueues `escalate_issues` every 15 minutes (schedule seeded by migration 0002, editable in the
admin), with an expiry shorter than the interval so a backlog cannot pile up while workers are down.
"""

from datetime import datetime

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from relationship.escalation import escalate_unanswered

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(name="relationship.escalate_issues", **RETRY)
def escalate_issues(now=None):
    """Escalate the issues not answered in time as of `now` (ISO datetime; default: the current time)."""
    return escalate_unanswered(datetime.fromisoformat(now) if now else timezone.now())

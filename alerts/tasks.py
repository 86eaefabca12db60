"""Celery tasks of the alert calendar: thin wrappers over alerts.services, safe to run twice.

Beat enqueues them from the schedules in django-celery-beat (seeded by migration 0002, editable in
the admin), each with an expiry shorter than its interval so a backlog cannot pile up while workers
are down. Arguments are JSON: a job name and an ISO date.
"""

from datetime import date

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from alerts import services

RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
}


def _day(today) -> date:
    return date.fromisoformat(str(today)) if today else timezone.localdate()


@shared_task(name="alerts.run_scheduled_job", **RETRY)
def run_scheduled_job(job, today=None):
    """Raise the alerts of `job` ("daily", "monthly") due on `today` (default: today, local time)."""
    return services.run_job(job, today=_day(today))


@shared_task(name="alerts.send_pending_alerts", **RETRY)
def send_pending_alerts():
    """The outbox sweeper: send every email and webhook alert that is ready."""
    return services.deliver_pending()


@shared_task(name="alerts.send_daily_digests", **RETRY)
def send_daily_digests():
    return services.send_digests()

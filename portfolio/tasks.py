"""Celery task of the portfolio: a thin wrapper over `services.refresh_vendor_health`, safe to run twice.

Beat runs it every few minutes and nightly for every vendor (schedules seeded by migration 0002); writes
that change a vendor's health enqueue it with that vendor's id. Arguments are JSON: ids and an ISO date.
"""

from datetime import date

from celery import shared_task
from django.db import DatabaseError

from portfolio import services


@shared_task(
    name="portfolio.refresh_health",
    autoretry_for=(DatabaseError,),
    retry_backoff=True,
    retry_backoff_max=120,
    retry_jitter=True,
    max_retries=5,
)
def refresh_health(vendor_ids=None, today=None):
    day = date.fromisoformat(today) if today else None
    return services.refresh_vendor_health(vendor_ids, today=day)

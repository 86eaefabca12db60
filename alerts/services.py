"""Raising alerts (idempotently) and delivering them (each one once, failures retried with backoff).

Raising: `raise_alerts(dues)` expands each Due to one row per recipient and channel, following each
person's preferences and the matching webhooks, and inserts them with ON CONFLICT DO NOTHING on the
alert key. Delivering: `deliver_pending()` locks one row at a time with SELECT … FOR UPDATE SKIP
LOCKED, sends it and records the outcome in the same transaction. A worker killed mid-send loses its
connection, PostgreSQL rolls the transaction back and the row is pending again for the next sweep;
a second worker never sees a locked row; a row already sent is no longer ready to send.
"""

import logging
import random
import time
from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from alerts import channels, registry
from alerts.models import Alert, AlertPreference, Channel, DeliveryStatus, Webhook

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = [Channel.IN_APP, Channel.EMAIL]
SENT_BY_SWEEPER = [Channel.EMAIL, Channel.SLACK, Channel.TEAMS]
MAX_BACKOFF = timedelta(hours=6)
# Stay well inside the task's soft time limit; what is left is picked up by the next sweep.
SWEEP_SECONDS = 180


def _people(dues):
    """Each recipient's email, vendor (vendor staff only) and channels per kind, in three queries."""
    user_ids = {user_id for due in dues for user_id in due.recipients}
    users = {
        pk: (email, staff_vendor)
        for pk, email, staff_vendor in get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .values_list("pk", "email", "profile__vendor_id")
    }
    preferences = {
        (p.user_id, p.kind): p.channels() for p in AlertPreference.objects.filter(user_id__in=users)
    }
    webhooks = list(Webhook.objects.filter(active=True))
    return users, preferences, webhooks


def _rows(dues):
    users, preferences, webhooks = _people(dues)
    now = timezone.now()
    for due in dues:
        common = {
            "kind": due.kind,
            "content_type": ContentType.objects.get_for_model(due.subject),
            "object_id": due.subject.pk,
            "due_on": due.due_on,
            "vendor_id": due.vendor_id,
            "title": due.title[:200],
            "message": due.message,
            "link": due.link,
            "created_at": now,
            "next_attempt_at": now,
        }
        for user_id in dict.fromkeys(due.recipients):
            if user_id not in users:
                continue
            email, staff_vendor = users[user_id]
            if staff_vendor is not None and staff_vendor != due.vendor_id:
                # Vendor staff hear only about their own vendor, whatever a kind's function yields.
                continue
            for channel in preferences.get((user_id, due.kind), DEFAULT_CHANNELS):
                if channel in (Channel.EMAIL, Channel.DIGEST) and not email:
                    continue
                # In the app, raising the alert is delivering it.
                status = DeliveryStatus.SENT if channel == Channel.IN_APP else DeliveryStatus.PENDING
                yield Alert(
                    **common,
                    recipient_id=user_id,
                    channel=channel,
                    status=status,
                    sent_at=now if status == DeliveryStatus.SENT else None,
                )
        for webhook in webhooks:
            if webhook.wants(due.kind, due.vendor_id):
                yield Alert(**common, webhook=webhook, channel=webhook.service)


def _key(alert):
    return (
        alert.kind,
        alert.content_type.pk,
        alert.object_id,
        alert.due_on,
        alert.channel,
        alert.recipient_id or 0,
        alert.webhook_id or 0,
    )


def raise_alerts(dues) -> int:
    """Insert the alerts of `dues` that do not exist yet; returns how many rows were offered.

    Rows go in sorted by key, so two concurrent sweeps over the same items lock the same unique-index
    entries in the same order: one inserts, the other waits and then does nothing, and they cannot
    deadlock.
    """
    dues = list(dues)
    rows = sorted(_rows(dues), key=_key)
    Alert.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _enqueue_sending():
    from alerts.tasks import send_pending_alerts

    try:
        send_pending_alerts.apply_async(retry=False)
    except Exception:
        # The rows are committed: the beat sweeper sends them once the broker is reachable again.
        logger.warning("Broker unreachable; pending alerts go out with the next sweep.", exc_info=True)


def schedule_delivery() -> None:
    """Ask a worker to send pending alerts once the current transaction has committed."""
    transaction.on_commit(_enqueue_sending, robust=True)


@transaction.atomic
def run_job(job: str, *, today) -> int:
    """One run of a scheduled job for `today`: its preparatory steps, then its due alerts."""
    for step in registry.steps(job):
        step(today)
    offered = raise_alerts(registry.due_in_job(job, today))
    # A run can add tens of thousands of rows at once. Until autovacuum next analyzes the table (a
    # minute or more later) the planner believes few alerts wait, and the sweeper's claim then sorts
    # every waiting row for each alert it sends (0.4 s each at 1,000 vendors): refresh the statistics.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Alert._meta.db_table}")
    schedule_delivery()
    return offered


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes with 10% jitter, at most six hours: failures are retried until they pass."""
    delay = min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)
    return delay + delay * random.uniform(0, 0.1)


def _claim_next(channels_):
    return (
        Alert.objects.ready_to_send()
        .filter(channel__in=channels_)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient", "webhook")
        .order_by("next_attempt_at", "pk")
        .first()
    )


def _record(alert, error):
    now = timezone.now()
    alert.attempts += 1
    if error is None:
        alert.status, alert.sent_at, alert.last_error = DeliveryStatus.SENT, now, ""
    else:
        alert.status, alert.last_error = DeliveryStatus.FAILED, error[:2000]
        alert.next_attempt_at = now + _backoff(alert.attempts)
        logger.warning("Alert %s (%s) failed, attempt %s: %s", alert.pk, alert.channel, alert.attempts, error)
    alert.save(update_fields=["status", "sent_at", "last_error", "attempts", "next_attempt_at"])


def deliver_pending(*, seconds=SWEEP_SECONDS) -> dict:
    """Send every email and webhook alert that is ready, one locked row at a time."""
    counts = defaultdict(int)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with transaction.atomic():
            alert = _claim_next(SENT_BY_SWEEPER)
            if alert is None:
                break
            error = channels.send(alert)
            _record(alert, error)
            counts[alert.status] += 1
    return dict(counts)


def send_digests() -> int:
    """One email per person bundling their digest alerts; returns how many digests were sent."""
    sent = 0
    user_ids = set(
        Alert.objects.ready_to_send().filter(channel=Channel.DIGEST).values_list("recipient_id", flat=True)
    )
    for user_id in sorted(user_ids):
        with transaction.atomic():
            alerts = list(
                Alert.objects.ready_to_send()
                .filter(channel=Channel.DIGEST, recipient_id=user_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .order_by("created_at", "pk")
            )
            if not alerts:
                continue
            error = channels.send_digest(alerts[0].recipient, alerts)
            for alert in alerts:
                _record(alert, error)
            sent += error is None
    return sent


def mark_read(*, user, alert_ids=None) -> int:
    alerts = Alert.objects.for_recipient(user).unread()
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=alert_ids)
    return alerts.update(read_at=timezone.now())

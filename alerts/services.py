"""Raising alerts (idempotently) and delivering them (each one once, failures retried with backoff).

Raising: `raise_alerts(dues)` expands each Due to one row per recipient and channel, following each
person's preferences and the matching webhooks, and inserts them with ON CONFLICT DO NOTHING on the
alert key. Delivering: `deliver_pending()` locks a batch of ALERT_SEND_BATCH rows with SELECT … FOR
UPDATE SKIP LOCKED, sends them over one mail server connection and records the outcomes in the same
transaction, in a fixed number of queries per batch. A worker killed mid-batch loses its connection,
PostgreSQL rolls the transaction back and the batch is pending again for the next sweep (the emails it
had already sent go out once more, with the same Message-ID); a second worker never sees a locked row;
a row already sent is no longer ready to send.
"""

import logging
import random
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
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


# An alert row as raise_alerts inserts it, with the SQL type of each column for PostgreSQL's unnest.
COLUMNS = (
    ("kind", "text"),
    ("content_type_id", "integer"),
    ("object_id", "bigint"),
    ("due_on", "date"),
    ("channel", "text"),
    ("recipient_id", "bigint"),
    ("webhook_id", "bigint"),
    ("vendor_id", "bigint"),
    ("title", "text"),
    ("message", "text"),
    ("link", "text"),
    ("status", "text"),
    ("attempts", "integer"),
    ("last_error", "text"),
    ("created_at", "timestamptz"),
    ("next_attempt_at", "timestamptz"),
    ("sent_at", "timestamptz"),
)
INSERT_SQL = """
INSERT INTO {table} ({names})
SELECT {names} FROM unnest({arrays}) WITH ORDINALITY AS row ({names}, position)
ORDER BY position
ON CONFLICT DO NOTHING
"""


def _rows(dues):
    """Each due's alert rows, as tuples in COLUMNS' order: tens of thousands stay cheap to build."""
    users, preferences, webhooks = _people(dues)
    now = timezone.now()
    for due in dues:
        subject = (due.kind, ContentType.objects.get_for_model(due.subject).pk, due.subject.pk, due.due_on)
        text = (due.vendor_id, due.title[:200], due.message, due.link)
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
                if channel == Channel.IN_APP:
                    delivery = (DeliveryStatus.SENT, 0, "", now, now, now)
                else:
                    delivery = (DeliveryStatus.PENDING, 0, "", now, now, None)
                yield (*subject, channel, user_id, None, *text, *delivery)
        for webhook in webhooks:
            if webhook.wants(due.kind, due.vendor_id):
                yield (
                    *subject,
                    webhook.service,
                    None,
                    webhook.pk,
                    *text,
                    DeliveryStatus.PENDING,
                    0,
                    "",
                    now,
                    now,
                    None,
                )


def _key(row):
    """The alert key (kind, subject, due date, channel, recipient, webhook), comparable without None."""
    return (*row[:5], row[5] or 0, row[6] or 0)


def _insert(rows):
    names = [name for name, _ in COLUMNS]
    if connection.vendor != "postgresql":
        Alert.objects.bulk_create(
            [Alert(**dict(zip(names, row, strict=True))) for row in rows], ignore_conflicts=True
        )
        return
    # One statement with one array per column: Django's bulk_create would compile a parameter per
    # value, which for the 45,000 rows of a daily run costs more than the insert itself.
    sql = INSERT_SQL.format(
        table=Alert._meta.db_table,
        names=", ".join(names),
        arrays=", ".join(f"%s::{sql_type}[]" for _, sql_type in COLUMNS),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in zip(*rows, strict=True)])


def raise_alerts(dues) -> int:
    """Insert the alerts of `dues` that do not exist yet; returns how many rows were offered.

    Rows go in sorted by key, so two concurrent sweeps over the same items lock the same unique-index
    entries in the same order: one inserts, the other waits and then does nothing, and they cannot
    deadlock.
    """
    rows = sorted(_rows(list(dues)), key=_key)
    if rows:
        _insert(rows)
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
    # every waiting row for each batch it sends (0.4 s each at 1,000 vendors): refresh the statistics.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Alert._meta.db_table}")
    schedule_delivery()
    return offered


def _backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8… minutes with 10% jitter, at most six hours: failures are retried until they pass."""
    delay = min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)
    return delay + delay * random.uniform(0, 0.1)


def _claim_batch(channels_, size):
    """Lock the next `size` ready alerts, with their recipient or webhook, in one query."""
    return list(
        Alert.objects.ready_to_send()
        .filter(channel__in=channels_)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient", "webhook")
        .order_by("next_attempt_at", "pk")[:size]
    )


def _record(outcomes) -> dict:
    """Record `{alert: error or None}` in two UPDATEs at most: the sent ones, then the failed ones,
    each failure with its reason and its own next attempt. Returns how many were sent and failed."""
    now = timezone.now()
    sent = [alert.pk for alert, error in outcomes.items() if error is None]
    failed = {alert: error for alert, error in outcomes.items() if error is not None}
    if sent:
        Alert.objects.filter(pk__in=sent).update(
            status=DeliveryStatus.SENT, sent_at=now, last_error="", attempts=F("attempts") + 1
        )
    if failed:
        for alert, error in failed.items():
            logger.warning(
                "Alert %s (%s) failed, attempt %s: %s", alert.pk, alert.channel, alert.attempts + 1, error
            )
        Alert.objects.filter(pk__in=[alert.pk for alert in failed]).update(
            status=DeliveryStatus.FAILED,
            attempts=F("attempts") + 1,
            last_error=Case(
                *(When(pk=alert.pk, then=Value(error[:2000])) for alert, error in failed.items())
            ),
            next_attempt_at=Case(
                *(When(pk=alert.pk, then=Value(now + _backoff(alert.attempts + 1))) for alert in failed)
            ),
        )
    counts = {DeliveryStatus.SENT: len(sent), DeliveryStatus.FAILED: len(failed)}
    return {status: count for status, count in counts.items() if count}


def _send_batch(size, deadline) -> tuple[int, dict]:
    """One transaction: lock up to `size` ready alerts, send them, record the outcomes. Returns how
    many it claimed and how many were sent and failed; those it had no time for stay as they were."""
    with transaction.atomic():
        batch = _claim_batch(SENT_BY_SWEEPER, size)
        outcomes = {}
        with channels.Outbox() as outbox:
            for alert in batch:
                if time.monotonic() >= deadline:
                    break
                outcomes[alert] = outbox.send(alert)
        return len(batch), _record(outcomes)


def deliver_pending(*, seconds=SWEEP_SECONDS) -> dict:
    """Send every email and webhook alert that is ready, ALERT_SEND_BATCH locked rows at a time.

    A batch is one transaction: BEGIN, claim, send its emails over one connection to the mail server,
    record the outcomes (one UPDATE for those sent, one for those failed), COMMIT: 0.2 queries per
    email at the default batch of 20. Its rows stay locked until then, so a second worker skips them.
    A worker killed mid-batch leaves the whole batch pending again, and the emails it had already
    handed to the mail server go out a second time after the restart, with the same Message-ID: the
    batch size bounds that window. (Keeping it to the one email in flight would take a commit after
    every send, more than one query per email.) Alerts a batch had no time for before the sweep's
    deadline stay as they were, for the next sweep.
    """
    counts = Counter()
    deadline = time.monotonic() + seconds
    size = settings.ALERT_SEND_BATCH
    while time.monotonic() < deadline:
        claimed, outcome = _send_batch(size, deadline)
        counts.update(outcome)
        if claimed < size:
            # A short batch: nothing else is ready, or what is ready is locked by another worker.
            break
    return dict(counts)


def send_digests() -> int:
    """One email per person bundling their digest alerts; returns how many digests were sent."""
    sent = 0
    user_ids = set(
        Alert.objects.ready_to_send().filter(channel=Channel.DIGEST).values_list("recipient_id", flat=True)
    )
    with channels.Outbox() as outbox:
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
                error = outbox.send_digest(alerts[0].recipient, alerts)
                _record(dict.fromkeys(alerts, error))
                sent += error is None
    return sent


def mark_read(*, user, alert_ids=None) -> int:
    alerts = Alert.objects.for_recipient(user).unread()
    if alert_ids is not None:
        alerts = alerts.filter(pk__in=alert_ids)
    return alerts.update(read_at=timezone.now())

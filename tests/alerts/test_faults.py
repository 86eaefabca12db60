"""Fault scenarios with real processes: workers killed with SIGKILL, two beats, beat down across a due
time. Workers and beats run as subprocesses against the test database and the real Redis broker."""

import json
import signal
from collections import Counter
from datetime import timedelta
from importlib import import_module

import pytest
import redis
from django.apps import apps
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from alerts import services
from alerts.models import Alert, Channel, DeliveryStatus
from tests.alerts.days import contract_reviewed_on
from tests.alerts.processes import broker_idle, wait_for
from tests.factories import VendorFactory
from vendors.models import VendorStatus

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

DAILY = "alerts: daily deadlines"
SEND = "alerts: send pending alerts"


def seed_schedules():
    """The transactional tests start from an empty database: put the migration's schedules back."""
    import_module("alerts.migrations.0002_seed_schedules").seed(apps, None)


def every_second(name):
    """What an admin does to make a job run every second instead of on its crontab."""
    every, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    task = PeriodicTask.objects.get(name=name)
    task.crontab, task.interval, task.expire_seconds = None, every, None
    task.save()


def reviews_due_today(count):
    today = timezone.localdate()
    for number in range(count):
        contract_reviewed_on(
            today,
            # Still onboarding: no periodic reviews, whose reminders depend on the day of the month.
            vendor=VendorFactory(name=f"Vendor {number:02d}", status=VendorStatus.ONBOARDING),
            reference=f"C{number:02d}",
        )


def sent_once(processes, expected):
    ids = Counter(message["message_id"] for message in processes.sent())
    assert len(ids) == expected, processes.logs()
    assert max(ids.values()) == 1, f"duplicates: {[i for i, n in ids.items() if n > 1]}"


def recorded_as_sent():
    return {
        f"<alert-{pk}@bporeg>"
        for pk in Alert.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).values_list(
            "pk", flat=True
        )
    }


def test_a_worker_killed_mid_batch_loses_nothing_and_resends_only_that_batch(processes, manager):
    reviews_due_today(20)
    services.run_job("daily", today=timezone.localdate())  # commits, then enqueues the sending task
    first = processes.worker(ALERT_SEND_BATCH="4", ALERTS_TEST_SEND_DELAY="1.0")
    # Killed once its first batch is recorded and the second has handed two emails to the mail server.
    wait_for(
        lambda: len(recorded_as_sent()) >= 4 and len(processes.sent()) >= len(recorded_as_sent()) + 2,
        what="a batch recorded and two emails of the next one sent",
        processes=processes,
    )
    processes.stop(first, signal.SIGKILL)

    recorded = recorded_as_sent()
    sent_before = [message["message_id"] for message in processes.sent()]
    in_flight = set(sent_before) - recorded
    assert len(recorded) % 4 == 0, "batches are recorded whole"
    assert 1 <= len(in_flight) <= 4, "only the killed batch was sent but not recorded"
    assert redis.Redis.from_url(processes.broker_url).hlen("unacked") == 1, (
        "the killed task awaits redelivery"
    )

    processes.worker()
    # Redis redelivers the killed worker's message (acks late): it sends the rest.
    wait_for(
        lambda: len(recorded_as_sent()) == 20,
        what="all 20 emails recorded",
        processes=processes,
    )
    wait_for(lambda: broker_idle(processes.broker_url), what="the queue to drain", processes=processes)
    messages = processes.sent()
    ids = Counter(message["message_id"] for message in messages)
    assert len(ids) == 20, "nothing lost"
    # Sent twice: exactly the killed batch's emails, each time the same message with the same Message-ID.
    assert {message_id for message_id, count in ids.items() if count > 1} == in_flight
    assert max(ids.values()) == 2
    for message_id in in_flight:
        first_copy, second_copy = (message for message in messages if message["message_id"] == message_id)
        assert first_copy == second_copy
    # A beat tick after the restart finds nothing left to send.
    services.schedule_delivery()
    services.deliver_pending()
    assert len(processes.sent()) == len(messages)
    assert set(Alert.objects.filter(channel=Channel.EMAIL).values_list("status", flat=True)) == {"sent"}


def test_two_beat_processes_for_a_cycle_send_one_reminder_each(processes, manager):
    seed_schedules()
    every_second(DAILY)
    every_second(SEND)
    reviews_due_today(3)
    processes.worker(pool="prefork")
    beats = [processes.beat(), processes.beat()]
    wait_for(
        lambda: processes.logs().count(f"Sending due task {DAILY}") >= 6,
        what="several ticks",
        processes=processes,
    )
    wait_for(lambda: len(processes.sent()) >= 3, what="the reminders", processes=processes)
    for beat in beats:
        processes.stop(beat)
    wait_for(lambda: broker_idle(processes.broker_url), what="the queue to drain", processes=processes)
    sent_once(processes, 3)
    assert sorted(m["subject"].split(":")[0] for m in processes.sent()) == [
        "[bporeg] Vendor 00",
        "[bporeg] Vendor 01",
        "[bporeg] Vendor 02",
    ]


def test_beat_stopped_across_the_due_time_sends_the_missed_reminder_once(processes, manager):
    seed_schedules()
    reviews_due_today(1)
    # The daily job last ran two days ago: beat was down when yesterday's 07:30 run was due.
    daily = PeriodicTask.objects.get(name=DAILY)
    daily.last_run_at = timezone.now() - timedelta(days=2)
    daily.save()
    processes.worker()
    beat = processes.beat()
    wait_for(lambda: len(processes.sent()) == 1, what="the missed reminder", processes=processes)
    # Killed before it could save its state, beat may run the job again at restart: still one email.
    processes.stop(beat, signal.SIGKILL)
    beat = processes.beat()
    wait_for(
        lambda: processes.log_of(beat).count("beat: Waking up") >= 3,
        what="beat to tick after its restart",
        processes=processes,
    )
    wait_for(lambda: broker_idle(processes.broker_url), what="the queue to drain", processes=processes)
    processes.stop(beat)
    sent_once(processes, 1)
    [message] = processes.sent()
    assert "yearly review of contract C00 is due today" in message["subject"]
    assert PeriodicTask.objects.get(name=DAILY).total_run_count <= 2


def test_email_parts_and_links_from_a_worker_process(processes, manager):
    reviews_due_today(1)
    services.run_job("daily", today=timezone.localdate())
    processes.worker()
    wait_for(lambda: len(processes.sent()) == 1, what="the email", processes=processes)
    [message] = processes.sent()
    assert "http://127.0.0.1:8000/vendors/vendor-00/" in message["text"]
    assert 'href="http://127.0.0.1:8000/vendors/vendor-00/"' in message["html"]
    assert json.loads(json.dumps(message))["to"] == [manager.email]

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


def test_a_worker_killed_mid_run_loses_nothing_and_sends_nothing_twice(processes, manager):
    reviews_due_today(20)
    services.run_job("daily", today=timezone.localdate())  # commits, then enqueues the sending task
    first = processes.worker(ALERTS_TEST_SEND_DELAY="1.0")

    def five_sent_and_recorded():
        # Kill while the worker waits before its next send, not in the instant between an email leaving
        # and its row being committed: that instant is the one case SMTP leaves to "at least once".
        recorded = Alert.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count()
        return recorded >= 5 and recorded == len(processes.sent())

    wait_for(five_sent_and_recorded, what="five emails sent and recorded", processes=processes)
    processes.stop(first, signal.SIGKILL)

    sent_before = len(processes.sent())
    assert Alert.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT).count() == sent_before
    assert redis.Redis.from_url(processes.broker_url).hlen("unacked") == 1, (
        "the killed task awaits redelivery"
    )

    processes.worker()
    # Redis redelivers the killed worker's message (acks late): it sends the rest, and nothing twice.
    wait_for(
        lambda: len(processes.sent()) == 20 and broker_idle(processes.broker_url),
        what="all 20 emails",
        processes=processes,
    )
    sent_once(processes, 20)
    # A beat tick after the restart finds nothing left to send.
    services.schedule_delivery()
    services.deliver_pending()
    sent_once(processes, 20)
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

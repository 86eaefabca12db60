"""Delivery through the real Redis broker and a real Celery worker (celery's test worker, in process)."""

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import connection
from django.utils import timezone

from alerts import services
from alerts.models import Alert, Channel, DeliveryStatus
from alerts.tasks import run_scheduled_job
from bporeg.celery import app
from tests.alerts.processes import broker_idle, wait_for
from tests.factories import ContractFactory, VendorFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

received = []


@app.task(name="tests.alerts.record_arguments")
def record_arguments(*args, **kwargs):
    received.append((args, kwargs))


@pytest.fixture
def worker(broker_url):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"):
        yield broker_url


def wait_until_idle(broker_url):
    wait_for(
        lambda: (
            broker_idle(broker_url)
            and not Alert.objects.filter(status=DeliveryStatus.PENDING)
            .exclude(channel=Channel.DIGEST)
            .exists()
        ),
        what="the worker to finish",
    )


def test_two_beat_ticks_in_a_row_send_one_email(worker, manager):
    today = timezone.localdate()
    ContractFactory(vendor=VendorFactory(name="Acme"), reference="A", next_review_date=today)
    ContractFactory(vendor=VendorFactory(name="Bravo"), reference="B", end_date=today + timedelta(days=2))
    # What beat does on each tick: enqueue the task with its kwargs from the PeriodicTask row.
    run_scheduled_job.apply_async(kwargs={"job": "daily"})
    run_scheduled_job.apply_async(kwargs={"job": "daily"})
    wait_until_idle(worker)
    assert sorted(message.subject for message in mail.outbox) == [
        "[bporeg] Acme: yearly review of contract A is due today",
        f"[bporeg] Bravo: contract B ends on {today + timedelta(days=2):%-d %B %Y}",
    ]


def test_task_arguments_survive_json_serialization_through_the_broker(worker, manager):
    received.clear()
    arguments = {
        "period": date(2026, 3, 29),
        "value": Decimal("97.5500"),
        "ids": [2**53 + 1, 7],
        "iso": "2026-10-25",
    }
    record_arguments.apply_async(kwargs=arguments)
    wait_for(lambda: received, what="the task to run")
    [(args, kwargs)] = received
    assert kwargs == arguments
    assert type(kwargs["period"]) is date and type(kwargs["value"]) is Decimal

    # The alert job takes its date as ISO text (what the admin shows) or as a date: same day either way.
    ContractFactory(reference="R", next_review_date=date(2026, 3, 29))
    run_scheduled_job.apply_async(kwargs={"job": "daily", "today": "2026-03-29"})
    run_scheduled_job.apply_async(kwargs={"job": "daily", "today": date(2026, 3, 29)})
    wait_until_idle(worker)
    assert list(Alert.objects.filter(channel=Channel.EMAIL).values_list("due_on", "status")) == [
        (date(2026, 3, 29), DeliveryStatus.SENT)
    ]
    assert len(mail.outbox) == 1


def test_concurrent_sweeps_send_one_reminder_each(manager):
    """Four sweeps at once (two beats, a manual run, a retried task) over the same due items."""
    today = timezone.localdate()
    for number in range(20):
        ContractFactory(
            vendor=VendorFactory(name=f"V{number}"), reference=f"C{number}", next_review_date=today
        )
    barrier = threading.Barrier(4)
    errors = []

    def sweep():
        try:
            barrier.wait()
            services.run_job("daily", today=today)
            services.deliver_pending()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(mail.outbox) == 20
    assert len({message.subject for message in mail.outbox}) == 20
    assert Alert.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT, attempts=1).count() == 20

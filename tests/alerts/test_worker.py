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
from tests.alerts.days import contract_reviewed_on, task_of
from tests.alerts.processes import broker_idle, wait_for
from tests.factories import CertificationFactory, ContractFactory, VendorFactory
from tests.reviews.factories import ActionItemFactory, ReviewFactory
from vendors.models import VendorStatus

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
    # Vendors still onboarding have no periodic reviews, whose reminders depend on the day of the month.
    onboarding = VendorStatus.ONBOARDING
    contract_reviewed_on(today, vendor=VendorFactory(name="Acme", status=onboarding), reference="A")
    ContractFactory(
        vendor=VendorFactory(name="Bravo", status=onboarding),
        reference="B",
        end_date=today + timedelta(days=2),
    )
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
        contract_reviewed_on(
            today,
            vendor=VendorFactory(name=f"V{number}", status=VendorStatus.ONBOARDING),
            reference=f"C{number}",
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


def test_two_daily_ticks_send_one_email_per_due_item_for_tasks_items_and_certifications(
    worker, manager, vendor_a, staff_a, vendor_b, staff_b
):
    today = timezone.localdate()
    # Both still onboarding: no periodic reviews, whose reminders depend on the day of the month
    # (vendor B is there so that its staff, who must receive nothing, exist).
    vendor_a.status, vendor_a.owner = VendorStatus.ONBOARDING, manager
    vendor_a.save()
    vendor_b.status = VendorStatus.ONBOARDING
    vendor_b.save()
    task_of(vendor_a, title="Soon", due_date=today + timedelta(days=2))
    task_of(vendor_a, title="Late", due_date=today - timedelta(days=1))
    task_of(vendor_a, title="Very late", due_date=today - timedelta(days=8))
    review = ReviewFactory(vendor=vendor_a, period_start=date(2020, 1, 1), period_end=date(2020, 1, 31))
    ActionItemFactory(review=review, title="Fix the IVR", due_date=today - timedelta(days=3))
    CertificationFactory(vendor=vendor_a, expires_on=today + timedelta(days=20))
    CertificationFactory(vendor=vendor_a, kind="pci_dss", expires_on=today - timedelta(days=1))
    run_scheduled_job.apply_async(kwargs={"job": "daily"})
    run_scheduled_job.apply_async(kwargs={"job": "daily"})
    wait_until_idle(worker)

    def day(days):
        return f"{today + timedelta(days=days):%-d %B %Y}"

    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        (manager.email, f"[bporeg] Acme Support: ISO/IEC 27001 expires on {day(20)}, within 30 days"),
        (manager.email, f"[bporeg] Acme Support: PCI DSS expired on {day(-1)}"),
        (
            manager.email,
            f"[bporeg] Acme Support: onboarding task “Very late” is 8 days overdue (due {day(-8)})",
        ),
        (
            staff_a.email,
            f"[bporeg] Acme Support: action item “Fix the IVR” is 3 days overdue (due {day(-3)})",
        ),
        (staff_a.email, f"[bporeg] Acme Support: onboarding task “Late” is 1 day overdue (due {day(-1)})"),
        (staff_a.email, f"[bporeg] Acme Support: onboarding task “Soon” is due on {day(2)}"),
        (
            staff_a.email,
            f"[bporeg] Acme Support: onboarding task “Very late” is 8 days overdue (due {day(-8)})",
        ),
    ]
    assert Alert.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT, attempts=1).count() == 7

"""SLA breach and warning alerts when a measurement is recorded, and the "on watch" rule."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from alerts.measurements import SLA_BREACH, SLA_WARNING, VENDOR_ON_WATCH
from alerts.models import Alert, Channel, DeliveryStatus
from kpis.models import Source
from kpis.services import record_measurement
from tests.alerts.factories import SLATargetFactory
from tests.kpis.factories import kpi
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def early_march_2026():
    # Alerts are raised for the last two months' periods: January and February 2026 are recent here.
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Europe/Berlin")), tick=False):
        yield


@pytest.fixture
def target(vendor_a, manager):
    return SLATargetFactory(sla__vendor=vendor_a)


def record(target, value, period=date(2026, 2, 1)):
    measurement, _ = record_measurement(
        vendor=target.sla.vendor, kpi=target.kpi, period=period, value=Decimal(value), source=Source.MANUAL
    )
    return measurement


def test_a_breach_alerts_the_manager_in_the_same_transaction(
    target, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        record(target, "84.50")
    email = Alert.objects.get(kind=SLA_BREACH, channel=Channel.EMAIL)
    assert (email.recipient, email.status, email.due_on) == (
        manager,
        DeliveryStatus.PENDING,
        date(2026, 2, 1),
    )
    assert email.title == "Acme Support: Customer satisfaction (CSAT) breached its SLA target (February 2026)"
    assert "is 84.5 against a target of 90" in email.message
    assert Alert.objects.filter(kind=SLA_BREACH, channel=Channel.IN_APP, status=DeliveryStatus.SENT).exists()
    assert len(callbacks) == 1, "sending is enqueued after commit"


def test_a_warning_and_a_met_target(target):
    record(target, "87", period=date(2026, 1, 1))
    record(target, "95", period=date(2026, 2, 1))
    assert list(Alert.objects.filter(channel=Channel.EMAIL).values_list("kind", "due_on")) == [
        (SLA_WARNING, date(2026, 1, 1))
    ]


def test_correcting_a_measurement_does_not_repeat_the_alert(target):
    record(target, "80")
    record(target, "81")
    assert Alert.objects.filter(kind=SLA_BREACH, channel=Channel.EMAIL).count() == 1


def test_a_rolled_back_measurement_leaves_no_alert(target, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record(target, "70")
        raise RuntimeError("the import failed further down")
    assert not Alert.objects.exists()
    assert callbacks == []


def test_the_target_in_force_in_the_period_judges(target):
    target.effective_to = date(2026, 2, 1)
    target.save()
    SLATargetFactory(
        sla=target.sla,
        breach_threshold=Decimal("70"),
        warning_threshold=Decimal("75"),
        effective_from=date(2026, 2, 1),
    )
    record(target, "80", period=date(2026, 1, 1))
    record(target, "80", period=date(2026, 2, 1))
    assert list(Alert.objects.filter(channel=Channel.EMAIL).values_list("kind", "due_on")) == [
        (SLA_BREACH, date(2026, 1, 1))
    ]


def test_three_breaches_in_a_row_put_the_vendor_on_watch(target, vendor_a):
    record(target, "80", period=date(2025, 12, 1))
    record(target, "80", period=date(2026, 1, 1))
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.ACTIVE
    record(target, "80", period=date(2026, 2, 1))
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.ON_WATCH
    assert vendor_a.history.first().status == VendorStatus.ON_WATCH
    assert Alert.objects.filter(kind=VENDOR_ON_WATCH, channel=Channel.EMAIL).count() == 1
    record(target, "80", period=date(2026, 3, 1))
    assert Alert.objects.filter(kind=VENDOR_ON_WATCH, channel=Channel.EMAIL).count() == 1


def test_a_gap_or_a_warning_breaks_the_streak(target, vendor_a):
    record(target, "80", period=date(2025, 11, 1))
    record(target, "80", period=date(2026, 1, 1))
    record(target, "80", period=date(2026, 2, 1))
    record(target, "87", period=date(2026, 3, 1))
    record(target, "80", period=date(2026, 4, 1))
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.ACTIVE


def test_back_filled_history_raises_no_alert(target, vendor_a):
    for month in (9, 10, 11):
        record(target, "70", period=date(2025, month, 1))
    assert not Alert.objects.exists()
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.ACTIVE


def test_an_import_of_many_breaches_raises_their_alerts_in_a_fixed_number_of_queries(
    target, django_assert_max_num_queries
):
    from kpis.services import Entry, record_measurements

    other = SLATargetFactory(sla=target.sla, kpi=kpi("fcr"))
    entries = [
        Entry(target.sla.vendor_id, kpi.pk, date(2026, month, 1), Decimal("50"))
        for kpi in (target.kpi, other.kpi)
        for month in (1, 2)
    ]
    with django_assert_max_num_queries(20):
        record_measurements(entries=entries, source=Source.IMPORT)
    assert Alert.objects.filter(kind=SLA_BREACH, channel=Channel.EMAIL).count() == 4

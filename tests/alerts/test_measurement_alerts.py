"""SLA breach and warning alerts when a measurement is recorded, and the "on watch" rule."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.measurements import SLA_BREACH, SLA_WARNING, VENDOR_ON_WATCH
from alerts.models import Alert, Channel, DeliveryStatus
from alerts.services import deliver_pending
from kpis.models import Measurement, Source
from kpis.services import Entry, confirm_import, record_measurement, record_measurements, stage_import
from tests.alerts.factories import SLATargetFactory
from tests.factories import VendorFactory
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


def test_a_warning_that_becomes_a_breach_alerts_again(target):
    record(target, "87")
    record(target, "80")
    assert list(
        Alert.objects.filter(channel=Channel.EMAIL).order_by("id").values_list("kind", flat=True)
    ) == [
        SLA_WARNING,
        SLA_BREACH,
    ]


FEB, JAN = date(2026, 2, 1), date(2026, 1, 1)
# Per vendor: CSAT breached in January and February, FCR close to breaching, service level met.
MONTH_OF_MISSES = [
    ("csat", JAN, "80"),
    ("csat", FEB, "84.5"),
    ("fcr", FEB, "87"),
    ("service-level", FEB, "95"),
]


def targets_for(vendor):
    sla = SLATargetFactory(sla__vendor=vendor).sla
    for code in ("fcr", "service-level"):
        SLATargetFactory(sla=sla, kpi=kpi(code))


def import_values(vendors, rows, user):
    entries = [
        Entry(v.pk, kpi(code).pk, period, Decimal(value)) for v in vendors for code, period, value in rows
    ]
    staged = stage_import(uploaded_by=user, file_name="february.csv", entries=entries)
    return confirm_import(measurement_import=staged, user=user)


@pytest.fixture
def three_vendors(vendor_a, vendor_b):
    vendors = [vendor_a, vendor_b, VendorFactory(name="Cobalt Care")]
    for vendor in vendors:
        targets_for(vendor)
    return vendors


def test_an_import_alerts_each_vendor_once_per_recipient_and_channel_listing_its_missed_kpis(
    three_vendors, manager
):
    import_values(three_vendors, MONTH_OF_MISSES, manager)
    alerts = Alert.objects.filter(kind__in=[SLA_BREACH, SLA_WARNING])
    assert sorted(alerts.values_list("vendor__name", "recipient", "channel")) == [
        (vendor.name, manager.pk, channel)
        for vendor in sorted(three_vendors, key=lambda v: v.name)
        for channel in sorted([Channel.EMAIL, Channel.IN_APP])
    ]
    email = alerts.get(vendor=three_vendors[0], channel=Channel.EMAIL)
    assert (email.kind, email.due_on) == (SLA_BREACH, FEB)
    assert email.title == (
        "Acme Support: 3 KPIs missed their SLA targets, 2 breached and 1 close to breaching "
        "(January 2026 to February 2026)"
    )
    assert email.message.splitlines() == [
        "Customer satisfaction (CSAT) for January 2026 is 80 against a target of 90 "
        "(warning past 88, breach past 85): breached.",
        "Customer satisfaction (CSAT) for February 2026 is 84.5 against a target of 90 "
        "(warning past 88, breach past 85): breached.",
        "First call resolution for February 2026 is 87 against a target of 90 "
        "(warning past 88, breach past 85): close to breaching.",
    ]


def test_reimporting_the_same_values_raises_nothing(three_vendors, manager):
    import_values(three_vendors, MONTH_OF_MISSES, manager)
    before = Alert.objects.count()
    result = import_values(three_vendors, MONTH_OF_MISSES, manager)
    assert result.unchanged == 12
    assert Alert.objects.count() == before


def test_a_later_import_with_a_new_miss_in_the_same_month_is_alerted_too(three_vendors, manager):
    vendor = three_vendors[0]
    import_values([vendor], [("csat", FEB, "80")], manager)
    import_values([vendor], [("csat", FEB, "80"), ("fcr", FEB, "70")], manager)
    emails = Alert.objects.filter(vendor=vendor, channel=Channel.EMAIL).order_by("id")
    assert [(e.kind, e.due_on, e.title) for e in emails] == [
        (
            SLA_BREACH,
            FEB,
            "Acme Support: Customer satisfaction (CSAT) breached its SLA target (February 2026)",
        ),
        (SLA_BREACH, FEB, "Acme Support: First call resolution breached its SLA target (February 2026)"),
    ]


def test_the_email_and_the_in_app_notification_list_the_kpis(three_vendors, manager, client_for):
    import_values(three_vendors[:1], MONTH_OF_MISSES, manager)
    deliver_pending()
    [message] = mail.outbox
    html, _ = message.alternatives[0]
    for line in Alert.objects.get(channel=Channel.EMAIL).message.splitlines():
        assert line in message.body
        assert f"<li>{line}</li>" in html
    page = client_for(manager).get(reverse("alerts:list")).content.decode()
    assert "First call resolution for February 2026 is 87" in page
    assert "is 80 against a target of 90 (warning past 88, breach past 85): breached.<br>" in page


def test_the_alerts_of_an_import_cost_the_same_queries_for_1_or_2_vendors(three_vendors, manager):
    def queries(vendors):
        entries = [
            Entry(v.pk, kpi(c).pk, p, Decimal(value)) for v in vendors for c, p, value in MONTH_OF_MISSES
        ]
        with CaptureQueriesContext(connection) as captured:
            record_measurements(entries=entries, source=Source.IMPORT)
        return len(captured)

    # The app looks the alert subject's content type up once per process.
    ContentType.objects.get_for_model(Measurement.history.model)
    counts = [queries(three_vendors[:1]), queries(three_vendors[1:])]
    assert counts[0] == counts[1] <= 20
    assert Alert.objects.filter(channel=Channel.EMAIL).count() == 3

"""Refreshing the stored health: fixed queries at any size, and the triggers that keep it fresh."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from costs.value import VALUE_QUERIES
from kpis.services import Entry, record_measurements
from portfolio import tasks
from portfolio.models import PortfolioSnapshot, VendorHealth
from portfolio.services import refresh_vendor_health
from tests.factories import VendorFactory
from tests.kpis.factories import kpi
from tests.portfolio.builders import PERIOD, TODAY, on_target, sla_for
from tests.relationship.factories import IssueFactory
from tests.reviews.factories import ActionItemFactory, RiskFactory

pytestmark = pytest.mark.django_db
# vendors, targets, measurements, tasks, action items, reviews, contracts, risks, open issues, survey
# ratings, exchange rates, approved invoices; upsert, delete; read every vendor's history, count the live
# risks, the value tile (costs/value.py: VALUE_QUERIES), upsert the portfolio snapshot; savepoint and release.
REFRESH_QUERIES = 19 + VALUE_QUERIES


def grow(count, manager):
    vendors = []
    for number in range(count):
        vendor = VendorFactory(name=f"Grown {number:03d}", owner=manager)
        sla_for(vendor)
        on_target(vendor, months=3)
        RiskFactory(vendor=vendor, owner=manager)
        IssueFactory(vendor=vendor, raised_by=manager)
        vendors.append(vendor)
    return vendors


@pytest.mark.parametrize("count", [2, 25])
def test_refresh_costs_the_same_queries_at_any_size(manager, count):
    grow(count, manager)
    with CaptureQueriesContext(connection) as queries:
        assert refresh_vendor_health(today=TODAY) == count
    assert len(queries) == REFRESH_QUERIES
    assert VendorHealth.objects.count() == count


def test_refreshing_some_vendors_leaves_the_others_alone(manager):
    first, second = grow(2, manager)
    refresh_vendor_health(today=TODAY)
    before = VendorHealth.objects.get(vendor=second).refreshed_at
    refresh_vendor_health([first.pk], today=TODAY)
    assert VendorHealth.objects.get(vendor=second).refreshed_at == before
    assert VendorHealth.objects.get(vendor=first).refreshed_at > before


def test_the_snapshot_charts_adherence_and_spend_per_month(manager):
    grow(2, manager)
    refresh_vendor_health(today=TODAY)
    snapshot = PortfolioSnapshot.objects.get()
    last = snapshot.adherence[-1]
    assert (last["period"], last["average"], last["vendors"]) == (PERIOD.isoformat(), 100.0, 2)
    # Cost per contact 3.20 × 5,000 contacts per vendor, against 20,000 fees each.
    assert snapshot.spend[-1] == {"period": "2026-10-01", "spend": 32000, "budget": 40000, "vendors": 2}


def test_the_history_keeps_twelve_months_for_the_sparkline_and_the_charts(manager):
    (vendor,) = grow(1, manager)
    refresh_vendor_health(today=TODAY)
    health = VendorHealth.objects.get(vendor=vendor)
    assert len(health.history) == 12
    assert health.trend == [None, None, None, 100.0, 100.0, 100.0]


def test_the_task_refreshes_by_ids_and_date(manager):
    (vendor,) = grow(1, manager)
    assert tasks.refresh_health(vendor_ids=[vendor.pk], today="2026-11-20") == 1
    assert VendorHealth.objects.get(vendor=vendor).period == PERIOD


def test_writes_in_one_transaction_enqueue_one_refresh_of_their_vendors(
    manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first, second, _untouched = grow(3, manager)
    batches = [c for c in callbacks if getattr(c, "__qualname__", "") == "_Batch.send"]
    assert len(batches) == 1
    batch = batches[0].__self__
    batch.vendor_ids.clear()
    record_measurements(
        entries=[Entry(v.pk, kpi("csat").pk, date(2026, 11, 1), 80) for v in (first, second)], source="manual"
    )
    ActionItemFactory(review__vendor=second)
    assert batch.vendor_ids == {first.pk, second.pk}


def test_beat_refreshes_every_few_minutes_and_nightly():
    schedules = PeriodicTask.objects.filter(task="portfolio.refresh_health").select_related("crontab")
    assert sorted((s.crontab.minute, s.crontab.hour) for s in schedules) == [("*/5", "*"), ("5", "0")]
    assert all(s.expire_seconds for s in schedules)

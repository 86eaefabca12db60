"""One daily run over every kind: a fixed number of SQL queries whatever the number of vendors, and
each vendor's staff told only about their own vendor."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import F

from accounts.models import Role
from alerts import services
from alerts.due import CONTRACT_REVIEW
from alerts.models import Alert, AlertPreference, Channel, EmailMode, Webhook
from reviews.models import Review
from tests.alerts.days import action_item_of, task_of
from tests.factories import CertificationFactory, ContractFactory, VendorFactory, make_user

pytestmark = pytest.mark.django_db
# The March reviews' first reminder is caught up and their second reminder is due (10 April).
TODAY = date(2026, 4, 8)
DAY = timedelta(days=1)
# Per kind: its items and the directory of people (the selection kinds: their items, and the directory
# for the two questionnaire kinds); per batch of alerts: recipients, preferences, webhooks, content
# types, one INSERT; creating the period's reviews; opening the quarter's surveys (vendors, existing,
# INSERT); the exit tasks overdue (its items and the directory); the issues past their resolution time;
# ANALYZE; the savepoint.
QUERIES = 71


def seed_vendors(count, owner):
    for number in range(count):
        vendor = VendorFactory(name=f"Bulk {count}-{number}", owner=owner if number % 2 else None)
        make_user(f"staff-{count}-{number}", Role.VENDOR_STAFF, vendor=vendor)
        for offset in (2, -1, -8):
            task_of(vendor, due_date=TODAY + offset * DAY)
            action_item_of(vendor, due_date=TODAY + offset * DAY)
        CertificationFactory(vendor=vendor, expires_on=TODAY + 30 * DAY)
        CertificationFactory(vendor=vendor, expires_on=TODAY - DAY)
        ContractFactory(
            vendor=vendor, end_date=TODAY + 3 * DAY, renewal_notice_days=2, next_review_date=TODAY
        )


@pytest.mark.parametrize("count", [3, 30])
def test_a_daily_run_makes_the_same_number_of_queries_for_3_or_30_vendors(
    count, manager, django_assert_num_queries
):
    seed_vendors(count, manager)
    # A webhook for every alert and a person who wants one kind in the digest: still no query per item.
    Webhook.objects.create(name="Ops", service=Channel.SLACK, url="https://hooks.example/ops")
    AlertPreference.objects.create(user=manager, kind=CONTRACT_REVIEW, email=EmailMode.DIGEST)
    ContentType.objects.clear_cache()  # the same lookups whichever test ran first
    with django_assert_num_queries(QUERIES):
        services.run_job("daily", today=TODAY)
    assert Review.objects.filter(period_start=date(2026, 3, 1)).count() == count
    per_vendor = Alert.objects.filter(vendor__name=f"Bulk {count}-0").order_by().values("kind", "object_id")
    # Four each for its tasks and items (due soon, overdue twice, escalated), three contract dates, two
    # certifications, two review reminders, and the two Q1 surveys opened on 1 April.
    assert per_vendor.distinct().count() == 4 + 4 + 3 + 2 + 2 + 2
    assert Alert.objects.order_by().values("kind", "object_id").distinct().count() == count * 17
    assert Alert.objects.filter(channel=Channel.SLACK).count() == count * 17
    assert Alert.objects.filter(channel=Channel.DIGEST, recipient=manager).count() == count


def test_vendor_staff_get_only_their_own_vendors_alerts(manager):
    seed_vendors(4, manager)
    for day in range(14):
        services.run_job("daily", today=TODAY + day * DAY)
    staff_alerts = Alert.objects.filter(recipient__profile__role=Role.VENDOR_STAFF)
    assert staff_alerts.count() > 4 * 8
    assert not staff_alerts.exclude(vendor_id=F("recipient__profile__vendor_id")).exists()

"""How long one daily alert run takes, and how many SQL queries it makes, at 10 and 1,000 vendors.

    DATABASE_URL=postgres://… python bench/alerts_bench.py

Works in a throwaway test database (created and dropped here). Each vendor gets a staff user, a
contract whose end date, renewal-notice date and yearly review all fall due, an onboarding plan of
twelve tasks (one due soon, one overdue, one to escalate), last month's review with six action items
(the same three due, the rest later or done), four certifications (one crossing the 30-day mark, one
expired, two valid), and an owner for half of them. The daily run (which also creates the period's
reviews and catches up their first reminders) must make the same number of queries at any size;
sending is per alert by design (lock, send, record: each alert is its own unit of work) and is shown
separately.
"""

import os
import sys
import time
from collections import deque
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bporeg.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402

from accounts.models import Profile, Role  # noqa: E402
from alerts import services  # noqa: E402
from alerts.models import Alert  # noqa: E402
from reviews.models import ActionItem, ActionItemStatus, Owner, Review  # noqa: E402
from vendors.models import (  # noqa: E402
    Certification,
    Contract,
    OnboardingPlan,
    OnboardingTask,
    Phase,
    Responsible,
    Vendor,
)

# The March reviews' first reminder is caught up and their second reminder is due (10 April).
TODAY = date(2026, 4, 8)
DUE_OFFSETS = (2, -1, -8)  # due soon, overdue, past the escalation delay
LATER_OFFSETS = (30, 45, 60, 75, 90, 120, 150, 180, 210)  # not due yet


def _managers():
    User = get_user_model()
    managers = []
    for name in ("maya", "lars"):
        user, created = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.com"})
        if created:
            Profile.objects.create(user=user, role=Role.MANAGER)
        managers.append(user)
    return managers


def _staff(vendors, prefix):
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"{prefix}-staff-{n}", email=f"{prefix}-staff-{n}@example.com")
            for n in range(len(vendors))
        ]
    )
    Profile.objects.bulk_create(
        [
            Profile(user=user, role=Role.VENDOR_STAFF, vendor=vendor)
            for user, vendor in zip(users, vendors, strict=True)
        ]
    )


def _onboarding(vendors, creator):
    plans = OnboardingPlan.objects.bulk_create(
        [
            OnboardingPlan(vendor=vendor, go_live=TODAY + timedelta(days=60), created_by=creator)
            for vendor in vendors
        ]
    )
    OnboardingTask.objects.bulk_create(
        [
            OnboardingTask(
                vendor_id=plan.vendor_id,
                plan=plan,
                phase=Phase.PRE_ONBOARDING,
                title=f"Task {offset}",
                responsible=Responsible.VENDOR,
                due_date=TODAY + timedelta(days=offset),
            )
            for plan in plans
            for offset in DUE_OFFSETS + LATER_OFFSETS
        ]
    )


def _reviews(vendors):
    reviews = Review.objects.bulk_create(
        [
            Review(
                vendor=vendor, cadence="monthly", period_start=date(2026, 3, 1), period_end=date(2026, 3, 31)
            )
            for vendor in vendors
        ]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                review=review,
                title=f"Action {offset}",
                owner=Owner.VENDOR if offset > 0 else Owner.INTERNAL,
                due_date=TODAY + timedelta(days=offset),
                status=ActionItemStatus.DONE if offset > 100 else ActionItemStatus.OPEN,
            )
            for review in reviews
            for offset in DUE_OFFSETS + (30, 60, 150)
        ]
    )


def seed(count, prefix):
    managers = _managers()
    vendors = Vendor.objects.bulk_create(
        [
            Vendor(
                name=f"{prefix} {n:04d}",
                slug=f"{prefix}-{n:04d}",
                status="active",
                owner=managers[0] if n % 2 else None,
            )
            for n in range(count)
        ]
    )
    Contract.objects.bulk_create(
        [
            Contract(
                vendor=vendor,
                reference=f"MSA-{n}",
                start_date=date(2024, 1, 1),
                end_date=TODAY + timedelta(days=5),
                renewal_notice_days=5,
                next_review_date=TODAY,
                monthly_fee=Decimal(20000),
            )
            for n, vendor in enumerate(vendors)
        ]
    )
    Certification.objects.bulk_create(
        [
            Certification(
                vendor=vendor, kind=kind, issued_on=date(2024, 1, 1), expires_on=TODAY + timedelta(days=days)
            )
            for vendor in vendors
            for kind, days in (("iso_27001", 30), ("pci_dss", -1), ("soc_2", 200), ("iso_9001", 400))
        ]
    )
    _staff(vendors, prefix)
    _onboarding(vendors, managers[0])
    _reviews(vendors)


def _clear():
    """Everything but the two managers, children first (the records protect their vendor)."""
    for model in (
        Alert,
        ActionItem,
        Review,
        OnboardingTask,
        OnboardingPlan,
        Certification,
        Contract,
        Profile,
    ):
        model.objects.exclude(**({"role": Role.MANAGER} if model is Profile else {})).delete()
    get_user_model().objects.filter(profile__isnull=True).delete()
    Vendor.objects.all().delete()


def measure(count):
    seed(count, f"bench{count}")
    ContentType.objects.clear_cache()  # both sizes look their content types up
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        services.run_job("daily", today=TODAY)
        elapsed = time.perf_counter() - started
    alerts = Alert.objects.count()
    with CaptureQueriesContext(connection) as send_queries:
        started = time.perf_counter()
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            sent = services.deliver_pending()
        send_elapsed = time.perf_counter() - started
    _clear()
    return elapsed, len(queries), alerts, send_elapsed, len(send_queries), sum(sent.values())


def main():
    setup_test_environment()
    # Keep every query of a sweep (Django keeps the last 9,000): sending is counted too.
    connection.queries_log = deque(maxlen=1_000_000)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(
            "Daily alert run (contracts, certifications, onboarding tasks, action items, reviews) on "
            + settings.DATABASES["default"]["ENGINE"]
        )
        for count in (10, 1000):
            elapsed, queries, alerts, send_elapsed, send_queries, sent = measure(count)
            print(
                f"{count:>5} vendors: run {elapsed * 1000:7.0f} ms, {queries:3d} queries"
                f" -> {alerts:5d} alert rows | sending {sent:5d} emails:"
                f" {send_elapsed:6.2f} s, {send_queries} queries"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()

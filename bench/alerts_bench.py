"""How long one daily alert run takes, and how many SQL queries it makes, at 10 and 1,000 vendors.

    DATABASE_URL=postgres://… python bench/alerts_bench.py

Works in a throwaway test database (created and dropped here). Each vendor gets a contract whose end
date, renewal-notice date and yearly review all fall due, an owner for half of them, and a breached
SLA measurement. The daily run's queries must not grow with the number of vendors; sending is per
alert by design (lock, send, record: each alert is its own unit of work) and is shown separately.
"""

import os
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bporeg.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402

from accounts.models import Profile, Role  # noqa: E402
from alerts import services  # noqa: E402
from alerts.models import Alert  # noqa: E402
from vendors.models import Contract, Vendor  # noqa: E402

TODAY = date(2026, 3, 10)


def seed(count, prefix):
    User = get_user_model()
    managers = []
    for name in ("maya", "lars"):
        user, created = User.objects.get_or_create(username=name, defaults={"email": f"{name}@example.com"})
        if created:
            Profile.objects.create(user=user, role=Role.MANAGER)
        managers.append(user)
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


def measure(count):
    Alert.objects.all().delete()
    seed(count, f"bench{count}")
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
    Contract.objects.filter(vendor__name__startswith=f"bench{count}").delete()
    Vendor.objects.filter(name__startswith=f"bench{count}").delete()
    return elapsed, len(queries), alerts, send_elapsed, len(send_queries), sum(sent.values())


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(
            "Daily alert run (contract end, renewal notice, yearly review) on "
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

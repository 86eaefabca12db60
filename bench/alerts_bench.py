"""Alert benchmark: one daily run and the sending of its emails at 10 and 1,000 vendors, beside the aims.

    python bench/alerts_bench.py [--vendors 1000] [--small 10]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bporeg_bench_alerts):
that database is dropped and rebuilt here. Runs with DEBUG on (no SECRET_KEY needed) and sends through
Django's locmem email backend, so the figures are bporeg's own cost, not a mail server's.

Each vendor gets a staff user, a contract whose end date, renewal-notice date and yearly review all
fall due, an onboarding plan of twelve tasks (one due soon, one overdue, one to escalate), last month's
review with six action items (the same three due, the rest later or done), four certifications (one
crossing the 30-day mark, one expired, two valid), and an owner for half of them. The daily run (which
also creates the period's reviews and catches up their first reminders) must make the same number of
queries at any size; sending claims, sends and records ALERT_SEND_BATCH alerts per transaction.
"""

import argparse
import os
import subprocess
import sys
import time
from collections import deque
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bporeg_bench_alerts"
BENCH_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
# Settings read the environment once, at setup: point them at the benchmark's own database first.
# Emails go to locmem's django.core.mail.outbox (without setup_test_environment, whose instrumented
# template rendering would be timed too).
os.environ.update(
    {
        "DATABASE_URL": BENCH_URL,
        "DEBUG": "true",
        "CELERY_BROKER_URL": "memory://",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bporeg.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core import mail  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Profile, Role  # noqa: E402
from alerts import services  # noqa: E402
from alerts.models import Alert  # noqa: E402
from relationship.models import Survey  # noqa: E402
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
                vendor_id=review.vendor_id,
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
        Survey,  # opened by the daily run on the first day of a quarter
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
        run_s = time.perf_counter() - started
    mail.outbox = []
    with CaptureQueriesContext(connection) as send_queries:
        started = time.perf_counter()
        # Every email of the run, however long it takes: the figure is the rate, not one sweep's share.
        sent = services.deliver_pending(seconds=3600)
        send_s = time.perf_counter() - started
    result = {
        "vendors": count,
        "run_s": run_s,
        "run_queries": len(queries),
        "alerts": Alert.objects.count(),
        "sent": sent.get("sent", 0),
        "emails": len(mail.outbox),
        "distinct": len({message.extra_headers["Message-ID"] for message in mail.outbox}),
        "send_s": send_s,
        "send_queries": len(send_queries),
    }
    _clear()
    return result


def rebuild_database():
    name = BENCH_URL.rsplit("/", 1)[1]
    maintenance = BENCH_URL.rsplit("/", 1)[0] + "/postgres"
    for command in (["dropdb", "--if-exists", name], ["createdb", name]):
        subprocess.run([command[0], "--maintenance-db", maintenance, *command[1:]], check=True)
    call_command("migrate", verbosity=0)


def row(label, figure, aim, passed):
    verdict = "" if passed is None else ("pass" if passed else "FAIL")
    print(f"  {label:<38}{figure:>16}   {aim:<26}{verdict}")


def report(small, large):
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(
        f"\nAlert benchmark — PostgreSQL, daily run of every kind, locmem email backend,"
        f" ALERT_SEND_BATCH={settings.ALERT_SEND_BATCH} (load average {load})\n"
    )
    print(f"  {'':<38}{'measured':>16}   {'aim':<26}result")
    for data in (small, large):
        row(f"daily run, {data['vendors']:,} vendors", f"{data['run_s'] * 1000:,.0f} ms", "", None)
    row(
        "daily run queries, small / large",
        f"{small['run_queries']} / {large['run_queries']}",
        "same at both sizes",
        small["run_queries"] == large["run_queries"],
    )
    for data in (small, large):
        label = f"alert rows raised, {data['vendors']:,} vendors"
        row(label, f"{data['alerts']:,}", "", None)
    for data in (small, large):
        vendors = f"{data['vendors']:,} vendors"
        row(f"emails sent, {vendors}", f"{data['emails']:,}", "each once", data["emails"] == data["distinct"])
        row(
            f"queries per email, {vendors}",
            f"{data['send_queries'] / data['emails']:.3f}",
            "<= 1 on average",
            data["send_queries"] <= data["emails"],
        )
        rate = data["emails"] / data["send_s"]
        row(f"emails per second, {vendors}", f"{rate:,.0f}", ">= 200", rate >= 200)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=1000)
    parser.add_argument("--small", type=int, default=10)
    args = parser.parse_args()
    rebuild_database()
    # Keep every query of a sweep (Django keeps the last 9,000): sending is counted too.
    connection.queries_log = deque(maxlen=1_000_000)
    small, large = measure(args.small), measure(args.vendors)
    report(small, large)


if __name__ == "__main__":
    main()

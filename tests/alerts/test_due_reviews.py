"""Periodic reviews: the monthly job creates them and reminds both sides; a second reminder before the
due date (the 10th of the next month); an escalation to the manager's lead when one is missed."""

from datetime import date, timedelta

import pytest
import time_machine

from accounts.models import Role
from alerts.due_reviews import (
    REVIEW_DUE_SOON,
    REVIEW_MISSED,
    REVIEW_REMINDER,
    due_review_missed,
    due_review_soon,
    review_due_date,
)
from alerts.models import Alert
from alerts.tasks import run_scheduled_job
from reviews.models import Review, ReviewStatus
from tests.alerts.days import emails, recipients, run_on
from tests.factories import VendorFactory, make_user
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
FIRST = date(2026, 4, 1)
DUE = date(2026, 4, 10)
DAY = timedelta(days=1)
REVIEW_KINDS = (REVIEW_REMINDER, REVIEW_DUE_SOON, REVIEW_MISSED)


@pytest.fixture
def lead(manager):
    lead = make_user("lars", Role.MANAGER)
    manager.profile.reports_to = lead
    manager.profile.save()
    return lead


@pytest.fixture
def owned(vendor_a, manager):
    vendor_a.owner = manager
    vendor_a.save()
    return vendor_a


def march_review(vendor, **fields):
    return Review.objects.create(
        vendor=vendor,
        cadence="monthly",
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        **fields,
    )


def review_emails(**filters):
    return [(kind, recipient) for kind, _, _, recipient in emails(**filters) if kind in REVIEW_KINDS]


def test_a_review_is_due_on_the_tenth_of_the_month_after_its_period(vendor_a):
    assert review_due_date(march_review(vendor_a)) == DUE
    quarter = Review(vendor=vendor_a, period_start=date(2026, 1, 1), period_end=date(2026, 3, 31))
    assert review_due_date(quarter) == DUE


def test_the_monthly_job_creates_the_reviews_and_reminds_the_manager_and_vendor_staff(
    owned, vendor_b, manager, staff_a, staff_b, lead
):
    VendorFactory(name="Not live yet", status=VendorStatus.ONBOARDING)
    run_on(FIRST, "monthly")
    assert sorted(Review.objects.values_list("vendor__name", "period_start")) == [
        ("Acme Support", date(2026, 3, 1)),
        ("Bravo Data", date(2026, 3, 1)),
    ]
    review_a = Review.objects.get(vendor=owned)
    by_vendor = sorted(
        Alert.objects.filter(channel="email").values_list("vendor__name", "recipient__username")
    )
    # Acme's owner and staff; Bravo has no owner, so every manager, and its staff.
    assert by_vendor == [
        ("Acme Support", "maya"),
        ("Acme Support", "staff-a"),
        ("Bravo Data", "lars"),
        ("Bravo Data", "maya"),
        ("Bravo Data", "staff-b"),
    ]
    reminder = Alert.objects.filter(vendor=owned).first()
    assert reminder.title == "Acme Support: March 2026 review is due by 10 April 2026"
    assert reminder.link == review_a.get_absolute_url()
    run_on(FIRST, "monthly")
    assert Review.objects.count() == 2 and Alert.objects.filter(channel="email").count() == 5


def test_the_daily_job_creates_a_missed_first_of_the_months_reviews_and_reminders_once(
    owned, manager, staff_a
):
    run_on(FIRST)  # on the 1st, the first reminder is the monthly job's (09:00), not the daily's (07:30)
    assert Review.objects.filter(vendor=owned, period_start=date(2026, 3, 1)).exists()
    assert review_emails() == []
    for day in range(2, 6):  # the monthly job never ran: the daily job catches up from the 2nd
        run_on(FIRST.replace(day=day))
    run_on(FIRST, "monthly")  # a late run by hand finds nothing new to say
    assert sorted(review_emails()) == [(REVIEW_REMINDER, manager.pk), (REVIEW_REMINDER, staff_a.pk)]


def test_the_second_reminder_goes_three_days_before_to_whoever_still_signs(
    owned, vendor_b, manager, staff_a, staff_b
):
    draft = march_review(owned)
    half_signed = march_review(
        vendor_b,
        status=ReviewStatus.AWAITING_VENDOR,
        manager_signed_by=manager,
        manager_signed_at="2026-04-02T10:00Z",
    )
    march_review(VendorFactory(name="Done"), status=ReviewStatus.SIGNED_OFF)
    assert list(due_review_soon(DUE - 4 * DAY)) == []
    assert recipients(due_review_soon(DUE - 3 * DAY)) == {
        draft.pk: sorted([manager.pk, staff_a.pk]),
        half_signed.pk: [staff_b.pk],
    }
    assert {due.title for due in due_review_soon(DUE)} == {
        "Acme Support: March 2026 review is due today",
        "Bravo Data: March 2026 review is due today",
    }
    assert list(due_review_soon(DUE + DAY)) == []


def test_a_missed_review_is_escalated_to_the_managers_lead(owned, manager, lead, staff_a):
    review = march_review(owned)
    march_review(VendorFactory(name="Signed", owner=manager), status=ReviewStatus.SIGNED_OFF)
    march_review(VendorFactory(name="Gone", owner=manager, status=VendorStatus.ARCHIVED))
    assert list(due_review_missed(DUE)) == []
    [due] = due_review_missed(DUE + DAY)
    assert (due.subject, list(due.recipients)) == (review, [lead.pk])
    assert due.title == "Acme Support: March 2026 review was not signed off by 10 April 2026"
    assert "Maya Brennan owns it" in due.message
    assert list(due_review_missed(DUE + 9 * DAY)) == []  # past the catch-up days


def test_without_a_lead_every_other_manager_is_told(owned, manager):
    other = make_user("otto", Role.MANAGER)
    make_user("retired", Role.MANAGER, is_active=False)
    review = march_review(owned)
    assert recipients(due_review_missed(DUE + DAY)) == {review.pk: [other.pk]}


def test_a_month_of_daily_runs_sends_each_reminder_once(owned, manager, lead, staff_a, staff_b):
    run_on(FIRST, "monthly")
    for day in range(1, 31):
        run_on(FIRST.replace(day=day))
    assert sorted(review_emails(vendor=owned)) == sorted(
        [
            (REVIEW_REMINDER, manager.pk),
            (REVIEW_REMINDER, staff_a.pk),
            (REVIEW_DUE_SOON, manager.pk),
            (REVIEW_DUE_SOON, staff_a.pk),
            (REVIEW_MISSED, lead.pk),
        ]
    )
    # Bravo's staff hear about Bravo's review only.
    reviews = Alert.objects.filter(recipient=staff_b, kind__startswith="review_")
    assert set(reviews.values_list("vendor__name", "kind")) == {
        ("Bravo Data", REVIEW_REMINDER),
        ("Bravo Data", REVIEW_DUE_SOON),
    }


@time_machine.travel("2026-04-01 00:30 +02:00", tick=False)
def test_the_monthly_job_goes_by_the_local_date(owned):
    """Half past midnight on 1 April in Berlin is still 31 March in UTC: the job already works on April."""
    run_scheduled_job.apply(kwargs={"job": "monthly"}, throw=True)
    assert list(Review.objects.values_list("period_start", flat=True)) == [date(2026, 3, 1)]

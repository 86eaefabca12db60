"""Periodic reviews: created by the monthly job, reminded, and escalated when missed.

A review has no date of its own: it is due on the ALERT_REVIEW_DUE_DAY-th (10th by default) of the
month after its period, the date it should be signed off by both sides.

- The monthly job (09:00 on the 1st) first creates the period's draft reviews
  (`reviews.services.create_due_reviews`, idempotent), then reminds each vendor's manager (its internal
  owner, or every manager) and the vendor's staff. The daily job creates them too, so reviews missed
  on the 1st appear the next day, and from the 2nd on it raises any first reminder the monthly job did
  not (workers down past the job's expiry); the alert key keeps each reminder to one.
- The daily job sends a second reminder ALERT_REVIEW_REMINDER_DAYS before the due date, to whoever
  still has to sign (both sides while it is a draft, the vendor's staff once the manager has signed),
  and escalates a review not signed off by its due date to the manager's lead (Profile.reports_to, or
  every other manager).
"""

from datetime import timedelta

from django.conf import settings
from django.utils.formats import date_format

from alerts import registry
from alerts.due import when
from alerts.recipients import Directory
from alerts.registry import Due
from alerts.services import raise_alerts
from reviews.models import Review, ReviewStatus
from reviews.services import create_due_reviews
from vendors.models import VendorStatus

REVIEW_REMINDER = "review_reminder"
REVIEW_DUE_SOON = "review_due_soon"
REVIEW_MISSED = "review_missed"
UNSIGNED = (ReviewStatus.DRAFT, ReviewStatus.AWAITING_VENDOR)

registry.before("monthly")(create_due_reviews)
registry.before("daily")(create_due_reviews)


def review_due_date(review):
    """The ALERT_REVIEW_DUE_DAY-th of the month after the review's period."""
    return (review.period_end + timedelta(days=1)).replace(day=settings.ALERT_REVIEW_DUE_DAY)


def _unsigned_reviews(**period_end):
    return (
        Review.objects.filter(status__in=UNSIGNED, **period_end)
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor__owner")
        .order_by("pk")
    )


def _due_between(first, last):
    """Unsigned reviews whose due date falls between `first` and `last`."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    period_ends = {
        day.replace(day=1) - timedelta(days=1) for day in days if day.day == settings.ALERT_REVIEW_DUE_DAY
    }
    return _unsigned_reviews(period_end__in=period_ends) if period_ends else []


def _signers(review, people) -> list[int]:
    """Who still has to sign: the manager signs first, then the vendor's contact."""
    staff = people.vendor_staff(review.vendor_id)
    if review.status == ReviewStatus.AWAITING_VENDOR:
        return staff
    return people.accountable(review.vendor) + staff


def _review_due(kind, review, recipients, title, message):
    return Due(
        kind=kind,
        subject=review,
        due_on=review_due_date(review),
        recipients=recipients,
        title=f"{review.vendor.name}: {review.period_label} review {title}",
        message=message,
        link=review.get_absolute_url(),
        vendor_id=review.vendor_id,
    )


def _state(review) -> str:
    if review.status == ReviewStatus.AWAITING_VENDOR:
        return "The manager has signed; it waits for the vendor contact's signature."
    return (
        "It is a draft: the manager adds notes, decisions and action items and signs, "
        "then the vendor's contact."
    )


@registry.due(REVIEW_REMINDER, label="Periodic review to hold", job="monthly")
def due_review_reminder(today):
    """Reviews of periods that ended within the catch-up days, not signed off yet."""
    people = Directory.load()
    yesterday = today - timedelta(days=1)
    ended = (yesterday - timedelta(days=settings.ALERT_CATCH_UP_DAYS), yesterday)
    for review in _unsigned_reviews(period_end__range=ended):
        due_on = review_due_date(review)
        yield _review_due(
            REVIEW_REMINDER,
            review,
            _signers(review, people),
            f"is due by {date_format(due_on, 'j F Y')}",
            f"The {review.period_label} performance review with {review.vendor.name} is open. "
            f"{_state(review)} Both signatures are due by {date_format(due_on, 'j F Y')}.",
        )


@registry.before("daily")
def catch_up_review_reminders(today):
    """From the 2nd on, raise the first reminders a monthly job that never ran would have raised."""
    if today.day != 1:
        raise_alerts(due_review_reminder(today))


@registry.due(REVIEW_DUE_SOON, label="Periodic review due soon", job="daily")
def due_review_soon(today):
    people = Directory.load()
    for review in _due_between(today, today + timedelta(days=settings.ALERT_REVIEW_REMINDER_DAYS)):
        yield _review_due(
            REVIEW_DUE_SOON,
            review,
            _signers(review, people),
            f"is due {when(review_due_date(review), today)}",
            f"{_state(review)} Sign it off by its due date.",
        )


@registry.due(REVIEW_MISSED, label="Periodic review missed", job="daily")
def due_review_missed(today):
    """Unsigned the day after their due date (and the catch-up days after): to the manager's lead."""
    people = Directory.load()
    yesterday = today - timedelta(days=1)
    for review in _due_between(yesterday - timedelta(days=settings.ALERT_CATCH_UP_DAYS), yesterday):
        owner = review.vendor.owner
        held_by = f"{owner.get_full_name() or owner.username} owns it" if owner else "It has no owner"
        yield _review_due(
            REVIEW_MISSED,
            review,
            people.lead_of(review.vendor),
            f"was not signed off by {date_format(review_due_date(review), 'j F Y')}",
            f"Escalated to you as the manager's lead. {held_by}; status: "
            f"{review.get_status_display().lower()}.",
        )

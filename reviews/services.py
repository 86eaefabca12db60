"""Writes to periodic reviews, action items and improvement plans.

`create_due_reviews(today)` is the scheduled work: a plain function of the database, safe to run twice
or late, whose idempotency lives in a unique constraint (one current review per vendor and period).
"""

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from bporeg.access import is_manager, runs_operations, staff_vendor_id
from kpis.periods import add_months, month_start
from reviews.models import (
    ActionItem,
    ImprovementPlan,
    Owner,
    PlanStatus,
    Review,
    ReviewStatus,
)
from reviews.selectors import prepare_review_pack
from vendors.models import ReviewCadence, Vendor, VendorStatus

# Vendors that deliver work and so are reviewed; prospects and onboarding vendors are not yet.
REVIEWED_STATUSES = (VendorStatus.ACTIVE, VendorStatus.ON_WATCH)


def period_containing(day: date, cadence) -> tuple[date, date]:
    """First and last day of the monthly or quarterly period that contains `day`."""
    start = month_start(day)
    months = 1
    if cadence == ReviewCadence.QUARTERLY:
        start = start.replace(month=(start.month - 1) // 3 * 3 + 1)
        months = 3
    return start, add_months(start, months) - timedelta(days=1)


def due_period(today: date, cadence) -> tuple[date, date]:
    """The last complete period before `today`: the one whose review is due now."""
    start, _ = period_containing(today, cadence)
    return period_containing(start - timedelta(days=1), cadence)


def create_due_reviews(today: date) -> int:
    """Create the due period's draft review for every reviewed vendor that has none yet; return how many
    were created. Running it again the same period creates nothing."""
    vendors = Vendor.objects.filter(status__in=REVIEWED_STATUSES).only("pk", "review_cadence")
    candidates = []
    for vendor in vendors:
        start, end = due_period(today, vendor.review_cadence)
        candidates.append(
            Review(vendor=vendor, cadence=vendor.review_cadence, period_start=start, period_end=end)
        )
    before = Review.objects.count()
    # ON CONFLICT DO NOTHING: the unique constraints decide, so two runs at once cannot duplicate.
    Review.objects.bulk_create(candidates, ignore_conflicts=True, batch_size=1000)
    return Review.objects.count() - before


def create_review(*, vendor, period_start, user):
    """A manager's review by hand, for the period containing `period_start`."""
    start, end = period_containing(period_start, vendor.review_cadence)
    existing = Review.objects.current().filter(vendor=vendor, period_start=start).first()
    if existing:
        raise ValidationError(f"A review of {vendor} for this period already exists ({existing}).")
    return Review.objects.create(
        vendor=vendor, cadence=vendor.review_cadence, period_start=start, period_end=end, created_by=user
    )


def _require_draft(review):
    if review.status != ReviewStatus.DRAFT:
        raise ValidationError("This review has been signed; start a new revision to change it.")


@transaction.atomic
def update_review(*, review, notes, decisions, rating):
    review = Review.objects.select_for_update().get(pk=review.pk)
    _require_draft(review)
    review.notes, review.decisions, review.rating = notes, decisions, rating
    review.save(update_fields=["notes", "decisions", "rating"])
    return review


@transaction.atomic
def add_action_item(*, review, title, owner, owner_name, due_date):
    review = Review.objects.select_for_update().get(pk=review.pk)
    _require_draft(review)
    return ActionItem.objects.create(
        review=review, title=title, owner=owner, owner_name=owner_name, due_date=due_date
    )


def can_update_action_item(user, item) -> bool:
    """Managers and operations specialists update any item, from a review or a meeting; vendor staff
    only their own vendor's vendor-owned items. A superseded review's items moved to its revision."""
    if item.review_id and item.review.status == ReviewStatus.SUPERSEDED:
        return False
    if runs_operations(user):
        return True
    return item.owner == Owner.VENDOR and staff_vendor_id(user) == item.vendor_id


@transaction.atomic
def update_action_item(*, item, user, status, comment):
    """Progress on an action item: allowed after sign-off, because following up is the point of it."""
    item = (
        ActionItem.objects.select_for_update(of=("self",)).select_related("review", "meeting").get(pk=item.pk)
    )
    if not can_update_action_item(user, item):
        raise PermissionDenied("You cannot update this action item.")
    item.status, item.progress_comment = status, comment
    item.save(update_fields=["status", "progress_comment", "updated_at"])
    return item


@transaction.atomic
def sign_review(*, review, user):
    """Sign as the manager, then as the vendor's contact. The manager's signature freezes the content and
    keeps a snapshot of the prepared data, so both people sign the same report; the vendor's completes it."""
    review = Review.objects.select_for_update().select_related("vendor").get(pk=review.pk)
    if review.is_locked:
        raise ValidationError("This review is already signed off.")
    now = timezone.now()
    if is_manager(user):
        if review.manager_signed_at:
            raise ValidationError("You have already signed this review as manager.")
        review.manager_signed_by, review.manager_signed_at = user, now
    elif staff_vendor_id(user) == review.vendor_id:
        if not review.manager_signed_at:
            raise ValidationError("The manager signs first; you can sign once the review is final.")
        if review.vendor_signed_at:
            raise ValidationError("A vendor contact has already signed this review.")
        review.vendor_signed_by, review.vendor_signed_at = user, now
    else:
        raise PermissionDenied("Only the manager and the vendor's contact sign a review.")
    if review.snapshot is None:
        review.snapshot = prepare_review_pack(review, today=timezone.localdate())
    review.status = ReviewStatus.SIGNED_OFF if review.vendor_signed_at else ReviewStatus.AWAITING_VENDOR
    review.save()
    return review


@transaction.atomic
def revise_review(*, review, user):
    """Open a new draft revision of a signed (or half-signed) review; the old one is kept, superseded.
    Content and action items carry over to the revision (items with their progress so far)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status in (ReviewStatus.DRAFT, ReviewStatus.SUPERSEDED):
        raise ValidationError("Only a signed review needs a new revision; edit the draft instead.")
    review.status = ReviewStatus.SUPERSEDED
    review.save(update_fields=["status"])
    revision = Review.objects.create(
        vendor_id=review.vendor_id,
        cadence=review.cadence,
        period_start=review.period_start,
        period_end=review.period_end,
        revision=review.revision + 1,
        notes=review.notes,
        decisions=review.decisions,
        rating=review.rating,
        created_by=user,
    )
    bulk_create_with_history(
        [
            ActionItem(
                vendor_id=revision.vendor_id,
                review=revision,
                title=item.title,
                owner=item.owner,
                owner_name=item.owner_name,
                due_date=item.due_date,
                status=item.status,
                progress_comment=item.progress_comment,
            )
            for item in review.action_items.all()
        ],
        ActionItem,
    )
    return revision


@transaction.atomic
def open_improvement_plan(*, review, user, goal, actions, deadline):
    """Escalate: an improvement plan for the review's vendor, which puts the vendor on watch."""
    vendor = Vendor.objects.select_for_update().get(pk=review.vendor_id)
    plan = ImprovementPlan.objects.create(
        vendor=vendor, review=review, goal=goal, actions=actions, deadline=deadline, opened_by=user
    )
    if vendor.status != VendorStatus.ON_WATCH:
        vendor.status = VendorStatus.ON_WATCH
        vendor.save()
    return plan


@transaction.atomic
def close_improvement_plan(*, plan, status):
    """Complete or cancel a plan; the vendor leaves the watch list when no other plan is open."""
    plan = ImprovementPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.OPEN:
        raise ValidationError("This improvement plan is already closed.")
    plan.status, plan.closed_at = status, timezone.now()
    plan.save()
    vendor = Vendor.objects.select_for_update().get(pk=plan.vendor_id)
    still_open = vendor.improvement_plans.filter(status=PlanStatus.OPEN).exists()
    if vendor.status == VendorStatus.ON_WATCH and not still_open:
        vendor.status = VendorStatus.ACTIVE
        vendor.save()
    return plan

"""Periodic performance reviews, their action items, and the improvement plans they can open.

A review is prepared from the period's data; once both the manager and a vendor contact have signed it,
its content is frozen (a snapshot of the prepared data is kept with it) and only a new revision can
change it. Action items keep moving after sign-off: their progress (status, comment) is follow-up, not
part of the signed record, and their history keeps every update.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet
from vendors.models import ReviewCadence


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_VENDOR = "awaiting_vendor", "Awaiting vendor sign-off"
    SIGNED_OFF = "signed_off", "Signed off"
    SUPERSEDED = "superseded", "Superseded by a revision"


class ReviewQuerySet(VendorScopedQuerySet):
    def current(self):
        return self.exclude(status=ReviewStatus.SUPERSEDED)


class Review(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="reviews")
    cadence = models.CharField(max_length=20, choices=ReviewCadence.choices)
    period_start = models.DateField()
    period_end = models.DateField()
    revision = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    notes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (poor) to 5 (excellent).")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    manager_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    manager_signed_at = models.DateTimeField(null=True, blank=True)
    vendor_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    vendor_signed_at = models.DateTimeField(null=True, blank=True)
    # The prepared data as it stood at sign-off, so the signed report never changes under anyone.
    snapshot = models.JSONField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["snapshot"])

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "vendor__name", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "period_start", "revision"], name="review_one_per_vendor_period_revision"
            ),
            models.UniqueConstraint(
                fields=["vendor", "period_start"],
                condition=~Q(status="superseded"),
                name="review_one_current_per_vendor_period",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="review_rating_1_5"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="review_period_ends_after_start"
            ),
        ]

    def __str__(self):
        revision = f" (rev. {self.revision})" if self.revision > 1 else ""
        return f"{self.vendor} · {self.period_label}{revision}"

    def get_absolute_url(self):
        return reverse("reviews:review_detail", kwargs={"pk": self.pk})

    @property
    def period_label(self):
        if self.cadence == ReviewCadence.QUARTERLY:
            return f"Q{(self.period_start.month - 1) // 3 + 1} {self.period_start.year}"
        return self.period_start.strftime("%B %Y")

    @property
    def is_locked(self):
        """Signed off (or replaced by a revision): nothing in it may change any more."""
        return self.status in (ReviewStatus.SIGNED_OFF, ReviewStatus.SUPERSEDED)


class Owner(models.TextChoices):
    INTERNAL = "internal", "Internal"
    VENDOR = "vendor", "Vendor"


class ActionItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionItemQuerySet(VendorScopedQuerySet):
    def unfinished(self):
        return self.filter(status__in=[ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS])

    def current(self):
        """Meetings' items, and reviews' items except those of a superseded revision (its items were
        carried over to the revision, which is where they are followed up)."""
        return self.exclude(review__status=ReviewStatus.SUPERSEDED)

    def overdue(self, today):
        return self.unfinished().current().filter(due_date__lt=today)


class ActionItem(models.Model):
    """Something agreed in a review or a governance meeting (exactly one of them), with a due date and
    an owner on one side. `vendor` is the vendor of either, kept on the row so that every read scopes
    and counts items by vendor in one place."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="action_items")
    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    meeting = models.ForeignKey(
        "reviews.Meeting", on_delete=models.PROTECT, null=True, blank=True, related_name="action_items"
    )
    title = models.CharField(max_length=200)
    owner = models.CharField(max_length=10, choices=Owner.choices)
    owner_name = models.CharField("owner's name", max_length=120, blank=True)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ActionItemStatus.choices, default=ActionItemStatus.OPEN)
    progress_comment = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review__isnull=False, meeting__isnull=True)
                | Q(review__isnull=True, meeting__isnull=False),
                name="action_item_from_review_or_meeting",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The vendor is always its review's or meeting's; filled in here when the caller left it out.
        if self.vendor_id is None and self.source is not None:
            self.vendor_id = self.source.vendor_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#action-items"

    @property
    def source(self):
        """The review or meeting the item came from."""
        return self.review if self.review_id else self.meeting

    @property
    def source_label(self):
        if self.review_id:
            return f"the {self.review.period_label} review"
        return f"the meeting “{self.meeting.title}” of {self.meeting.held_on_label}"

    @property
    def is_overdue(self):
        unfinished = self.status in (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)
        return unfinished and self.due_date < timezone.localdate()


class PlanStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class ImprovementPlan(models.Model):
    """An escalation: while one is open the vendor is on watch."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="improvement_plans")
    review = models.ForeignKey(
        Review, on_delete=models.PROTECT, null=True, blank=True, related_name="improvement_plans"
    )
    goal = models.CharField(max_length=200)
    actions = models.TextField()
    deadline = models.DateField()
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = VendorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self):
        return f"Improvement plan: {self.goal}"

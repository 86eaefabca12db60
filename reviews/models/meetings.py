"""Governance meetings with a vendor: the monthly review, the quarterly business review, and others.

A meeting records who attended (people with an account, internal or the vendor's own staff, and anyone
else by name), the agenda, the minutes and the decisions taken, and the action items it created, so
that every agreement with the vendor is written down where both sides can read it. Its history keeps
every edit of the minutes and decisions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet


class MeetingKind(models.TextChoices):
    MONTHLY_REVIEW = "monthly_review", "Monthly review"
    QUARTERLY_BUSINESS_REVIEW = "quarterly_business_review", "Quarterly business review"
    OTHER = "other", "Other governance meeting"


class Meeting(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=30, choices=MeetingKind.choices, default=MeetingKind.MONTHLY_REVIEW)
    title = models.CharField(max_length=200)
    held_at = models.DateTimeField("held on")
    location = models.CharField("location or link", max_length=300, blank=True)
    review = models.ForeignKey(
        "reviews.Review",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        help_text="The periodic review this meeting discussed, if any.",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="meetings_attended",
        help_text="Internal people and the vendor's own staff who attended.",
    )
    other_attendees = models.TextField(blank=True, help_text="People without an account, one a line.")
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[attendees])

    objects = VendorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["vendor", "-held_at"], name="meeting_vendor_held_at")]
        constraints = [
            models.CheckConstraint(condition=Q(title__regex=r"\S"), name="meeting_title_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
        ]

    def __str__(self):
        return f"{self.title} ({self.held_on_label})"

    def get_absolute_url(self):
        return reverse("reviews:meeting_detail", kwargs={"pk": self.pk})

    @property
    def held_on_label(self):
        return date_format(localtime(self.held_at), "j M Y")

    def other_attendee_names(self):
        return [line.strip() for line in self.other_attendees.splitlines() if line.strip()]

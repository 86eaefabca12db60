"""The vendor registry: each BPO partner and its contracts."""

import zoneinfo

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet

TIME_ZONES = sorted((name, name) for name in zoneinfo.available_timezones() if "/" in name)


class Service(models.Model):
    """A kind of work a vendor does for us: customer support, back office, data entry..."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class VendorStatus(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    ONBOARDING = "onboarding", "Onboarding"
    ACTIVE = "active", "Active"
    ON_WATCH = "on_watch", "On watch"
    OFFBOARDING = "offboarding", "Offboarding"
    ARCHIVED = "archived", "Archived"


class ReviewCadence(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class VendorQuerySet(VendorScopedQuerySet):
    vendor_lookup = "pk"

    def current(self):
        return self.exclude(status=VendorStatus.ARCHIVED)


class Vendor(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    services = models.ManyToManyField(Service, blank=True, related_name="vendors")
    locations = models.CharField("delivery locations", max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, choices=TIME_ZONES, default="UTC")
    languages = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=VendorStatus.choices, default=VendorStatus.PROSPECT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_vendors",
        help_text="The internal person accountable for this partnership.",
        limit_choices_to={"profile__role__in": ["manager", "qa"]},
    )
    objectives = models.TextField("partnership objectives", blank=True)
    review_cadence = models.CharField(
        max_length=20, choices=ReviewCadence.choices, default=ReviewCadence.MONTHLY
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = VendorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("vendors:detail", kwargs={"slug": self.slug})

    @property
    def is_archived(self):
        return self.status == VendorStatus.ARCHIVED


class PricingModel(models.TextChoices):
    PER_FTE = "per_fte", "Per FTE"
    PER_TRANSACTION = "per_transaction", "Per transaction"
    PER_HOUR = "per_hour", "Per hour"
    FIXED = "fixed", "Fixed fee"
    OUTCOME = "outcome", "Outcome-based"


class ContractQuerySet(VendorScopedQuerySet):
    pass


class Contract(models.Model):
    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contracts")
    reference = models.CharField(max_length=60)
    start_date = models.DateField()
    end_date = models.DateField()
    renewal_notice_days = models.PositiveIntegerField(default=90)
    auto_renew = models.BooleanField(default=False)
    value = models.DecimalField("contract value", max_digits=14, decimal_places=2, default=0)
    monthly_fee = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, default="EUR")
    pricing_model = models.CharField(
        max_length=20, choices=PricingModel.choices, default=PricingModel.PER_FTE
    )
    service_credit_terms = models.TextField(blank=True)
    next_review_date = models.DateField(null=True, blank=True)
    signed_document = models.FileField(upload_to="contracts/", blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "reference"], name="contract_reference_unique_per_vendor"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")), name="contract_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(monthly_fee__gte=0), name="contract_amounts_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.vendor})"

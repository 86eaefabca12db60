"""The vendor registry: each BPO partner, its contacts, contracts and certifications."""

import zoneinfo
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import internal_people
from bporeg.access import VendorScopedQuerySet
from bporeg.uploads import UploadPath, validate_upload

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
    # The partnership has ended through its exit checklist; the whole record is kept.
    EXITED = "exited", "Exited"
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
        limit_choices_to=internal_people,
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


class ArchivableQuerySet(VendorScopedQuerySet):
    """Records of a vendor that are archived (kept, with their history) instead of deleted."""

    def current(self):
        return self.filter(archived_at__isnull=True)


class ContractQuerySet(ArchivableQuerySet):
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
    signed_document = models.FileField(
        upload_to=UploadPath("contracts", "signed_document"),
        blank=True,
        max_length=255,
        validators=[validate_upload],
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    # Only the BPO manager sees money; the change history leaves these out for everyone else.
    MONEY_FIELDS = ("value", "monthly_fee")

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
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="contract_currency_is_iso_code"
            ),
            models.CheckConstraint(
                condition=Q(next_review_date__isnull=True) | Q(next_review_date__gte=F("start_date")),
                name="contract_review_not_before_start",
            ),
        ]

    def __str__(self):
        return f"{self.reference} ({self.vendor})"

    def get_absolute_url(self):
        return f"{self.vendor.get_absolute_url()}#contracts"

    @property
    def renewal_notice_date(self):
        """The last day to give notice before the contract ends (or renews by itself)."""
        return self.end_date - timedelta(days=self.renewal_notice_days)

    @property
    def review_overdue(self):
        return self.next_review_date is not None and self.next_review_date < timezone.localdate()


class ContactSide(models.TextChoices):
    INTERNAL = "internal", "Our side"
    VENDOR = "vendor", "Vendor side"


class EscalationLevel(models.IntegerChoices):
    OPERATIONAL = 1, "1 · Day-to-day"
    MANAGEMENT = 2, "2 · Management"
    EXECUTIVE = 3, "3 · Executive"


class Contact(models.Model):
    """Someone to call about this partnership, on our side or the vendor's, and when to escalate to them."""

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="contacts")
    side = models.CharField(max_length=10, choices=ContactSide.choices)
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=120, help_text="Their job in this partnership, e.g. Account manager.")
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    escalation_level = models.PositiveSmallIntegerField(
        choices=EscalationLevel.choices, default=EscalationLevel.OPERATIONAL
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["side", "escalation_level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(escalation_level__gte=1) & Q(escalation_level__lte=3),
                name="contact_escalation_level_1_to_3",
            ),
            models.CheckConstraint(condition=Q(side__in=ContactSide.values), name="contact_side_valid"),
            models.CheckConstraint(condition=~Q(email="") | ~Q(phone=""), name="contact_has_email_or_phone"),
        ]

    def __str__(self):
        return f"{self.name} ({self.role})"

    def get_absolute_url(self):
        return f"{self.vendor.get_absolute_url()}#contacts"


class CertificationKind(models.TextChoices):
    ISO_27001 = "iso_27001", "ISO/IEC 27001"
    SOC_2 = "soc_2", "SOC 2 Type II"
    PCI_DSS = "pci_dss", "PCI DSS"
    HIPAA = "hipaa", "HIPAA"
    GDPR_DPA = "gdpr_dpa", "GDPR data processing agreement"
    ISO_9001 = "iso_9001", "ISO 9001"
    COPC = "copc", "COPC"
    OTHER = "other", "Other"


class Certification(models.Model):
    """A certification or compliance document the vendor holds, with the evidence behind it."""

    EXPIRING_WITHIN_DAYS = 60

    vendor = models.ForeignKey(Vendor, on_delete=models.PROTECT, related_name="certifications")
    kind = models.CharField(max_length=20, choices=CertificationKind.choices)
    reference = models.CharField(
        max_length=120, blank=True, help_text="Certificate number, scope or issuing body."
    )
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, help_text="Leave empty if it does not expire.")
    evidence = models.FileField(
        upload_to=UploadPath("certifications", "evidence"),
        blank=True,
        max_length=255,
        validators=[validate_upload],
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ArchivableQuerySet.as_manager()

    class Meta:
        ordering = ["expires_on", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="certification_expires_after_issue",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

    def get_absolute_url(self):
        return f"{self.vendor.get_absolute_url()}#certifications"

    @property
    def state(self):
        """'expired', 'expiring' (within EXPIRING_WITHIN_DAYS) or 'valid'."""
        if self.expires_on is None:
            return "valid"
        today = timezone.localdate()
        if self.expires_on < today:
            return "expired"
        if self.expires_on <= today + timedelta(days=self.EXPIRING_WITHIN_DAYS):
            return "expiring"
        return "valid"

"""QA audits: versioned scorecard templates, the audits logged against them, and disputes.

A template's sections and criteria hang off one *version*. Editing a template publishes a new version,
and every audit keeps pointing at the version it was logged with, so old scores never move.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet
from bporeg.uploads import UploadPath, validate_upload


class Scale(models.TextChoices):
    YES_NO = "yes_no", "Yes / No / n.a."
    RATING = "rating", "1–5 / n.a."


class Channel(models.TextChoices):
    VOICE = "voice", "Voice"
    EMAIL = "email", "Email"
    CHAT = "chat", "Chat"
    TICKET = "ticket", "Ticket / back office"
    SOCIAL = "social", "Social media"


class AuditResult(models.TextChoices):
    PASSED = "passed", "Passed"
    FAILED = "failed", "Below pass mark"
    CRITICAL_FAIL = "critical_fail", "Critical fail"


class AuditTemplate(models.Model):
    """A scorecard family (for example "Voice – customer support"); its content lives in versions."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("reviews:template_detail", kwargs={"pk": self.pk})


class TemplateVersion(models.Model):
    template = models.ForeignKey(AuditTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    pass_mark = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("85"), help_text="Lowest passing score, 0–100."
    )
    change_note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="template_version_unique"),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0) & Q(pass_mark__lte=100), name="template_pass_mark_0_100"
            ),
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="sections")
    title = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="section_position_unique"),
        ]

    def __str__(self):
        return self.title


class Criterion(models.Model):
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="criteria")
    label = models.CharField(max_length=160)
    guidance = models.CharField(max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(default=1)
    scale = models.CharField(max_length=10, choices=Scale.choices, default=Scale.YES_NO)
    critical = models.BooleanField(
        default=False, help_text="Missing it fails the whole audit (score 0), whatever the rest."
    )
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["section__position", "position"]
        verbose_name_plural = "criteria"
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="criterion_weight_1_100"
            ),
        ]

    def __str__(self):
        return self.label


class AuditQuerySet(VendorScopedQuerySet):
    def active(self):
        return self.filter(voided_at__isnull=True)


class Audit(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="audits")
    version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="audits")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    reference = models.CharField("interaction or ticket reference", max_length=80)
    interaction_date = models.DateField()
    period = models.DateField(help_text="First day of the interaction's month: the KPI period it feeds.")
    agent = models.CharField("agent name or id", max_length=80)
    auditor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overall_comment = models.TextField(blank=True)
    evidence = models.FileField(
        upload_to=UploadPath("audit-evidence", "evidence"), validators=[validate_upload], blank=True
    )
    evidence_name = models.CharField(max_length=200, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=1)
    result = models.CharField(max_length=15, choices=AuditResult.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    void_reason = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["evidence"])

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-interaction_date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(score__gte=0) & Q(score__lte=100), name="audit_score_0_100"),
        ]
        indexes = [
            models.Index(fields=["vendor", "period"], name="audit_vendor_period"),
            models.Index(fields=["agent"], name="audit_agent"),
        ]

    def __str__(self):
        return f"Audit #{self.pk} · {self.vendor} · {self.reference}"

    def get_absolute_url(self):
        return reverse("reviews:audit_detail", kwargs={"pk": self.pk})

    @property
    def is_void(self):
        return self.voided_at is not None


class AuditScoreQuerySet(VendorScopedQuerySet):
    vendor_lookup = "audit__vendor"


class AuditScore(models.Model):
    """One criterion's answer in an audit. `value` is 1/0 for yes/no, 1–5 for ratings, null for n.a."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    # Stored so failure rates are one GROUP BY in SQL: "no" on yes/no, 1–2 on a rating.
    failed = models.BooleanField(default=False)
    comment = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = AuditScoreQuerySet.as_manager()

    class Meta:
        ordering = ["criterion__section__position", "criterion__position"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "criterion"], name="audit_score_one_per_criterion"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=5), name="audit_score_value_0_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted (rescored)"
    REJECTED = "rejected", "Rejected"


class DisputeQuerySet(VendorScopedQuerySet):
    vendor_lookup = "audit__vendor"


class Dispute(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="disputes")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    raised_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)
    score_before = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    score_after = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    history = HistoricalRecords()

    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit"], condition=Q(status="open"), name="dispute_one_open_per_audit"
            ),
        ]

    def __str__(self):
        return f"Dispute on audit #{self.audit_id} ({self.get_status_display()})"

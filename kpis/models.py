"""KPIs, the SLAs that set targets for them, and the measurements that say how a vendor did."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet


class Unit(models.TextChoices):
    PERCENT = "percent", "Percent"
    SECONDS = "seconds", "Seconds"
    COUNT = "count", "Count"
    CURRENCY = "currency", "Currency"
    SCORE = "score", "Score"


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher", "Higher is better"
    LOWER_IS_BETTER = "lower", "Lower is better"


class Aggregation(models.TextChoices):
    AVERAGE = "average", "Average"
    SUM = "sum", "Sum"
    LAST = "last", "Last value"
    WEIGHTED = "weighted", "Weighted by volume"


class Frequency(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    WEEKLY = "weekly", "Weekly"
    DAILY = "daily", "Daily"


class Status(models.TextChoices):
    MET = "met", "Met"
    WARNING = "warning", "Warning"
    BREACHED = "breached", "Breached"


class Source(models.TextChoices):
    MANUAL = "manual", "Manual entry"
    IMPORT = "import", "Import"
    API = "api", "API"
    AUDIT = "audit", "QA audits"


class KPI(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100, unique=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    aggregation = models.CharField(max_length=10, choices=Aggregation.choices, default=Aggregation.AVERAGE)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "KPI"

    def __str__(self):
        return self.name

    def is_better(self, value, than) -> bool:
        """Is `value` strictly better than `than` for this KPI's direction?"""
        return value > than if self.direction == Direction.HIGHER_IS_BETTER else value < than


class SLA(models.Model):
    """The service levels agreed with a vendor under one contract."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="slas")
    contract = models.ForeignKey("vendors.Contract", on_delete=models.PROTECT, related_name="slas")
    name = models.CharField(max_length=120)
    service_credit_cap_percent = models.DecimalField(
        "service credits cap (% of monthly fee)", max_digits=5, decimal_places=2, default=Decimal("10")
    )
    vendor_may_submit = models.BooleanField(
        default=False, help_text="Vendor staff may submit measurements for this vendor (form, import, API)."
    )
    history = HistoricalRecords()

    objects = VendorScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "SLA"
        constraints = [
            models.UniqueConstraint(fields=["vendor", "name"], name="sla_name_unique_per_vendor"),
            models.CheckConstraint(
                condition=Q(service_credit_cap_percent__gte=0) & Q(service_credit_cap_percent__lte=100),
                name="sla_credit_cap_is_a_percentage",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.vendor})"


class SLATargetQuerySet(VendorScopedQuerySet):
    vendor_lookup = "sla__vendor"

    def in_force_on(self, day):
        """The targets that held on `day`: each (SLA, KPI)'s latest version starting on or before it."""
        return self.filter(effective_from__lte=day).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=day)
        )


class SLATarget(models.Model):
    """One KPI in an SLA, as agreed from `effective_from` until `effective_to` (open-ended when null).

    Changing a target adds a new version instead of editing the old one, so a measurement is always
    judged against the target that held in its period.
    """

    sla = models.ForeignKey(SLA, on_delete=models.PROTECT, related_name="targets")
    kpi = models.ForeignKey(KPI, on_delete=models.PROTECT, related_name="sla_targets")
    target = models.DecimalField(max_digits=14, decimal_places=4)
    warning_threshold = models.DecimalField(
        max_digits=14, decimal_places=4, help_text="Worse than this is a warning."
    )
    breach_threshold = models.DecimalField(
        max_digits=14, decimal_places=4, help_text="Worse than this breaches the SLA."
    )
    weight = models.DecimalField(max_digits=6, decimal_places=2, default=Decimal("1"))
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    service_credit_percent = models.DecimalField(
        "service credit per breach (% of monthly fee)", max_digits=5, decimal_places=2, default=Decimal("2")
    )
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = SLATargetQuerySet.as_manager()

    class Meta:
        ordering = ["sla", "kpi", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["sla", "kpi", "effective_from"], name="sla_target_version_unique"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="sla_target_weight_positive"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="sla_target_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(service_credit_percent__gte=0) & Q(service_credit_percent__lte=100),
                name="sla_target_credit_is_a_percentage",
            ),
        ]

    def __str__(self):
        return f"{self.kpi}: target {self.target}"

    def clean(self):
        """Thresholds must follow the KPI's direction: target at or better than the warning threshold,
        warning at or better than the breach threshold."""
        if None in (self.target, self.warning_threshold, self.breach_threshold) or not self.kpi_id:
            return
        better = "higher" if self.kpi.direction == Direction.HIGHER_IS_BETTER else "lower"
        errors = {}
        if self.kpi.is_better(self.warning_threshold, self.target):
            errors["warning_threshold"] = f"{self.kpi}: {better} is better, so the warning threshold "
            errors["warning_threshold"] += "cannot be better than the target."
        if self.kpi.is_better(self.breach_threshold, self.warning_threshold):
            errors["breach_threshold"] = f"{self.kpi}: {better} is better, so the breach threshold "
            errors["breach_threshold"] += "cannot be better than the warning threshold."
        if errors:
            raise ValidationError(errors)

    def judge(self, value) -> Status:
        if self.kpi.is_better(self.breach_threshold, value):
            return Status.BREACHED
        if self.kpi.is_better(self.warning_threshold, value):
            return Status.WARNING
        return Status.MET

    def variance(self, value) -> Decimal:
        """Actual minus target, signed so that a positive variance is always good news."""
        difference = Decimal(value) - self.target
        return difference if self.kpi.direction == Direction.HIGHER_IS_BETTER else -difference

    def attainment(self, value) -> Decimal:
        """How much of the target was achieved, 0 to 1 (better than target counts as 1)."""
        value = Decimal(value)
        if self.kpi.direction == Direction.HIGHER_IS_BETTER:
            ratio = value / self.target if self.target else Decimal(1)
        else:
            ratio = self.target / value if value else Decimal(1)
        return max(Decimal(0), min(Decimal(1), ratio))


class MeasurementQuerySet(VendorScopedQuerySet):
    pass


class Measurement(models.Model):
    """What a vendor achieved on one KPI in one period (the period is named by its first day)."""

    # No index of its own: the unique constraint (vendor, KPI, period) starts with the vendor, and every
    # index is one more write for each of an import's 100,000 rows.
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="measurements", db_index=False
    )
    kpi = models.ForeignKey(KPI, on_delete=models.PROTECT, related_name="measurements")
    period = models.DateField(help_text="First day of the measured period.")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    volume = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contacts or items behind the value."
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # A measurement's history is read by its id (and date); an import writes 100,000 history rows at
    # once, so indexes nothing reads (by vendor, KPI or person) would only slow every import down, and
    # so would a database check of the same user on every row at commit. Django's on_delete still
    # clears a deleted user from the history rows.
    history = HistoricalRecords(no_db_index=["vendor", "kpi", "entered_by"], user_db_constraint=False)

    objects = MeasurementQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "kpi"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "kpi", "period"], name="measurement_one_per_period"),
        ]
        indexes = [models.Index(fields=["period", "vendor"], name="measurement_period_vendor")]

    def __str__(self):
        return f"{self.vendor} · {self.kpi} · {self.period:%Y-%m}: {self.value}"


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Waiting for confirmation"
    CONFIRMED = "confirmed", "Imported"
    DISCARDED = "discarded", "Discarded"


class MeasurementImport(models.Model):
    """An uploaded file of measurements, parsed and validated, kept between preview and confirmation.

    The confirmed rows are its stored rows (`MeasurementImportRow`), never values re-posted by the browser.
    """

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"


class MeasurementImportRow(models.Model):
    """One checked row of an import waiting for confirmation, in file order (the id).

    Rows are written with COPY when the file is uploaded, the preview compares them with the stored
    measurements in SQL, and confirming upserts them with INSERT … SELECT: 100,000 rows never travel
    through Python again after the upload. They are deleted once the import is confirmed or discarded.
    """

    # The unique constraint below starts with the import, so it is the index for it too; vendor and KPI
    # lookups on this transient table are rare (deleting a vendor), not worth an index per row. Vendor
    # and KPI carry no foreign-key constraint here: checking 100,000 rows at the upload's commit costs
    # as much as the COPY itself, and confirming writes them through the measurement table, whose
    # foreign keys check them then (Django still cascades a deleted vendor's or KPI's rows).
    measurement_import = models.ForeignKey(
        MeasurementImport, on_delete=models.CASCADE, related_name="staged_rows", db_index=False
    )
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    kpi = models.ForeignKey(
        KPI, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    period = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    volume = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["measurement_import", "vendor", "kpi", "period"], name="import_row_once_per_period"
            )
        ]

    def __str__(self):
        return f"{self.measurement_import_id}: {self.vendor_id} · {self.kpi_id} · {self.period}"

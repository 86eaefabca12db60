"""Cost and value: how each contract is priced, the invoices a vendor sends, what was decided about
each discrepancy, the disputes they start, the yearly budget, and the in-house baseline that savings and
ROI are measured against.

Money is Decimal, always with its currency: a contract's prices and invoices are in the contract's ISO
currency; budgets and baselines in the company's (settings.COMPANY_CURRENCY), reached through the dated
exchange rates the manager enters (`costs/money.py`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet
from bporeg.uploads import UploadPath, validate_upload

ISO_CURRENCY = r"^[A-Z]{3}$"


class ExchangeRate(models.Model):
    """How many units of the company's currency one unit of `currency` buys, from `valid_from` on."""

    currency = models.CharField(max_length=3)
    valid_from = models.DateField()
    rate = models.DecimalField(max_digits=14, decimal_places=6)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["currency", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"], name="one_exchange_rate_per_day"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(
                condition=Q(currency__regex=ISO_CURRENCY), name="exchange_rate_currency_iso"
            ),
        ]

    def __str__(self):
        return f"1 {self.currency} = {self.rate.normalize()} from {self.valid_from:%Y-%m-%d}"


class ChargeKind(models.TextChoices):
    FIXED_FEE = "fixed_fee", "Fixed monthly fee"
    PER_FTE = "per_fte", "Per FTE (rate × seats)"
    PER_UNIT = "per_unit", "Per transaction, contact or minute (rate × measured volume)"
    ONE_OFF = "one_off", "One-off fee (setup, training)"
    INCENTIVE = "incentive", "Performance bonus (a KPI beats its target)"


class PriceTermQuerySet(VendorScopedQuerySet):
    vendor_lookup = "contract__vendor"


class PriceTerm(models.Model):
    """One priced element of a contract. Invoice lines are matched to it by `category`.

    Service credits are not a price term: they come from the SLA (breaches × credit %, capped), and an
    invoice is expected to deduct them on a line of category "service-credit".
    """

    contract = models.ForeignKey("vendors.Contract", on_delete=models.PROTECT, related_name="price_terms")
    kind = models.CharField(max_length=20, choices=ChargeKind.choices)
    category = models.SlugField(
        max_length=40,
        help_text='The invoice line category it prices, e.g. "agent-seat", "contacts", "setup".',
    )
    label = models.CharField(max_length=120)
    unit_price = models.DecimalField(
        max_digits=12,
        decimal_places=4,
        help_text="The fee, the rate per FTE or per unit, or the bonus amount.",
    )
    quantity = models.DecimalField(
        max_digits=10, decimal_places=2, null=True, blank=True, help_text="Seats for a per-FTE price."
    )
    unit_name = models.CharField(max_length=30, blank=True, help_text="contact, minute, transaction…")
    volume_kpi = models.ForeignKey(
        "kpis.KPI",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Per unit: the KPI whose measured volume is the number of units.",
    )
    incentive_kpi = models.ForeignKey(
        "kpis.KPI",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Bonus: the KPI that must beat its SLA target.",
    )
    charged_in = models.DateField(null=True, blank=True, help_text="One-off: the month it is invoiced.")
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = PriceTermQuerySet.as_manager()

    class Meta:
        ordering = ["contract", "kind", "category"]
        constraints = [
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="price_term_price_not_negative"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gt=F("effective_from")),
                name="price_term_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind="per_fte") | Q(quantity__gt=0), name="price_term_fte_has_seats"
            ),
            models.CheckConstraint(
                condition=~Q(kind="per_unit") | Q(volume_kpi__isnull=False),
                name="price_term_unit_has_volume_kpi",
            ),
            models.CheckConstraint(
                condition=~Q(kind="incentive") | Q(incentive_kpi__isnull=False),
                name="price_term_bonus_has_kpi",
            ),
            models.CheckConstraint(
                condition=~Q(kind="one_off") | Q(charged_in__isnull=False),
                name="price_term_one_off_has_month",
            ),
        ]

    def __str__(self):
        return self.label


class PriceTier(models.Model):
    """Graduated pricing for a per-unit term: units above `from_units` cost `unit_price` each."""

    term = models.ForeignKey(PriceTerm, on_delete=models.CASCADE, related_name="tiers")
    from_units = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=4)

    class Meta:
        ordering = ["term", "from_units"]
        constraints = [
            models.UniqueConstraint(fields=["term", "from_units"], name="price_tier_unique_start"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="price_tier_price_not_negative"),
        ]

    def __str__(self):
        return f"from {self.from_units}: {self.unit_price.normalize()}"


class InvoiceStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    DISPUTED = "disputed", "Disputed"
    APPROVED = "approved", "Approved for payment"
    VOID = "void", "Void"


class InvoiceSource(models.TextChoices):
    FORM = "form", "Entered"
    IMPORT = "import", "Imported"


class InvoiceQuerySet(VendorScopedQuerySet):
    def counted(self):
        """Invoices that are money owed or paid: everything but the voided ones."""
        return self.exclude(status=InvoiceStatus.VOID)


class Invoice(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="invoices")
    contract = models.ForeignKey("vendors.Contract", on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField("invoice number", max_length=60)
    period = models.DateField(help_text="First day of the month invoiced.")
    issued_on = models.DateField()
    currency = models.CharField(max_length=3)
    total = models.DecimalField(max_digits=14, decimal_places=2, help_text="The total the vendor asks for.")
    document = models.FileField(
        "invoice PDF",
        upload_to=UploadPath("invoices", "document"),
        blank=True,
        max_length=255,
        validators=[validate_upload],
    )
    status = models.CharField(max_length=20, choices=InvoiceStatus.choices, default=InvoiceStatus.RECEIVED)
    source = models.CharField(max_length=10, choices=InvoiceSource.choices, default=InvoiceSource.FORM)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "vendor__name", "number"]
        indexes = [models.Index(fields=["period", "vendor"], name="invoice_period_vendor")]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "number"], name="invoice_number_unique_per_vendor"),
            models.CheckConstraint(condition=Q(currency__regex=ISO_CURRENCY), name="invoice_currency_iso"),
            models.CheckConstraint(condition=Q(period__day=1), name="invoice_period_is_month_start"),
            models.CheckConstraint(condition=Q(status__in=InvoiceStatus.values), name="invoice_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=InvoiceStatus.APPROVED)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
                name="invoice_approval_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.vendor} {self.number}"

    def get_absolute_url(self):
        return reverse("costs:invoice", kwargs={"pk": self.pk})


class InvoiceLineQuerySet(VendorScopedQuerySet):
    vendor_lookup = "invoice__vendor"


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    category = models.SlugField(
        max_length=40, help_text='Matched to the contract\'s price terms; "service-credit" for credits.'
    )
    description = models.CharField(max_length=200, blank=True)
    quantity = models.DecimalField(max_digits=12, decimal_places=2)
    unit_price = models.DecimalField(max_digits=12, decimal_places=4)
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="Negative for a credit.")
    position = models.PositiveSmallIntegerField(default=0)

    objects = InvoiceLineQuerySet.as_manager()

    class Meta:
        ordering = ["invoice", "position", "pk"]

    def __str__(self):
        return f"{self.category}: {self.amount}"


class DiscrepancyKind(models.TextChoices):
    RATE_ABOVE_CONTRACT = "rate_above_contract", "Rate above contract"
    VOLUME_ABOVE_MEASURED = "volume_above_measured", "Volume above measured"
    FEE_NOT_IN_CONTRACT = "fee_not_in_contract", "Fee not in the contract (hidden fee)"
    CREDIT_NOT_APPLIED = "credit_not_applied", "Service credit not applied"
    DUPLICATE_INVOICE = "duplicate_invoice", "Duplicate invoice"


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DISPUTED = "disputed", "Disputed"


class DiscrepancyDecisionQuerySet(VendorScopedQuerySet):
    vendor_lookup = "invoice__vendor"


class DiscrepancyDecision(models.Model):
    """What the manager decided about one computed discrepancy (by kind and line) of an invoice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=30, choices=DiscrepancyKind.choices)
    line = models.ForeignKey(InvoiceLine, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2, help_text="The discrepancy when decided.")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = DiscrepancyDecisionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "kind", "line"], name="one_decision_per_discrepancy", nulls_distinct=False
            ),
            models.CheckConstraint(
                condition=Q(decision=Decision.ACCEPTED) | ~Q(note=""), name="disputed_discrepancy_has_note"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_decision_display()}"


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class DisputeQuerySet(VendorScopedQuerySet):
    vendor_lookup = "invoice__vendor"

    def open(self):
        return self.filter(status=DisputeStatus.OPEN)


class Dispute(models.Model):
    """A disputed discrepancy, argued in a thread the vendor's staff answer in the portal."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="disputes")
    decision = models.OneToOneField(DiscrepancyDecision, on_delete=models.PROTECT, related_name="dispute")
    status = models.CharField(max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = DisputeQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=DisputeStatus.OPEN)
                | (Q(resolved_at__isnull=False, resolved_by__isnull=False) & ~Q(resolution="")),
                name="dispute_resolution_recorded",
            ),
        ]

    def __str__(self):
        return f"Dispute on {self.invoice}"

    def get_absolute_url(self):
        return reverse("costs:dispute", kwargs={"pk": self.pk})


class DisputeMessageQuerySet(VendorScopedQuerySet):
    vendor_lookup = "dispute__invoice__vendor"


class DisputeMessage(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    attachment = models.FileField(
        upload_to=UploadPath("disputes", "attachment"),
        blank=True,
        max_length=255,
        validators=[validate_upload],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DisputeMessageQuerySet.as_manager()

    class Meta:
        ordering = ["dispute", "created_at", "pk"]

    def __str__(self):
        return f"{self.author} on {self.dispute}"


class Budget(models.Model):
    """What the company plans to spend with a vendor in a year, in the company's currency."""

    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    objects = VendorScopedQuerySet.as_manager()

    class Meta:
        ordering = ["vendor", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["vendor", "year"], name="one_budget_per_vendor_and_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="budget_year_plausible"
            ),
        ]

    def __str__(self):
        return f"{self.vendor} {self.year}"


class ValueBaseline(models.Model):
    """The process as it ran in house before outsourcing, entered once per process (service)."""

    service = models.OneToOneField("vendors.Service", on_delete=models.PROTECT, related_name="baseline")
    unit_name = models.CharField(max_length=30, default="contact", help_text="What one unit of work is.")
    cost_per_unit = models.DecimalField(
        max_digits=12, decimal_places=4, help_text="Fully loaded in-house cost of one unit, company currency."
    )
    volume_kpi = models.ForeignKey(
        "kpis.KPI",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The KPI whose measured volume counts the units the vendor handled.",
    )
    processing_time_seconds = models.PositiveIntegerField(null=True, blank=True)
    error_rate_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    measured_until = models.DateField(help_text="The last in-house month the baseline describes.")
    note = models.TextField(blank=True, help_text="Where the figures come from.")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["service__name"]
        constraints = [
            models.CheckConstraint(condition=Q(cost_per_unit__gt=0), name="baseline_cost_positive"),
            models.CheckConstraint(
                condition=Q(error_rate_percent__isnull=True)
                | (Q(error_rate_percent__gte=0) & Q(error_rate_percent__lte=100)),
                name="baseline_error_rate_is_a_percentage",
            ),
        ]

    def __str__(self):
        return f"In-house baseline: {self.service}"

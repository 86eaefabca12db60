"""A selection project (an RFP): what is outsourced, the objectives agreed first, and the candidates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet, is_internal, is_manager
from bporeg.uploads import UploadPath, validate_upload
from vendors.models import PricingModel


class SelectionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    EVALUATING = "evaluating", "Evaluating"
    AWARDED = "awarded", "Awarded"
    CANCELLED = "cancelled", "Cancelled"


class SelectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Selections are internal work: candidates' staff reach only their own invitation."""
        return self if is_internal(user) else self.none()


class Selection(models.Model):
    reference = models.SlugField(max_length=40, unique=True, help_text="Short code, e.g. rfp-2027-support.")
    title = models.CharField(max_length=160)
    service = models.ForeignKey(
        "vendors.Service",
        on_delete=models.PROTECT,
        related_name="selections",
        help_text="The process to outsource.",
    )
    scope = models.TextField(help_text="What the provider will do, and what stays in house.")
    monthly_volume = models.PositiveIntegerField(
        null=True, blank=True, help_text="Contacts, tickets or transactions a month."
    )
    volume_notes = models.CharField(max_length=200, blank=True, help_text="Seasonality, peaks, growth.")
    languages = models.CharField(max_length=200, blank=True)
    time_zones = models.CharField("time zones covered", max_length=200, blank=True)
    budget = models.DecimalField("budget per year", max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    contract_months = models.PositiveSmallIntegerField(
        "contract term (months)", default=24, help_text="The term of the contract drafted at award."
    )
    questions_due = models.DateField()
    proposals_due = models.DateField()
    decision_date = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_selections"
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="evaluated_selections"
    )
    status = models.CharField(max_length=20, choices=SelectionStatus.choices, default=SelectionStatus.DRAFT)
    cancelled_reason = models.CharField(max_length=300, blank=True)
    awarded_at = models.DateTimeField(null=True, blank=True)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_note = models.TextField(blank=True, help_text="Why the winner was chosen.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = SelectionQuerySet.as_manager()

    # Money, the BPO manager's only, as the candidates' quotes (the history leaves it out for others).
    MONEY_FIELDS = ("budget",)

    class Meta:
        ordering = ["-decision_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(questions_due__lte=F("proposals_due")) & Q(proposals_due__lte=F("decision_date")),
                name="selection_timeline_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status__in=SelectionStatus.values), name="selection_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="selection_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="selection_currency_is_iso_code"
            ),
            models.CheckConstraint(
                condition=Q(contract_months__gte=1), name="selection_contract_term_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status=SelectionStatus.AWARDED)
                | Q(awarded_at__isnull=False, awarded_by__isnull=False),
                name="selection_award_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status=SelectionStatus.CANCELLED) | ~Q(cancelled_reason=""),
                name="selection_cancel_has_reason",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("sourcing:detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self):
        return self.status in (SelectionStatus.AWARDED, SelectionStatus.CANCELLED)


class Objective(models.Model):
    """A measurable goal agreed before the selection starts; at award it becomes an SLA target."""

    selection = models.ForeignKey(Selection, on_delete=models.CASCADE, related_name="objectives")
    kpi = models.ForeignKey("kpis.KPI", on_delete=models.PROTECT, related_name="+")
    description = models.CharField(max_length=200, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=4)
    warning_threshold = models.DecimalField(max_digits=14, decimal_places=4)
    breach_threshold = models.DecimalField(max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["kpi__name"]
        constraints = [
            models.UniqueConstraint(fields=["selection", "kpi"], name="objective_kpi_unique_per_selection"),
        ]

    def __str__(self):
        return f"{self.kpi}: {self.target.normalize()}"


class CandidateSource(models.TextChoices):
    RFP = "rfp", "Answered the RFP"
    REFERRAL = "referral", "Referral"
    MARKET_RESEARCH = "market_research", "Market research"
    PRE_VETTED = "pre_vetted", "Pre-vetted list"


class CandidateStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    PROPOSAL_RECEIVED = "proposal", "Proposal received"
    AWARDED = "awarded", "Awarded"
    CLOSED = "closed", "Closed"


class CandidateQuerySet(VendorScopedQuerySet):
    pass


class Candidate(models.Model):
    """A prospect vendor in one selection, with its proposal and price quote."""

    selection = models.ForeignKey(Selection, on_delete=models.PROTECT, related_name="candidates")
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="candidacies")
    source = models.CharField("how we found them", max_length=20, choices=CandidateSource.choices)
    status = models.CharField(max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.INVITED)
    closed_reason = models.CharField(max_length=300, blank=True)
    industry_experience = models.TextField(blank=True)
    references = models.TextField(blank=True, help_text="Clients we may call, and what they said.")
    case_studies = models.TextField(blank=True)
    pricing_model = models.CharField(
        max_length=20, choices=PricingModel.choices, default=PricingModel.PER_FTE
    )
    unit_price = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Per FTE, transaction or hour, as priced.",
    )
    quoted_monthly_fee = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    setup_fee = models.DecimalField(
        "one-off setup fee", max_digits=12, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(max_length=3, default="EUR")
    quote_notes = models.TextField(blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = CandidateQuerySet.as_manager()
    # The quote is money: only the BPO manager sees and changes it (the pricing model and currency are not).
    # The change history leaves these out for everyone else.
    MONEY_FIELDS = ("unit_price", "quoted_monthly_fee", "setup_fee", "quote_notes")

    class Meta:
        ordering = ["selection", "vendor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["selection", "vendor"], name="candidate_vendor_unique_per_selection"
            ),
            models.UniqueConstraint(
                fields=["selection"],
                condition=Q(status="awarded"),
                name="one_awarded_candidate_per_selection",
            ),
            models.CheckConstraint(
                condition=~Q(status=CandidateStatus.CLOSED) | ~Q(closed_reason=""),
                name="candidate_close_has_reason",
            ),
            models.CheckConstraint(
                condition=(Q(unit_price__isnull=True) | Q(unit_price__gte=0))
                & (Q(quoted_monthly_fee__isnull=True) | Q(quoted_monthly_fee__gte=0))
                & (Q(setup_fee__isnull=True) | Q(setup_fee__gte=0)),
                name="candidate_quote_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(currency__regex=r"^[A-Z]{3}$"), name="candidate_currency_is_iso_code"
            ),
        ]

    def __str__(self):
        return f"{self.vendor} in {self.selection}"


class DocumentKind(models.TextChoices):
    PROPOSAL = "proposal", "Proposal"
    PRICING = "pricing", "Price quote"
    REFERENCE = "reference", "Reference"
    CASE_STUDY = "case_study", "Case study"
    OTHER = "other", "Other"


class ProposalDocumentQuerySet(VendorScopedQuerySet):
    vendor_lookup = "candidate__vendor"

    def visible_to(self, user):
        """A price quote is money: among internal roles only the BPO manager sees the document."""
        queryset = super().visible_to(user)
        if is_internal(user) and not is_manager(user):
            queryset = queryset.exclude(kind=DocumentKind.PRICING)
        return queryset


class ProposalDocument(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.PROPOSAL)
    file = models.FileField(
        upload_to=UploadPath("proposals", "file"), max_length=255, validators=[validate_upload]
    )
    name = models.CharField(max_length=200, help_text="The file's name as uploaded.")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = ProposalDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "uploaded_at"]

    def __str__(self):
        return self.name

"""The stored partnership-health snapshot the manager's dashboard reads.

Red flags need months of measurements, tasks, reviews, contracts and risks per vendor: too much to
compute on every page view at 1,000 vendors. `services.refresh_vendor_health` computes them for many
vendors at once in a fixed number of queries and stores one `VendorHealth` row per vendor (the columns
the dashboard shows and sorts on, the flags with their explanations and links) and one
`PortfolioSnapshot` (the portfolio charts and totals). The dashboard is then a plain query over these rows.
"""

from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When

from bporeg.access import VendorScopedQuerySet


class Health(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# Worst first: red, then amber, then green. The dashboard's default order, backed by an index.
HEALTH_RANK = Case(
    When(health=Health.RED, then=Value(0)),
    When(health=Health.AMBER, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


class VendorHealthQuerySet(VendorScopedQuerySet):
    pass


class VendorHealth(models.Model):
    vendor = models.OneToOneField(
        "vendors.Vendor", on_delete=models.CASCADE, primary_key=True, related_name="health"
    )
    period = models.DateField(help_text="The last complete month the figures are about.")
    health = models.CharField(max_length=5, choices=Health.choices)
    health_score = models.PositiveSmallIntegerField()
    score = models.DecimalField("scorecard score", max_digits=5, decimal_places=1, null=True)
    sla_adherence = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    qa_score = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    onboarding_percent = models.PositiveSmallIntegerField(null=True)
    overdue_tasks = models.PositiveIntegerField(default=0)
    overdue_actions = models.PositiveIntegerField(default=0)
    overdue_total = models.PositiveIntegerField(default=0)
    open_issues = models.PositiveIntegerField(default=0)
    overdue_issues = models.PositiveIntegerField(default=0)
    next_review_date = models.DateField(null=True)
    contract_end_date = models.DateField(null=True)
    renewal_notice_date = models.DateField(null=True)
    top_risk_score = models.PositiveSmallIntegerField(null=True)
    top_risk_id = models.PositiveBigIntegerField(null=True)
    flag_count = models.PositiveSmallIntegerField(default=0)
    # " sla_breach cost_overrun ": the flags' codes, so "has this flag" is a portable LIKE filter.
    flag_codes = models.CharField(max_length=300, blank=True)
    # [{"code", "severity", "title", "explanation", "links": [{"label", "url"}], "penalty"}], worst first.
    flags = models.JSONField(default=list)
    # [{"period": "YYYY-MM-DD", "score", "adherence", "spend", "budget"}], oldest first.
    history = models.JSONField(default=list)
    # The scorecard score of the last six months, oldest first (None where nothing was measured): the
    # sparkline, stored apart so the dashboard's rows need not carry the whole history.
    trend = models.JSONField(default=list)
    refreshed_at = models.DateTimeField()

    objects = VendorHealthQuerySet.as_manager()

    class Meta:
        verbose_name = "vendor health"
        verbose_name_plural = "vendor health"
        constraints = [
            models.CheckConstraint(condition=Q(health_score__lte=100), name="health_score_0_100"),
            models.CheckConstraint(condition=Q(health__in=Health.values), name="health_valid"),
        ]
        indexes = [
            models.Index(fields=["health_score"], name="health_score_idx"),
            # The dashboard's first page and its attention list read the worst rows first: with this
            # index they read 25 rows, not every vendor's row, whatever the portfolio size.
            models.Index(HEALTH_RANK, F("health_score"), name="health_worst_first_idx"),
        ]

    def __str__(self):
        return f"{self.vendor_id}: {self.health} ({self.health_score})"


class PortfolioSnapshot(models.Model):
    """The portfolio charts, totals and risk heat map, recomputed at the end of each refresh (one row),
    so the dashboard does not count the whole portfolio on every view."""

    refreshed_at = models.DateTimeField()
    vendors = models.PositiveIntegerField(default=0)
    red = models.PositiveIntegerField(default=0)
    amber = models.PositiveIntegerField(default=0)
    green = models.PositiveIntegerField(default=0)
    flags = models.PositiveIntegerField("red flags", default=0)
    overdue = models.PositiveIntegerField("overdue items", default=0)
    open_issues = models.PositiveIntegerField(default=0)
    overdue_issues = models.PositiveIntegerField(default=0)
    # [{"period", "average", "low", "high", "vendors"}]: SLA adherence across vendors per month.
    adherence = models.JSONField(default=list)
    # [{"period", "spend", "budget", "vendors"}]: vendors that report their cost, per month.
    spend = models.JSONField(default=list)
    # [[likelihood, impact, count]]: the live risks of the heat map.
    risks = models.JSONField(default=list)
    # The manager's value tile (costs/value.py: value_tile); None until a refresh has computed it.
    value = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(vendors=F("red") + F("amber") + F("green")), name="snapshot_health_adds_up"
            ),
        ]

    def __str__(self):
        return f"Portfolio as of {self.refreshed_at:%Y-%m-%d %H:%M}"

"""The stored partnership-health snapshot the manager's dashboard reads.

Red flags need months of measurements, tasks, reviews, contracts and risks per vendor: too much to
compute on every page view at 1,000 vendors. `services.refresh_vendor_health` computes them for many
vendors at once in a fixed number of queries and stores one `VendorHealth` row per vendor (the columns
the dashboard shows and sorts on, the flags with their explanations and links) and one
`PortfolioSnapshot` (the portfolio charts). The dashboard is then a plain query over these rows.
"""

from django.db import models
from django.db.models import Q

from bporeg.access import VendorScopedQuerySet


class Health(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


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
    refreshed_at = models.DateTimeField()

    objects = VendorHealthQuerySet.as_manager()

    class Meta:
        verbose_name = "vendor health"
        verbose_name_plural = "vendor health"
        constraints = [
            models.CheckConstraint(condition=Q(health_score__lte=100), name="health_score_0_100"),
            models.CheckConstraint(condition=Q(health__in=Health.values), name="health_valid"),
        ]
        indexes = [models.Index(fields=["health_score"], name="health_score_idx")]

    def __str__(self):
        return f"{self.vendor_id}: {self.health} ({self.health_score})"

    @property
    def trend(self):
        """The scorecard score of the last six months, oldest first (None where nothing was measured)."""
        return [point["score"] for point in self.history[-6:]]


class PortfolioSnapshot(models.Model):
    """The portfolio charts, recomputed from every vendor's health at the end of each refresh (one row)."""

    refreshed_at = models.DateTimeField()
    # [{"period", "average", "low", "high", "vendors"}]: SLA adherence across vendors per month.
    adherence = models.JSONField(default=list)
    # [{"period", "spend", "budget", "vendors"}]: vendors that report their cost, per month.
    spend = models.JSONField(default=list)

    def __str__(self):
        return f"Portfolio as of {self.refreshed_at:%Y-%m-%d %H:%M}"

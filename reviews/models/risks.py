"""The risk register: what could go wrong with each vendor, how likely and how bad."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast
from django.urls import reverse
from simple_history.models import HistoricalRecords

from accounts.models import internal_people
from bporeg.access import VendorScopedQuerySet


class RiskCategory(models.TextChoices):
    DATA_BREACH = "data_breach", "Data breach"
    UNDERPERFORMANCE = "underperformance", "Vendor underperformance"
    COMPLIANCE = "compliance", "Compliance failure"
    SERVICE_DISRUPTION = "service_disruption", "Service disruption"
    ATTRITION = "attrition", "Staff attrition"
    FINANCIAL = "financial", "Financial stability"
    CONCENTRATION = "concentration", "Concentration / dependency"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    MITIGATING = "mitigating", "Mitigation in progress"
    ACCEPTED = "accepted", "Accepted"
    CLOSED = "closed", "Closed"


class RiskQuerySet(VendorScopedQuerySet):
    def live(self):
        return self.exclude(status=RiskStatus.CLOSED)


class Risk(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="risks")
    category = models.CharField(max_length=20, choices=RiskCategory.choices)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(help_text="1 (rare) to 5 (almost certain).")
    impact = models.PositiveSmallIntegerField(help_text="1 (negligible) to 5 (severe).")
    score = models.GeneratedField(
        # Cast: SQLite (the quick start's database) multiplies only plain integer columns.
        expression=Cast("likelihood", models.IntegerField()) * Cast("impact", models.IntegerField()),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=internal_people,
    )
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    next_review_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "next_review_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_5"
            ),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_5"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("reviews:risk_detail", kwargs={"pk": self.pk})

    @property
    def band(self):
        return band_of(self.likelihood * self.impact)


def band_of(score):
    """Heat-map band of a likelihood × impact score: low, medium, high, critical."""
    if score >= 15:
        return "critical"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"

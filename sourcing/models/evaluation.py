"""Weighted criteria and the evaluators' scores: 1–5 per candidate and criterion, blind until submitted.

Weights are whole percentages. A selection's criteria (and the template's) add up to exactly 100:
`criteria_weights_valid` checks it with a clear message, and a deferred constraint trigger
(migration 0002) refuses any transaction that would commit another total.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class TemplateCriterion(models.Model):
    """One line of the criteria template the manager edits; new selections start from a copy."""

    name = models.CharField(max_length=100, unique=True)
    guidance = models.CharField(
        max_length=300, blank=True, help_text="What a 5 looks like, what a 1 looks like."
    )
    weight = models.PositiveSmallIntegerField(help_text="Percent of the total; the template adds up to 100.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="template_criterion_weight_1_100"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class Criterion(models.Model):
    selection = models.ForeignKey("sourcing.Selection", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=100)
    guidance = models.CharField(max_length=300, blank=True)
    weight = models.PositiveSmallIntegerField(
        help_text="Percent of the total; a selection's criteria add up to 100."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["selection", "name"], name="selection_criterion_name_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=100), name="selection_criterion_weight_1_100"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"

    @classmethod
    def from_template(cls, selection, template):
        return cls(
            selection=selection,
            name=template.name,
            guidance=template.guidance,
            weight=template.weight,
            position=template.position,
        )


class ScoreSheet(models.Model):
    """One evaluator's scores for one selection; submitted once every candidate has every criterion scored."""

    selection = models.ForeignKey("sourcing.Selection", on_delete=models.CASCADE, related_name="score_sheets")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="score_sheets"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["selection", "evaluator"], name="one_score_sheet_per_evaluator"),
        ]

    def __str__(self):
        return f"{self.evaluator} on {self.selection}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    candidate = models.ForeignKey("sourcing.Candidate", on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__position", "candidate__vendor__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "candidate", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(condition=Q(value__gte=1) & Q(value__lte=5), name="score_value_1_to_5"),
        ]

    def __str__(self):
        return f"{self.criterion.name}: {self.value}"

"""The in-house baseline of a service, entered once per process by the manager."""

from django import forms
from django.utils import timezone

from costs.models import ValueBaseline
from kpis.models import KPI


class BaselineForm(forms.ModelForm):
    class Meta:
        model = ValueBaseline
        fields = [
            "unit_name",
            "cost_per_unit",
            "volume_kpi",
            "processing_time_seconds",
            "error_rate_percent",
            "measured_until",
            "note",
        ]
        labels = {
            "cost_per_unit": "In-house cost per unit",
            "processing_time_seconds": "In-house processing time (seconds per unit)",
            "error_rate_percent": "In-house error rate (%)",
            "measured_until": "Last in-house month",
        }
        widgets = {
            "measured_until": forms.DateInput(attrs={"type": "date"}),
            "note": forms.Textarea({"rows": 3}),
        }

    def __init__(self, *args, service, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        self.fields["volume_kpi"].queryset = KPI.objects.order_by("name")
        self.fields["cost_per_unit"].help_text = "Fully loaded (salaries, seats, tools, overheads)."

    def clean_cost_per_unit(self):
        cost = self.cleaned_data["cost_per_unit"]
        if cost is not None and cost <= 0:
            raise forms.ValidationError("The in-house cost of one unit must be more than zero.")
        return cost

    def clean_error_rate_percent(self):
        rate = self.cleaned_data["error_rate_percent"]
        if rate is not None and not 0 <= rate <= 100:
            raise forms.ValidationError("An error rate is a percentage, between 0 and 100.")
        return rate

    def clean_measured_until(self):
        day = self.cleaned_data["measured_until"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                "The baseline describes the past: the last in-house month cannot be ahead."
            )
        return day

    def save_for(self, user):
        """Create or update the service's one baseline; its history keeps the earlier figures."""
        baseline = self.save(commit=False)
        baseline.service = self.service
        baseline.entered_by = user
        baseline.save()
        return baseline

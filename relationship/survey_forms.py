"""The survey answer form (a 1–5 radio row per question, worded for the side answering) and the
internal survey list's filters."""

import django_filters
from django import forms

from relationship.models import Direction, Survey
from relationship.models.surveys import QUESTIONS, WORDING
from relationship.surveys import quarter_label
from vendors.models import Vendor

SCALE = [(n, str(n)) for n in range(1, 6)]


class AnswerForm(forms.Form):
    comments = forms.CharField(
        label="Anything else?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What went well, what should change next quarter.",
    )

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        wording = WORDING[survey.direction]
        scores = {
            question: forms.TypedChoiceField(
                label=Survey._meta.get_field(question).verbose_name.capitalize(),
                help_text=f"{wording[question]} 1 = poor, 5 = excellent.",
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": "Choose a score from 1 to 5."},
            )
            for question in QUESTIONS
        }
        self.fields = {**scores, "comments": self.fields["comments"]}


def _vendors(request):
    if request is None:
        return Vendor.objects.none()
    return Vendor.objects.visible_to(request.user).order_by("name")


def _quarters():
    quarters = Survey.objects.order_by("-quarter").values_list("quarter", flat=True).distinct()
    return [(quarter.isoformat(), quarter_label(quarter)) for quarter in quarters]


class SurveyFilter(django_filters.FilterSet):
    """For internal users: every vendor's surveys, pending first by default."""

    vendor = django_filters.ModelChoiceFilter(queryset=_vendors, empty_label="All vendors")
    direction = django_filters.ChoiceFilter(choices=Direction.choices, empty_label="Both sides")
    quarter = django_filters.ChoiceFilter(choices=_quarters, empty_label="Any quarter")
    state = django_filters.ChoiceFilter(
        method="filter_state",
        choices=[("pending", "Pending"), ("submitted", "Submitted"), ("all", "All")],
        empty_label="Pending",
        label="State",
    )

    class Meta:
        model = Survey
        fields = ["vendor", "direction", "quarter", "state"]

    def filter_state(self, queryset, name, value):
        if value == "submitted":
            return queryset.submitted()
        return queryset.pending() if value == "pending" else queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.pending()
        return queryset

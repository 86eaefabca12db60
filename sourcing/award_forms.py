"""The award form: which candidate wins, when it goes live, its onboarding template, and why."""

from django import forms

from sourcing.award import OPEN_CANDIDATES
from vendors.forms import DATE
from vendors.models import OnboardingTemplate


class CandidateChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, candidate):
        return str(candidate.vendor)


class AwardForm(forms.Form):
    candidate = CandidateChoiceField(
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the candidate that wins the selection."},
    )
    go_live = forms.DateField(
        label="Go-live date",
        widget=DATE,
        help_text="The contract starts on it, and the onboarding tasks are due relative to it.",
        error_messages={"required": "Enter the go-live date: the contract and onboarding start from it."},
    )
    template = forms.ModelChoiceField(
        label="Onboarding template",
        queryset=OnboardingTemplate.objects.all(),
        empty_label=None,
        error_messages={"required": "Choose the onboarding template for the new vendor."},
    )
    closing_reason = forms.CharField(
        label="Reason given to the other candidates",
        max_length=300,
        required=False,
        help_text="Recorded on each candidate that is not chosen.",
    )
    note = forms.CharField(
        label="Decision note",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why this candidate: it stays with the partnership, on the decision record.",
        error_messages={"required": "Write down why this candidate was chosen."},
    )

    def __init__(self, *args, selection, **kwargs):
        kwargs.setdefault("initial", {}).setdefault(
            "template", OnboardingTemplate.objects.filter(is_default=True).first()
        )
        super().__init__(*args, **kwargs)
        self.selection = selection
        open_candidates = selection.candidates.filter(status__in=OPEN_CANDIDATES).select_related("vendor")
        self.fields["candidate"].queryset = open_candidates.order_by("vendor__name")

    def clean(self):
        cleaned = super().clean()
        candidate = cleaned.get("candidate")
        if candidate is None:
            return cleaned
        others = self.fields["candidate"].queryset.exclude(pk=candidate.pk)
        if not cleaned.get("closing_reason") and others.exists():
            self.add_error("closing_reason", "Give the reason the other candidates were not chosen.")
        return cleaned

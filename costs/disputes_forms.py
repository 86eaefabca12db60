"""Forms of the dispute thread: a reply (text and an optional file) and the manager's resolution."""

from django import forms

from costs.disputes import Outcome


class ReplyForm(forms.Form):
    body = forms.CharField(label="Message", widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        required=False, help_text="Optional: a PDF, spreadsheet or document that supports your point."
    )


class ResolveForm(forms.Form):
    outcome = forms.ChoiceField(choices=Outcome.choices, widget=forms.RadioSelect)
    resolution = forms.CharField(
        label="What was agreed",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The vendor's staff read this.",
    )

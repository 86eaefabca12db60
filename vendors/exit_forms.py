"""Forms of the exit: starting it (the manager's decision). Tasks are updated with onboarding's
TaskUpdateForm: the same status, reason, comment and file."""

from django import forms

from vendors.exit_services import exit_refusal
from vendors.forms import DATE
from vendors.models import ExitTemplate, Vendor, VendorStatus


class ExitStartForm(forms.Form):
    template = forms.ModelChoiceField(queryset=ExitTemplate.objects.all(), empty_label=None)
    exit_date = forms.DateField(
        label="Exit date",
        widget=DATE,
        error_messages={"required": "Enter the exit date: every task's due date is counted from it."},
        help_text="The day the partnership ends.",
    )
    reason = forms.CharField(
        label="Why does the partnership end?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": "Say why the partnership ends: it is kept with the vendor's record."},
    )
    successor = forms.ModelChoiceField(
        label="New provider",
        queryset=Vendor.objects.none(),
        required=False,
        empty_label="None (the work comes back in house)",
    )

    def __init__(self, *args, vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.vendor = vendor
        self.fields["successor"].queryset = Vendor.objects.exclude(pk=vendor.pk).exclude(
            status__in=[VendorStatus.ARCHIVED, VendorStatus.EXITED, VendorStatus.OFFBOARDING]
        )

    def clean(self):
        refusal = exit_refusal(self.vendor)
        if refusal:
            raise forms.ValidationError(refusal)
        return super().clean()

"""Forms of reconciliation: a decision about one discrepancy, and the month page's vendor filter."""

import django_filters
from django import forms

from costs.models import Decision, DiscrepancyKind
from vendors.models import Vendor, VendorStatus


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(choices=DiscrepancyKind.choices)
    line = forms.IntegerField(required=False, min_value=1)
    decision = forms.ChoiceField(choices=Decision.choices)
    note = forms.CharField(required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class MonthVendorFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=VendorStatus.choices, empty_label="Any status")

    class Meta:
        model = Vendor
        fields = ["status"]

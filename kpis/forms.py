"""Forms of the KPI pages: the library, SLAs and their targets, a month's values, and imports."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from kpis.models import KPI, SLA, SLATarget
from kpis.notation import parse_value, parse_volume
from vendors.models import Contract, Vendor

TARGET_FIELDS = [
    "target",
    "warning_threshold",
    "breach_threshold",
    "weight",
    "frequency",
    "service_credit_percent",
]


class KPIForm(forms.ModelForm):
    class Meta:
        model = KPI
        fields = ["code", "name", "unit", "direction", "aggregation", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SLAForm(forms.ModelForm):
    class Meta:
        model = SLA
        fields = ["vendor", "contract", "name", "service_credit_cap_percent", "vendor_may_submit"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vendor"].queryset = Vendor.objects.visible_to(user).current()
        self.fields["contract"].queryset = Contract.objects.visible_to(user).select_related("vendor")
        if self.instance.pk:
            # An SLA stays with its vendor: its measurements and history belong to that vendor.
            self.fields["vendor"].disabled = True

    def clean(self):
        cleaned = super().clean()
        vendor, contract = cleaned.get("vendor"), cleaned.get("contract")
        if vendor and contract and contract.vendor_id != vendor.pk:
            self.add_error("contract", f"Contract {contract.reference} is not {vendor}'s.")
        return cleaned


class TargetForm(forms.ModelForm):
    """A KPI's numbers in an SLA; validated against the KPI's direction by SLATarget.clean()."""

    class Meta:
        model = SLATarget
        fields = ["kpi", *TARGET_FIELDS, "effective_from"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"effective_from": "Applies to periods starting on or after this date."}

    def __init__(self, *args, sla, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.sla = sla
        if self.instance.pk:
            self.fields["kpi"].disabled = True


class ChangeTargetForm(forms.ModelForm):
    """The numbers of a new version; the service creates it and ends the current one."""

    class Meta:
        model = SLATarget
        fields = [*TARGET_FIELDS, "effective_from"]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"effective_from": "The new numbers judge periods starting on or after this date."}

    def validate_unique(self):
        # The version is new; its uniqueness is checked by the service and the database.
        return None


class MonthValuesForm(forms.Form):
    """One text field per KPI of the vendor's SLA, in the notations of the import (85%, 4:30, 4,5)."""

    def __init__(self, *args, targets, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            kpi = target.kpi
            stored = current.get(kpi.pk)
            self.fields[f"kpi_{kpi.pk}"] = forms.CharField(
                label=kpi.name,
                required=False,
                initial=stored[0].normalize() if stored else "",
                help_text=f"{kpi.get_unit_display()} · target {target.target.normalize():f}",
            )
            self.fields[f"volume_{kpi.pk}"] = forms.CharField(
                label="Volume", required=False, initial=stored[1] if stored and stored[1] else ""
            )

    def rows(self):
        """(target, value field, volume field) for the template."""
        return [(t, self[f"kpi_{t.kpi.pk}"], self[f"volume_{t.kpi.pk}"]) for t in self.targets]

    def clean(self):
        cleaned = super().clean()
        self.values = {}
        for target in self.targets:
            kpi = target.kpi
            raw = cleaned.get(f"kpi_{kpi.pk}", "").strip()
            if not raw:
                continue
            try:
                value = parse_value(raw, kpi.unit)
                volume = parse_volume(cleaned.get(f"volume_{kpi.pk}"))
            except ValueError as error:
                self.add_error(f"kpi_{kpi.pk}", str(error))
                continue
            self.values[kpi.pk] = (value, volume)
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="Columns: vendor, kpi, period, value and optionally volume.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(f"The file is larger than {settings.UPLOAD_MAX_BYTES // 2**20} MB.")
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError("Upload a .csv or .xlsx file.")
        return upload

"""Forms of a selection project: the project, its criteria and objectives, its candidates and their files."""

import re

from django import forms
from django.core.validators import MinValueValidator
from django.forms import inlineformset_factory, modelformset_factory

from bporeg.access import is_manager
from kpis.models import KPI
from sourcing.models import (
    Candidate,
    CandidateStatus,
    Criterion,
    DocumentKind,
    Objective,
    ProposalDocument,
    Selection,
    SelectionStatus,
    TemplateCriterion,
)
from sourcing.services import criteria_weights_valid, objective_thresholds_check
from vendors.forms import DATE, internal_people
from vendors.models import Vendor, VendorStatus

SMALL_INPUT = {"class": "form-control form-control-sm"}


def _currency(value):
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise forms.ValidationError("Use the three-letter ISO code, e.g. EUR.")
    return code


class SelectionForm(forms.ModelForm):
    class Meta:
        model = Selection
        fields = [
            "reference",
            "title",
            "service",
            "scope",
            "monthly_volume",
            "volume_notes",
            "languages",
            "time_zones",
            "budget",
            "currency",
            "contract_months",
            "questions_due",
            "proposals_due",
            "decision_date",
            "owner",
            "evaluators",
        ]
        widgets = {
            "scope": forms.Textarea(attrs={"rows": 4}),
            "questions_due": DATE,
            "proposals_due": DATE,
            "decision_date": DATE,
            "evaluators": forms.CheckboxSelectMultiple,
        }
        labels = {"questions_due": "Questions due", "proposals_due": "Proposals due"}
        help_texts = {"evaluators": "The internal team who score every candidate, each on their own."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = internal_people()
        self.fields["evaluators"].queryset = internal_people()
        if is_manager(user):
            self.fields["budget"].validators.append(MinValueValidator(0))
        else:
            del self.fields["budget"]

    def clean_currency(self):
        return _currency(self.cleaned_data["currency"])

    def clean(self):
        cleaned = super().clean()
        questions, proposals, decision = (
            cleaned.get(name) for name in ("questions_due", "proposals_due", "decision_date")
        )
        if questions and proposals and proposals < questions:
            self.add_error("proposals_due", "Proposals are due on or after the questions deadline.")
        elif proposals and decision and decision < proposals:
            self.add_error("decision_date", "The decision comes on or after the proposals deadline.")
        return cleaned

    def service_data(self):
        """The fields the services set on the selection; evaluators are passed on their own."""
        return {name: value for name, value in self.cleaned_data.items() if name != "evaluators"}


class SelectionMoveForm(forms.Form):
    to = forms.ChoiceField(choices=[c for c in SelectionStatus.choices if c[0] != SelectionStatus.AWARDED])
    reason = forms.CharField(max_length=300, required=False)


# Weighted criteria: the template and each selection's copy ---------------------------------------------


class WeightedRowsMixin:
    """A formset of weighted criteria: the rows that stay must add up to 100, checked before any write."""

    def kept_forms(self):
        return [
            form
            for form in self.forms
            if (form.instance.pk or form.has_changed()) and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        message = criteria_weights_valid(form.cleaned_data["weight"] for form in self.kept_forms())
        if message:
            raise forms.ValidationError(message)


class CriterionRowForm(forms.ModelForm):
    weight = forms.IntegerField(min_value=1, max_value=100, widget=forms.NumberInput(attrs=SMALL_INPUT))

    class Meta:
        fields = ["name", "guidance", "weight"]
        widgets = {"name": forms.TextInput(attrs=SMALL_INPUT), "guidance": forms.TextInput(attrs=SMALL_INPUT)}


class TemplateCriterionForm(CriterionRowForm):
    class Meta(CriterionRowForm.Meta):
        model = TemplateCriterion


class SelectionCriterionForm(CriterionRowForm):
    class Meta(CriterionRowForm.Meta):
        model = Criterion


class BaseTemplateCriteriaFormSet(WeightedRowsMixin, forms.BaseModelFormSet):
    pass


class BaseSelectionCriteriaFormSet(WeightedRowsMixin, forms.BaseInlineFormSet):
    pass


TemplateCriteriaFormSet = modelformset_factory(
    TemplateCriterion,
    form=TemplateCriterionForm,
    formset=BaseTemplateCriteriaFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)
SelectionCriteriaFormSet = inlineformset_factory(
    Selection,
    Criterion,
    form=SelectionCriterionForm,
    formset=BaseSelectionCriteriaFormSet,
    extra=2,
    can_delete=True,
    max_num=30,
    validate_max=True,
)


# Objectives ---------------------------------------------------------------------------------------------


class KPIChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, kpi):
        return f"{kpi.name} ({kpi.get_direction_display().lower()})"


class ObjectiveForm(forms.ModelForm):
    kpi = KPIChoiceField(
        label="KPI",
        queryset=KPI.objects.all(),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    class Meta:
        model = Objective
        fields = ["kpi", "description", "target", "warning_threshold", "breach_threshold"]
        widgets = {
            "description": forms.TextInput(attrs=SMALL_INPUT),
            "target": forms.NumberInput(attrs=SMALL_INPUT),
            "warning_threshold": forms.NumberInput(attrs=SMALL_INPUT),
            "breach_threshold": forms.NumberInput(attrs=SMALL_INPUT),
        }
        help_texts = {
            "warning_threshold": "Worse than this is a warning.",
            "breach_threshold": "Worse than this breaches the SLA.",
        }

    def clean(self):
        cleaned = super().clean()
        values = [cleaned.get(name) for name in ("kpi", "target", "warning_threshold", "breach_threshold")]
        if None not in values:
            kpi, target, warning, breach = values
            try:
                objective_thresholds_check(
                    kpi=kpi, target=target, warning_threshold=warning, breach_threshold=breach
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


ObjectiveFormSet = inlineformset_factory(
    Selection, Objective, form=ObjectiveForm, extra=2, can_delete=True, max_num=30, validate_max=True
)


# Candidates -----------------------------------------------------------------------------------------------


class CandidateForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "source",
            "industry_experience",
            "references",
            "case_studies",
            "pricing_model",
            "unit_price",
            "quoted_monthly_fee",
            "setup_fee",
            "currency",
            "quote_notes",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("industry_experience", "references", "case_studies", "quote_notes")
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Candidate.MONEY_FIELDS:
            if not is_manager(user):
                del self.fields[name]
            elif name != "quote_notes":
                self.fields[name].validators.append(MinValueValidator(0))

    def clean_currency(self):
        return _currency(self.cleaned_data["currency"])

    def service_data(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.fields}


class CandidateAddForm(CandidateForm):
    """A prospect already in the registry, or a new one named here (created as a prospect vendor)."""

    vendor = forms.ModelChoiceField(
        queryset=Vendor.objects.none(), required=False, label="Prospect in the registry"
    )
    new_vendor_name = forms.CharField(
        max_length=120,
        required=False,
        label="Or a new prospect",
        help_text="Added to the registry as a prospect.",
    )
    field_order = ["vendor", "new_vendor_name"]

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.selection = selection
        self.fields["vendor"].queryset = Vendor.objects.filter(status=VendorStatus.PROSPECT).exclude(
            candidacies__selection=selection
        )

    def clean_new_vendor_name(self):
        name = self.cleaned_data["new_vendor_name"].strip()
        existing = Vendor.objects.filter(name__iexact=name).first() if name else None
        if existing is None:
            return name
        if self.selection.candidates.filter(vendor=existing).exists():
            raise forms.ValidationError(f"{existing} is already a candidate in this selection.")
        if existing.status == VendorStatus.PROSPECT:
            raise forms.ValidationError(
                f"{existing} is already in the registry: pick it from the list above."
            )
        raise forms.ValidationError(
            f"{existing} is in the registry as {existing.get_status_display().lower()}, not as a prospect."
        )

    def clean(self):
        cleaned = super().clean()
        if "new_vendor_name" in self.errors or "vendor" in self.errors:
            return cleaned
        if bool(cleaned.get("vendor")) == bool(cleaned.get("new_vendor_name")):
            raise forms.ValidationError(
                "Pick a prospect from the registry or name a new one (one of the two)."
            )
        return cleaned


class CandidateEditForm(CandidateForm):
    class Meta(CandidateForm.Meta):
        fields = ["status", *CandidateForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Awarded and closed are the award's decisions, with their reasons.
        self.fields["status"].choices = [
            choice
            for choice in CandidateStatus.choices
            if choice[0] in (CandidateStatus.INVITED, CandidateStatus.PROPOSAL_RECEIVED)
        ]


class DocumentForm(forms.ModelForm):
    class Meta:
        model = ProposalDocument
        fields = ["kind", "file"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_manager(user):  # a price quote is money, the manager's to file and read
            self.fields["kind"].choices = [
                choice for choice in self.fields["kind"].choices if choice[0] != DocumentKind.PRICING
            ]

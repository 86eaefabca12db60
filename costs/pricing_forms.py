"""Forms of pricing: a contract's price terms (one row per term, its tiers written inline) and a dated
exchange rate."""

from decimal import Decimal, InvalidOperation
from functools import cached_property

from django import forms

from costs.models import ChargeKind, ExchangeRate, PriceTerm, PriceTier
from costs.money import company_currency
from costs.pricing import SERVICE_CREDIT
from kpis.models import KPI
from vendors.forms import DATE
from vendors.models import Contract

SMALL = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
# The fields each kind needs; the others are cleared on save, so a term never carries a stray KPI.
KIND_FIELDS = {
    ChargeKind.FIXED_FEE: set(),
    ChargeKind.PER_FTE: {"quantity"},
    ChargeKind.PER_UNIT: {"volume_kpi", "unit_name", "tiers"},
    ChargeKind.ONE_OFF: {"charged_in"},
    ChargeKind.INCENTIVE: {"incentive_kpi"},
}
OPTIONAL = {"unit_name", "tiers"}
REQUIRED_MESSAGES = {
    "quantity": "A per-FTE price needs the number of seats.",
    "volume_kpi": "A per-unit price needs the KPI whose measured volume counts the units.",
    "charged_in": "A one-off fee needs the month it is invoiced in.",
    "incentive_kpi": "A bonus needs the KPI that must beat its SLA target.",
}
TIERS_HELP = 'Per unit only: "from units: price", one per line or separated by ";", e.g. "10000: 0.80".'


def parse_tiers(text) -> list[tuple[int, Decimal]]:
    """[(from_units, unit_price)] from "10000: 0.80; 50000: 0.70"; ValidationError naming the bad part."""
    tiers = []
    for part in text.replace("\n", ";").split(";"):
        part = part.strip()
        if not part:
            continue
        start, _, price = part.partition(":")
        try:
            start, price = int(start.strip().replace(",", "")), Decimal(price.strip())
        except (ValueError, InvalidOperation):
            raise forms.ValidationError(f'"{part}" is not "from units: price", e.g. "10000: 0.80".') from None
        if start < 0 or price < 0 or not price.is_finite():
            raise forms.ValidationError(f'"{part}": units and price cannot be negative.')
        tiers.append((start, price))
    starts = [start for start, _ in tiers]
    if len(set(starts)) != len(starts):
        raise forms.ValidationError("Two tiers start at the same number of units.")
    return sorted(tiers)


class PriceTermForm(forms.ModelForm):
    tiers = forms.CharField(
        required=False, help_text=TIERS_HELP, widget=forms.Textarea(attrs={**SMALL, "rows": 2})
    )

    class Meta:
        model = PriceTerm
        fields = [
            "kind",
            "category",
            "label",
            "unit_price",
            "quantity",
            "unit_name",
            "volume_kpi",
            "incentive_kpi",
            "charged_in",
            "effective_from",
            "effective_to",
        ]
        widgets = {
            "kind": forms.Select(attrs=SELECT),
            "category": forms.TextInput(attrs=SMALL),
            "label": forms.TextInput(attrs=SMALL),
            "unit_price": forms.NumberInput(attrs={**SMALL, "step": "0.0001", "min": 0}),
            "quantity": forms.NumberInput(attrs={**SMALL, "step": "0.01", "min": 0}),
            "unit_name": forms.TextInput(attrs=SMALL),
            "volume_kpi": forms.Select(attrs=SELECT),
            "incentive_kpi": forms.Select(attrs=SELECT),
            "charged_in": forms.DateInput(attrs={**SMALL, "type": "date"}, format="%Y-%m-%d"),
            "effective_from": forms.DateInput(attrs={**SMALL, "type": "date"}, format="%Y-%m-%d"),
            "effective_to": forms.DateInput(attrs={**SMALL, "type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["tiers"] = "; ".join(
                f"{tier.from_units}: {tier.unit_price.normalize()}" for tier in self.instance.tiers.all()
            )

    def clean_category(self):
        category = self.cleaned_data["category"]
        if category == SERVICE_CREDIT:
            raise forms.ValidationError(
                "Service credits come from the SLAs, not from a price term: pick another category."
            )
        return category

    def clean_tiers(self):
        return parse_tiers(self.cleaned_data.get("tiers", ""))

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind not in KIND_FIELDS:
            return cleaned
        needed = KIND_FIELDS[kind]
        for name in ("quantity", "unit_name", "volume_kpi", "incentive_kpi", "charged_in", "tiers"):
            if name not in needed:
                cleaned[name] = [] if name == "tiers" else ("" if name == "unit_name" else None)
            elif name not in OPTIONAL and not cleaned.get(name) and name not in self.errors:
                self.add_error(name, REQUIRED_MESSAGES[name])
        if kind == ChargeKind.PER_FTE and cleaned.get("quantity") is not None and cleaned["quantity"] <= 0:
            self.add_error("quantity", "A per-FTE price needs at least some seats.")
        return cleaned

    def save(self, commit=True):
        term = super().save(commit=commit)
        if commit:
            term.tiers.all().delete()
            PriceTier.objects.bulk_create(
                PriceTier(term=term, from_units=start, unit_price=price)
                for start, price in self.cleaned_data["tiers"]
            )
        return term


def _overlaps(a, b):
    a_end, b_end = a.get("effective_to"), b.get("effective_to")
    return (a_end is None or a_end > b["effective_from"]) and (b_end is None or b_end > a["effective_from"])


class BasePriceTermFormSet(forms.BaseInlineFormSet):
    @cached_property
    def kpi_choices(self):
        return [("", "---------"), *((kpi.pk, str(kpi)) for kpi in KPI.objects.all())]

    def _construct_form(self, i, **kwargs):
        # The KPI library is read once for the whole formset, not twice per row.
        form = super()._construct_form(i, **kwargs)
        for name in ("volume_kpi", "incentive_kpi"):
            form.fields[name].choices = self.kpi_choices
        return form

    def clean(self):
        """One term per category at a time: an invoice line is matched to its category's term."""
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("effective_from")
        ]
        for index, row in enumerate(rows):
            for other in rows[index + 1 :]:
                same = row.get("category") == other.get("category")
                one_off = ChargeKind.ONE_OFF in (row.get("kind"), other.get("kind"))
                if same and not one_off and _overlaps(row, other):
                    raise forms.ValidationError(
                        f'Two terms price "{row["category"]}" at the same time: '
                        "end one before the other starts."
                    )


PriceTermFormSet = forms.inlineformset_factory(
    Contract,
    PriceTerm,
    form=PriceTermForm,
    formset=BasePriceTermFormSet,
    extra=1,
    can_delete=True,
    max_num=40,
    validate_max=True,
)


class ExchangeRateForm(forms.ModelForm):
    class Meta:
        model = ExchangeRate
        fields = ["currency", "valid_from", "rate"]
        widgets = {"valid_from": DATE}
        labels = {"rate": "Rate (company currency per unit)"}

    def clean_currency(self):
        currency = self.cleaned_data["currency"].strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise forms.ValidationError("Enter a three-letter ISO currency code, e.g. USD.")
        if currency == company_currency():
            raise forms.ValidationError(f"{currency} is the company's own currency: it needs no rate.")
        return currency

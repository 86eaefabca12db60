"""The portfolio grid's filters and sort orders (django-filter), the same look as the dashboard's."""

import django_filters
from django import forms

from kpis.grid import DEFAULT_SORT, KPI_SORT_PREFIX, PortfolioGrid, portfolio_grid
from vendors.models import Service, Vendor, VendorStatus

# The grid's own columns (kpis.grid.ORDERS), in the order they show.
COLUMN_LABELS = {"vendor": "Vendor", "score": "Score", "adherence": "Adherence", "credits": "Credits"}


def sort_choices(kpis):
    """Every column both ways: the fixed ones, then one per KPI."""
    labels = {**COLUMN_LABELS, **{f"{KPI_SORT_PREFIX}{kpi.code}": kpi.name for kpi in kpis}}
    return list(labels.items()) + [(f"-{key}", f"{label} (descending)") for key, label in labels.items()]


class GridFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Vendor")
    service = django_filters.ModelChoiceFilter(
        field_name="services", queryset=Service.objects.all(), empty_label="Any service", label="Service"
    )
    status = django_filters.ChoiceFilter(
        choices=[c for c in VendorStatus.choices if c[0] != VendorStatus.ARCHIVED],
        empty_label="Any status",
        label="Status",
    )
    # These two are about the period's figures, not the vendor's fields: portfolio_grid applies them in SQL.
    breached = django_filters.BooleanFilter(
        method="by_figures", widget=forms.CheckboxInput, label="Breached only"
    )
    sort = django_filters.ChoiceFilter(method="by_figures", label="Sort by")

    class Meta:
        model = Vendor
        fields = ["q", "service", "status", "breached", "sort"]

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpis = kpis
        self.filters["sort"].extra["choices"] = sort_choices(kpis)
        for name, field in self.form.fields.items():
            if name == "breached":
                field.widget.attrs["class"] = "form-check-input"
            else:
                css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
                field.widget.attrs["class"] = css

    def by_figures(self, queryset, name, value):
        return queryset

    def grid(self, period) -> PortfolioGrid:
        """The filtered vendors with their figures for `period`; unreadable values are left out."""
        vendors = self.qs  # validates the form: cleaned_data then holds every valid value
        options = self.form.cleaned_data
        return portfolio_grid(
            vendors,
            period,
            kpis=self.kpis,
            breached_only=bool(options.get("breached")),
            sort=options.get("sort") or DEFAULT_SORT,
        )

"""The dashboard's filters and sort orders (django-filter), over the stored vendor health."""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Exists, F, OuterRef

from portfolio.flags import RULES
from portfolio.models import Health, VendorHealth
from vendors.models import Service, Vendor, VendorStatus


def _by(*fields):
    """Ascending and descending orders over these fields; empty values last either way."""
    return (
        [F(name).asc(nulls_last=True) for name in fields],
        [F(name).desc(nulls_last=True) for name in fields],
    )


# key: (label, ascending, descending). Every order ends with the name, so pages are stable.
SORTS = {
    "health": ("Health", *_by("health_rank", "health_score")),
    "vendor": ("Vendor", *_by("vendor__name")),
    "status": ("Status", *_by("vendor__status")),
    "score": ("Scorecard", *_by("score")),
    "adherence": ("SLA adherence", *_by("sla_adherence")),
    "qa": ("QA score", *_by("qa_score")),
    "onboarding": ("Onboarding", *_by("onboarding_percent")),
    "overdue": ("Overdue", *_by("overdue_total")),
    "issues": ("Issues", *_by("overdue_issues", "open_issues")),
    "flags": ("Flags", *_by("flag_count")),
    "review": ("Next review", *_by("next_review_date")),
    "contract": ("Contract end", *_by("contract_end_date")),
    "risk": ("Top risk", *_by("top_risk_score")),
}
SORT_CHOICES = [(key, label) for key, (label, _, _) in SORTS.items()] + [
    (f"-{key}", f"{label} (descending)") for key, (label, _, _) in SORTS.items()
]


class DashboardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="vendor__name", lookup_expr="icontains", label="Vendor")
    health = django_filters.ChoiceFilter(choices=Health.choices, empty_label="Any health")
    status = django_filters.ChoiceFilter(
        field_name="vendor__status",
        choices=[c for c in VendorStatus.choices if c[0] != VendorStatus.ARCHIVED],
        empty_label="Any status",
        label="Status",
    )
    owner = django_filters.ModelChoiceFilter(
        field_name="vendor__owner",
        # EXISTS, not a join made DISTINCT: that sorted a row per vendor to find a handful of owners.
        queryset=get_user_model()
        .objects.filter(Exists(Vendor.objects.filter(owner=OuterRef("pk"))))
        .order_by("username"),
        empty_label="Any owner",
        label="Owner",
    )
    service = django_filters.ModelChoiceFilter(
        field_name="vendor__services",
        queryset=Service.objects.all(),
        empty_label="Any service",
        label="Service",
    )
    flag = django_filters.ChoiceFilter(
        method="with_flag",
        choices=[(code, title) for code, (title, _, _) in RULES.items()],
        empty_label="Any flag",
        label="Red flag",
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by", choices=SORT_CHOICES, empty_label="Worst health first", label="Sort by"
    )

    class Meta:
        model = VendorHealth
        fields = ["q", "health", "status", "owner", "service", "flag", "sort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-control form-control-sm" if name == "q" else "form-select form-select-sm"
            field.widget.attrs["class"] = css

    def narrows(self) -> bool:
        """Whether these filters leave out some vendors. Sorting never does; a value that does not
        validate is ignored, as `qs` ignores it."""
        self.is_valid()  # fills cleaned_data with the valid values only
        return any(self.form.cleaned_data.get(name) for name in self.filters if name != "sort")

    def with_flag(self, queryset, name, value):
        return queryset.filter(flag_codes__contains=f" {value} ")

    def sort_by(self, queryset, name, value):
        key = value.lstrip("-")
        _, ascending, descending = SORTS[key]
        return queryset.order_by(*(descending if value.startswith("-") else ascending), "vendor__name")

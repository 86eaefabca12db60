"""The issue list's filters (django-filter). Vendor staff see only their vendor's issues, so they get no
vendor filter; everyone starts on the open issues."""

import django_filters

from bporeg.access import is_internal
from relationship.models import IssueCategory, IssueState, Severity
from relationship.models.issues import Issue
from reviews.filters import visible_vendors
from vendors.models import EscalationLevel


class IssueFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=visible_vendors, empty_label="All vendors")
    show = django_filters.ChoiceFilter(
        method="filter_show",
        label="Show",
        empty_label="Open",
        choices=[("overdue", "Overdue"), ("all", "All, with resolved")],
    )
    state = django_filters.ChoiceFilter(choices=IssueState.choices, empty_label="Any state")
    severity = django_filters.ChoiceFilter(choices=Severity.choices, empty_label="Any severity")
    category = django_filters.ChoiceFilter(choices=IssueCategory.choices, empty_label="Any category")
    escalation_level = django_filters.ChoiceFilter(
        choices=EscalationLevel.choices, empty_label="Any level", label="Escalation level"
    )

    class Meta:
        model = Issue
        fields = ["vendor", "show", "state", "severity", "category", "escalation_level"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and not is_internal(request.user):
            del self.filters["vendor"]

    def filter_show(self, queryset, name, value):
        if value == "overdue":
            return queryset.overdue()
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        # Open by default; choosing a state (resolved included) or "all" looks past that default.
        data = self.form.cleaned_data
        if not data.get("show") and not data.get("state"):
            queryset = queryset.open()
        return queryset

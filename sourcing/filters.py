"""The selection list's filters."""

import django_filters
from django.db.models import Q

from sourcing.models import Selection, SelectionStatus


class SelectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(choices=SelectionStatus.choices, empty_label="Any status")

    class Meta:
        model = Selection
        fields = ["q", "status"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(reference__icontains=value))

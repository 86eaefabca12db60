"""List filters (django-filter). Vendor dropdowns are scoped to what the requesting user may see."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model

from accounts.models import internal_people
from reviews.models import (
    Audit,
    AuditResult,
    AuditTemplate,
    Channel,
    Meeting,
    MeetingKind,
    Review,
    ReviewStatus,
    Risk,
    RiskCategory,
    RiskStatus,
)
from vendors.models import Vendor


def visible_vendors(request):
    if request is None:
        return Vendor.objects.none()
    return Vendor.objects.visible_to(request.user)


class MonthFilter(django_filters.DateFilter):
    """Matches a period field (a month's first day) from an <input type="month"> value."""

    field_class = forms.DateField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(*args, input_formats=["%Y-%m", "%Y-%m-%d"], **kwargs)

    def filter(self, qs, value):
        return super().filter(qs, value.replace(day=1) if value else value)


class AuditFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=visible_vendors, empty_label="All vendors")
    template = django_filters.ModelChoiceFilter(
        field_name="version__template",
        queryset=AuditTemplate.objects.all(),
        empty_label="All templates",
        label="Template",
    )
    agent = django_filters.CharFilter(lookup_expr="icontains", label="Agent")
    period = MonthFilter(field_name="period", label="Month")
    result = django_filters.ChoiceFilter(choices=AuditResult.choices, empty_label="Any result")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, empty_label="Any channel")
    state = django_filters.ChoiceFilter(
        method="filter_state",
        label="State",
        empty_label="Counted (not void)",
        choices=[("disputed", "Open dispute"), ("void", "Void"), ("all", "All, with void")],
    )

    class Meta:
        model = Audit
        fields = ["vendor", "template", "agent", "period", "result", "channel", "state"]

    def filter_state(self, queryset, name, value):
        if value == "disputed":
            return queryset.filter(voided_at__isnull=True, disputes__status="open")
        if value == "void":
            return queryset.filter(voided_at__isnull=False)
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("state"):
            queryset = queryset.active()
        return queryset


class FailureRateFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(
        field_name="audit__vendor", queryset=visible_vendors, empty_label="All vendors", label="Vendor"
    )
    template = django_filters.ModelChoiceFilter(
        field_name="audit__version__template",
        queryset=AuditTemplate.objects.all(),
        empty_label="All templates",
    )
    period_from = MonthFilter(field_name="audit__period", lookup_expr="gte", label="From month")
    period_to = MonthFilter(field_name="audit__period", lookup_expr="lte", label="To month")


class ReviewFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=visible_vendors, empty_label="All vendors")
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, empty_label="Any status (current)")
    period = MonthFilter(field_name="period_start", label="Period starting")

    class Meta:
        model = Review
        fields = ["vendor", "status", "period"]

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.current()
        return queryset


class RiskFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=visible_vendors, empty_label="All vendors")
    category = django_filters.ChoiceFilter(choices=RiskCategory.choices, empty_label="Any category")
    status = django_filters.ChoiceFilter(choices=RiskStatus.choices, empty_label="Live (not closed)")
    owner = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.filter(internal_people()).order_by("username"),
        empty_label="Any owner",
    )
    likelihood = django_filters.NumberFilter(widget=forms.HiddenInput)
    impact = django_filters.NumberFilter(widget=forms.HiddenInput)

    class Meta:
        model = Risk
        fields = ["vendor", "category", "status", "owner", "likelihood", "impact"]

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.live()
        return queryset


class MeetingFilter(django_filters.FilterSet):
    vendor = django_filters.ModelChoiceFilter(queryset=visible_vendors, empty_label="All vendors")
    kind = django_filters.ChoiceFilter(choices=MeetingKind.choices, empty_label="Any kind")
    held_from = django_filters.DateFilter(
        field_name="held_at",
        lookup_expr="date__gte",
        label="Held from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    held_to = django_filters.DateFilter(
        field_name="held_at",
        lookup_expr="date__lte",
        label="Held until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Meeting
        fields = ["vendor", "kind", "held_from", "held_to"]

    def __init__(self, *args, internal, **kwargs):
        super().__init__(*args, **kwargs)
        if not internal:
            # Vendor staff see only their own vendor's meetings: a vendor filter would be noise.
            del self.filters["vendor"]

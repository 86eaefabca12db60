import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from vendors.models import Service, Vendor, VendorStatus


class VendorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    status = django_filters.ChoiceFilter(
        choices=VendorStatus.choices, empty_label="Current (not archived or exited)"
    )
    service = django_filters.ModelChoiceFilter(
        field_name="services", queryset=Service.objects.all(), empty_label="Any service"
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.filter(owned_vendors__isnull=False).distinct().order_by("username"),
        empty_label="Any owner",
    )

    class Meta:
        model = Vendor
        fields = ["q", "status", "service", "owner"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(locations__icontains=value))

    @property
    def qs(self):
        queryset = super().qs
        # Archived and exited vendors stay out of sight until someone asks for them by status.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.current().exclude(status=VendorStatus.EXITED)
        return queryset

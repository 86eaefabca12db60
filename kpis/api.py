"""The token-authenticated REST API: vendors and KPIs to read, measurements to list and send.

Everything is scoped with `visible_to(user)`: a vendor-staff token sees only its vendor and may send
measurements only when an SLA of that vendor allows it (`vendor_may_submit`).
"""

import django_filters
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from bporeg.access import role_of
from kpis.models import KPI, Measurement, Source
from kpis.selectors import can_submit
from kpis.serializers import KPISerializer, MeasurementSerializer, VendorSerializer
from kpis.services import record_measurement
from vendors.models import Vendor


class HasRole(BasePermission):
    message = "Your account has no role in bporeg."

    def has_permission(self, request, view):
        return role_of(request.user) is not None


class VendorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = VendorSerializer
    permission_classes = [HasRole]

    def get_queryset(self):
        return Vendor.objects.visible_to(self.request.user).current()


class KPIViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = KPISerializer
    permission_classes = [HasRole]
    queryset = KPI.objects.all()
    lookup_field = "code"


class MeasurementFilter(django_filters.FilterSet):
    vendor = django_filters.NumberFilter(field_name="vendor_id")
    kpi = django_filters.CharFilter(field_name="kpi__code")
    period_from = django_filters.DateFilter(field_name="period", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period", lookup_expr="lte")

    class Meta:
        model = Measurement
        fields = ["vendor", "kpi", "period_from", "period_to"]


class MeasurementViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """List measurements, or send one: a value for an existing (vendor, KPI, period) replaces it."""

    serializer_class = MeasurementSerializer
    permission_classes = [HasRole]
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]
    filterset_class = MeasurementFilter

    def get_queryset(self):
        return (
            Measurement.objects.visible_to(self.request.user)
            .select_related("kpi", "entered_by")
            .order_by("-period", "vendor_id", "kpi__code")
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not can_submit(request.user, data["vendor"]):
            raise PermissionDenied(
                "Your vendor may not submit measurements: ask your BPO manager to allow it in the SLA."
            )
        measurement, created = record_measurement(
            vendor=data["vendor"],
            kpi=data["kpi"],
            period=data["period"],
            value=data["value"],
            volume=data.get("volume"),
            source=Source.API,
            entered_by=request.user,
        )
        return Response(
            self.get_serializer(measurement).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

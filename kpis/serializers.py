"""REST API representations: vendors and KPIs to read, measurements to read and write."""

from rest_framework import serializers

from kpis.models import KPI, Measurement
from kpis.notation import parse_value
from vendors.models import Vendor


class VendorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Vendor
        fields = ["id", "name", "slug", "status"]


class KPISerializer(serializers.ModelSerializer):
    class Meta:
        model = KPI
        fields = ["id", "code", "name", "unit", "direction", "aggregation", "description"]


class ScopedVendorField(serializers.PrimaryKeyRelatedField):
    """A vendor id from the body, looked up among the vendors the caller may see."""

    default_error_messages = {
        "does_not_exist": "Unknown vendor {pk_value}: you can only send measurements for your own vendor.",
    }

    def get_queryset(self):
        return Vendor.objects.visible_to(self.context["request"].user)


class MeasurementSerializer(serializers.ModelSerializer):
    vendor = ScopedVendorField()
    kpi = serializers.SlugRelatedField(slug_field="code", queryset=KPI.objects.all())
    value = serializers.CharField(
        help_text="In the KPI's unit. Accepts 85, 85%, 0.85 (percent), 4:30 or 270 (seconds), 4,5."
    )
    entered_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Measurement
        fields = ["id", "vendor", "kpi", "period", "value", "volume", "source", "entered_by", "updated_at"]
        read_only_fields = ["id", "source", "entered_by", "updated_at"]
        # The unique (vendor, kpi, period) is an update, not an error: the service upserts.
        validators = []

    def validate_period(self, period):
        if period.day != 1:
            raise serializers.ValidationError("A monthly period is named by its first day (YYYY-MM-01).")
        return period

    def validate(self, attrs):
        try:
            attrs["value"] = parse_value(attrs["value"], attrs["kpi"].unit)
        except ValueError as error:
            raise serializers.ValidationError({"value": str(error)}) from None
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["value"] = str(instance.value.normalize())
        return data

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kpis.models import KPI, SLA, Measurement, SLATarget


@admin.register(KPI)
class KPIAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "direction", "aggregation")


class SLATargetInline(admin.TabularInline):
    model = SLATarget
    extra = 0


@admin.register(SLA)
class SLAAdmin(SimpleHistoryAdmin):
    list_display = ("name", "vendor", "contract", "vendor_may_submit")
    list_select_related = ("vendor", "contract")
    inlines = [SLATargetInline]


@admin.register(Measurement)
class MeasurementAdmin(SimpleHistoryAdmin):
    list_display = ("vendor", "kpi", "period", "value", "source")
    list_filter = ("source", "kpi")
    list_select_related = ("vendor", "kpi")

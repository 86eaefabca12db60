from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from vendors.models import Contract, ExitActivity, ExitTemplate, Service, Vendor


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ("name", "code")


class ContractInline(admin.TabularInline):
    model = Contract
    extra = 0
    fields = ("reference", "start_date", "end_date", "auto_renew", "value", "currency")


@admin.register(Vendor)
class VendorAdmin(SimpleHistoryAdmin):
    list_display = ("name", "status", "owner", "time_zone", "updated_at")
    list_filter = ("status", "services")
    search_fields = ("name", "slug")
    list_select_related = ("owner",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = [ContractInline]


class ExitActivityInline(admin.TabularInline):
    model = ExitActivity
    extra = 0
    fields = ("area", "title", "responsible", "due_offset_days", "evidence_required", "description")


@admin.register(ExitTemplate)
class ExitTemplateAdmin(admin.ModelAdmin):
    """Exit checklists are edited here: a template and its activities, area by area."""

    list_display = ("name", "is_default", "updated_at")
    inlines = [ExitActivityInline]

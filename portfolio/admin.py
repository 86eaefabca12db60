from django.contrib import admin

from portfolio.models import VendorHealth


@admin.register(VendorHealth)
class VendorHealthAdmin(admin.ModelAdmin):
    list_display = ["vendor", "health", "health_score", "flag_count", "period", "refreshed_at"]
    list_filter = ["health"]
    list_select_related = ["vendor"]
    search_fields = ["vendor__name"]
    readonly_fields = [field.name for field in VendorHealth._meta.fields]

"""Admin views for support staff; day-to-day work happens in the app's own pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from costs.models import (
    Budget,
    Dispute,
    ExchangeRate,
    Invoice,
    InvoiceLine,
    PriceTerm,
    PriceTier,
    ValueBaseline,
)


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0


@admin.register(Invoice)
class InvoiceAdmin(SimpleHistoryAdmin):
    list_display = ["number", "vendor", "period", "total", "currency", "status"]
    list_filter = ["status", "period"]
    search_fields = ["number", "vendor__name"]
    list_select_related = ["vendor"]
    inlines = [InvoiceLineInline]


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 0


@admin.register(PriceTerm)
class PriceTermAdmin(SimpleHistoryAdmin):
    list_display = ["label", "contract", "kind", "category", "unit_price", "effective_from", "effective_to"]
    list_filter = ["kind"]
    list_select_related = ["contract__vendor"]
    inlines = [PriceTierInline]


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    list_display = ["invoice", "status", "opened_at", "resolved_at"]
    list_filter = ["status"]
    list_select_related = ["invoice__vendor"]


admin.site.register([ExchangeRate, Budget, ValueBaseline], SimpleHistoryAdmin)

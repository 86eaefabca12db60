"""The alert log (filter by kind, status, channel), webhooks and preferences in the admin."""

from django.contrib import admin
from django.utils import timezone

from alerts.models import Alert, AlertPreference, DeliveryStatus, Webhook


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "channel",
        "status",
        "recipient",
        "webhook",
        "vendor",
        "due_on",
        "attempts",
        "sent_at",
    )
    list_filter = ("kind", "status", "channel", "created_at")
    search_fields = ("title", "recipient__username", "vendor__name")
    list_select_related = ("recipient", "webhook", "vendor")
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [field.name for field in Alert._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry the selected failed alerts now")
    def retry_now(self, request, queryset):
        count = queryset.filter(status=DeliveryStatus.FAILED).update(next_attempt_at=timezone.now())
        self.message_user(request, f"{count} alert(s) will go out with the next sweep.")


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ("name", "service", "vendor", "active")
    list_filter = ("service", "active")
    list_select_related = ("vendor",)


@admin.register(AlertPreference)
class AlertPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "in_app", "email")
    list_filter = ("kind", "email")
    list_select_related = ("user",)

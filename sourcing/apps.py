from django.apps import AppConfig


class SourcingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sourcing"
    verbose_name = "Provider selection"

    def ready(self):
        # Registers the alert kinds: the selection reminders and the due-diligence events.
        from sourcing import diligence_alerts, reminders  # noqa: F401

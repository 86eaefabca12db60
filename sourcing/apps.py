from django.apps import AppConfig


class SourcingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sourcing"
    verbose_name = "Provider selection"

    def ready(self):
        from sourcing import reminders  # noqa: F401  (registers the selection alert kinds)

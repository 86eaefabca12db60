from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts"

    def ready(self):
        # Registers the built-in "what is due" functions with the registry.
        from alerts import due  # noqa: F401

from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "costs"
    verbose_name = "Cost and value"

    def ready(self):
        # Registers the dispute alert kinds at start-up: registering them on first use, in the middle of
        # a job that walks the registry, would change it under the walk.
        from costs import dispute_alerts  # noqa: F401

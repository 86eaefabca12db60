from django.apps import AppConfig


class CostsConfig(AppConfig):
    name = "costs"
    verbose_name = "Cost and value"

    def ready(self):
        # Declares the dispute alert kinds at start-up: imported first by a job (through reverse()
        # loading the URLconf), they would be added to the registry while the job iterates over it.
        from costs import dispute_alerts  # noqa: F401

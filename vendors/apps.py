from django.apps import AppConfig


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = "Vendor registry"

    def ready(self):
        # Registers the exit tasks' overdue alert with the daily job.
        from vendors import exit_alerts  # noqa: F401

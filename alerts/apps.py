from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "alerts"
    verbose_name = "Alerts"

    def ready(self):
        # Registers the built-in alert kinds: the "what is due" functions and the SLA event kinds.
        from alerts import due, due_certifications, due_reviews, due_tasks, measurements  # noqa: F401

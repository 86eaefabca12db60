from django.apps import AppConfig


class RelationshipConfig(AppConfig):
    name = "relationship"
    verbose_name = "Relationship"

    def ready(self):
        # Registers the survey reminders and the daily step that opens each quarter's surveys.
        from relationship import survey_alerts  # noqa: F401

from django.apps import AppConfig


class RelationshipConfig(AppConfig):
    name = "relationship"
    verbose_name = "Relationship"

    def ready(self):
        # Registers the alert kinds: the survey reminders and the daily step that opens each quarter's
        # surveys, the escalation of unanswered issues and the daily overdue issues.
        from relationship import due_issues, escalation, survey_alerts  # noqa: F401

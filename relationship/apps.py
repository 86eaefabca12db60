from django.apps import AppConfig


class RelationshipConfig(AppConfig):
    name = "relationship"
    verbose_name = "Relationship"

    def ready(self):
        # Registers the alert kinds: the escalation of unanswered issues and the daily overdue issues.
        from relationship import due_issues, escalation  # noqa: F401

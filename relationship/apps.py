from django.apps import AppConfig


class RelationshipConfig(AppConfig):
    name = "relationship"
    verbose_name = "Relationship"

"""The criteria template and the due-diligence question bank every install starts with; the manager edits both."""

from django.db import migrations

CRITERIA = [
    ("Industry experience", "Years serving companies like ours, in our industry.", 15),
    ("Service quality and KPIs offered", "The service levels they commit to, and their track record on them.", 20),
    ("Technology capability and integration", "Their platforms, and how they connect to our tools.", 15),
    ("Data security and compliance", "Controls, certifications and the due-diligence answers.", 15),
    ("Cultural fit and language", "Working style, language quality, time-zone overlap.", 10),
    ("Price", "Total cost over the term, against the budget.", 15),
    ("References", "What their clients say when we call them.", 10),
]

# (topic, question, evidence required, may not apply)
QUESTIONS = [
    ("data_protection", "How do you protect our customers' personal data, and who can access it?", False, False),
    ("data_protection", "Where will our data be stored and processed (countries, data centres)?", False, False),
    ("encryption", "How is our data encrypted in transit (protocols, versions)?", False, False),
    ("encryption", "How is our data encrypted at rest, and who manages the keys?", False, False),
    ("security_testing", "When was your last independent penetration test? Attach its summary.", True, False),
    ("security_testing", "Which security audits do you undergo, and how often?", False, False),
    ("incident_response", "Describe your incident response plan. Attach it.", True, False),
    ("incident_response", "Within how many hours do you notify a client of a personal data breach?", False, False),
    ("background_checks", "What background checks do agents and administrators pass before they start?", False, False),
    ("regulation", "How do you comply with the GDPR (data processing agreement, records, data subject requests)?", False, True),
    ("regulation", "How do you comply with HIPAA when handling protected health information?", False, True),
    ("regulation", "Are you PCI DSS compliant for the card data you would handle? At which level?", False, True),
    ("regulation", "How do you honour CCPA requests from California residents?", False, True),
    ("certifications", "List your security and quality certifications with their expiry dates, and attach them.", True, False),
]


def add_defaults(apps, schema_editor):
    """Idempotent: transactional tests flush data migrations' rows and call this to put them back."""
    TemplateCriterion = apps.get_model("sourcing", "TemplateCriterion")
    DiligenceQuestion = apps.get_model("sourcing", "DiligenceQuestion")
    if not TemplateCriterion.objects.exists():
        TemplateCriterion.objects.bulk_create(
            TemplateCriterion(name=name, guidance=guidance, weight=weight, position=position)
            for position, (name, guidance, weight) in enumerate(CRITERIA, start=1)
        )
    if not DiligenceQuestion.objects.exists():
        DiligenceQuestion.objects.bulk_create(
            DiligenceQuestion(
                topic=topic, text=text, evidence_required=evidence, may_not_apply=optional, position=position
            )
            for position, (topic, text, evidence, optional) in enumerate(QUESTIONS, start=1)
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("sourcing", "TemplateCriterion").objects.all().delete()
    apps.get_model("sourcing", "DiligenceQuestion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("sourcing", "0002_weights_add_up_to_100")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]

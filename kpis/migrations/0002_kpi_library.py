from django.db import migrations

from kpis.library import STANDARD_KPIS


def add_library(apps, schema_editor):
    KPI = apps.get_model("kpis", "KPI")
    for code, name, unit, direction, aggregation, description in STANDARD_KPIS:
        KPI.objects.get_or_create(
            code=code,
            defaults={"name": name, "unit": unit, "direction": direction, "aggregation": aggregation,
                      "description": description},
        )


def remove_library(apps, schema_editor):
    apps.get_model("kpis", "KPI").objects.filter(code__in=[row[0] for row in STANDARD_KPIS]).delete()


class Migration(migrations.Migration):
    dependencies = [("kpis", "0001_initial")]
    operations = [migrations.RunPython(add_library, remove_library)]

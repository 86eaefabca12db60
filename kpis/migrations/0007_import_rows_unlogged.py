"""Rows waiting for confirmation skip PostgreSQL's write-ahead log: an upload then costs about what a
COPY into a temporary table costs. A crash or a failover empties such a table; confirming an import
whose rows were lost that way says so and asks for the file again (kpis.services.confirm_import)."""

from django.db import migrations


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE kpis_measurementimportrow SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE kpis_measurementimportrow SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("kpis", "0006_measurement_writes_for_bulk_imports")]

    operations = [migrations.RunPython(unlogged, logged)]

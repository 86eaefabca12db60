"""Cheaper bulk writes of measurements: no index of the vendor's own (the unique constraint starts with
it), no database check of the user on each history row, and room in each page of the table so that a
corrected value is rewritten in place (a HOT update touching no index) instead of in a new page."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def leave_room_for_corrections(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE kpis_measurement SET (fillfactor = 80)")


def pack_pages_full(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE kpis_measurement RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0005_measurement_history_read_by_id"),
        ("vendors", "0003_default_onboarding_template"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalmeasurement",
            name="history_user",
            field=models.ForeignKey(
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="measurement",
            name="vendor",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="measurements",
                to="vendors.vendor",
            ),
        ),
        migrations.RunPython(leave_room_for_corrections, pack_pages_full),
    ]

"""Imports waiting for confirmation keep their rows in a table (filled by COPY) instead of a JSON list.

In three steps: create the table, move the rows of imports still waiting for confirmation into it,
drop the JSON column. Confirmed and discarded imports' JSON is not needed: their rows are measurements
(with history) or were thrown away. Reversible: going back rebuilds the JSON of waiting imports.
"""

import django.db.models.deletion
from django.db import migrations, models

WAITING = "previewed"


def rows_to_table(apps, schema_editor):
    MeasurementImport = apps.get_model("kpis", "MeasurementImport")
    MeasurementImportRow = apps.get_model("kpis", "MeasurementImportRow")
    for measurement_import in MeasurementImport.objects.filter(status=WAITING).iterator():
        MeasurementImportRow.objects.bulk_create(
            MeasurementImportRow(
                measurement_import=measurement_import,
                vendor_id=vendor_id,
                kpi_id=kpi_id,
                period=period,
                value=value,
                volume=volume,
            )
            for vendor_id, kpi_id, period, value, volume in measurement_import.rows
        )


def table_to_rows(apps, schema_editor):
    MeasurementImport = apps.get_model("kpis", "MeasurementImport")
    MeasurementImportRow = apps.get_model("kpis", "MeasurementImportRow")
    for measurement_import in MeasurementImport.objects.filter(status=WAITING).iterator():
        staged = MeasurementImportRow.objects.filter(measurement_import=measurement_import).order_by("id")
        measurement_import.rows = [
            [vendor_id, kpi_id, period.isoformat(), str(value), volume]
            for vendor_id, kpi_id, period, value, volume in staged.values_list(
                "vendor_id", "kpi_id", "period", "value", "volume"
            )
        ]
        measurement_import.save(update_fields=["rows"])


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0003_measurement_import"),
        ("vendors", "0003_default_onboarding_template"),
    ]

    operations = [
        migrations.CreateModel(
            name="MeasurementImportRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("period", models.DateField()),
                ("value", models.DecimalField(decimal_places=4, max_digits=14)),
                ("volume", models.PositiveIntegerField(blank=True, null=True)),
                (
                    "kpi",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="kpis.kpi",
                    ),
                ),
                (
                    "measurement_import",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staged_rows",
                        to="kpis.measurementimport",
                    ),
                ),
                (
                    "vendor",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="vendors.vendor",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("measurement_import", "vendor", "kpi", "period"),
                        name="import_row_once_per_period",
                    )
                ],
            },
        ),
        migrations.RunPython(rows_to_table, table_to_rows),
        migrations.RemoveField(
            model_name="measurementimport",
            name="rows",
        ),
    ]

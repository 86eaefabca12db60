"""Writes to KPI data. Every measurement, whatever its source, is saved through `record_measurement`."""

from django.db import transaction

from kpis.models import Measurement


@transaction.atomic
def record_measurement(*, vendor, kpi, period, value, source, entered_by=None, volume=None):
    """Save the vendor's value for a KPI and period; a second value for the same period replaces the
    first (the history keeps it). Returns (measurement, created)."""
    return Measurement.objects.update_or_create(
        vendor=vendor,
        kpi=kpi,
        period=period,
        defaults={"value": value, "volume": volume, "source": source, "entered_by": entered_by},
    )

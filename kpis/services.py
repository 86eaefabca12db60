"""Writes to KPI data. Every measurement, whatever its source, is saved through `record_measurement`."""

from django.db import transaction

from alerts.measurements import measurement_recorded
from kpis.models import Measurement


@transaction.atomic
def record_measurement(*, vendor, kpi, period, value, source, entered_by=None, volume=None):
    """Save the vendor's value for a KPI and period; a second value for the same period replaces the
    first (the history keeps it). Returns (measurement, created).

    SLA breach and warning alerts are written in this same transaction (a transactional outbox), so
    they exist exactly when the measurement does and go out even if the broker is down right now.
    """
    measurement, created = Measurement.objects.update_or_create(
        vendor=vendor,
        kpi=kpi,
        period=period,
        defaults={"value": value, "volume": volume, "source": source, "entered_by": entered_by},
    )
    measurement_recorded(measurement)
    return measurement, created

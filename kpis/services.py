"""Writes to KPI data. Every measurement, whatever its source, is saved through `record_measurements`
(many at once) or `record_measurement` (one, the same path): they are the single door to the table."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from alerts.measurements import measurements_recorded
from kpis.models import ImportStatus, Measurement, MeasurementImport, SLATarget
from kpis.signals import measurements_saved


@dataclass(frozen=True)
class Entry:
    """One value to record: ids rather than objects, so that 100,000 of them stay cheap."""

    vendor_id: int
    kpi_id: int
    period: date
    value: Decimal
    volume: int | None = None


@dataclass(frozen=True)
class RecordResult:
    created: int
    updated: int
    unchanged: int
    changed_ids: list[int]


# One statement upserts the staged rows and writes a history row for each one that really changed,
# the same rows django-simple-history would write one by one ('+' created, '~' changed). Rows whose
# value and volume are unchanged are left alone: no history, no new `updated_at`.
UPSERT_SQL = """
WITH upserted AS (
    INSERT INTO {table} AS m (vendor_id, kpi_id, period, value, volume, source, entered_by_id, updated_at)
    SELECT vendor_id, kpi_id, period, value, volume, %(source)s, %(user_id)s, %(now)s
    FROM measurement_staging
    ON CONFLICT ON CONSTRAINT measurement_one_per_period DO UPDATE
        SET value = EXCLUDED.value, volume = EXCLUDED.volume, source = EXCLUDED.source,
            entered_by_id = EXCLUDED.entered_by_id, updated_at = EXCLUDED.updated_at
        WHERE (m.value, m.volume) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.volume)
    RETURNING m.id, m.vendor_id, m.kpi_id, m.period, m.value, m.volume, (m.xmax = 0) AS created
), history AS (
    INSERT INTO {history_table} (id, vendor_id, kpi_id, period, value, volume, source, entered_by_id,
                                 updated_at, history_date, history_type, history_user_id)
    SELECT id, vendor_id, kpi_id, period, value, volume, %(source)s, %(user_id)s, %(now)s, %(now)s,
           CASE WHEN created THEN '+' ELSE '~' END, %(user_id)s
    FROM upserted
)
SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created),
       coalesce(array_agg(id), '{{}}')
FROM upserted
"""


@transaction.atomic
def record_measurements(*, entries, source, entered_by=None) -> RecordResult:
    """Save many values at once: new ones are created, changed ones updated (the history keeps the old
    value), identical ones left alone. A later entry for the same vendor, KPI and period wins.

    The rows go through a temporary table filled by COPY and one INSERT … ON CONFLICT, so 100,000 rows
    cost a few statements, not 100,000.
    """
    unique = {(e.vendor_id, e.kpi_id, e.period): e for e in entries}
    if not unique:
        return RecordResult(0, 0, 0, [])
    if connection.vendor == "postgresql":
        result = _upsert_in_bulk(unique.values(), source, entered_by)
    else:
        result = _upsert_one_by_one(unique.values(), source, entered_by)
    # The SLA alerts are written in this same transaction (a transactional outbox): they exist exactly
    # when the measurements do, and go out even if the broker is down at this moment.
    measurements_recorded(result.changed_ids)
    if result.changed_ids:
        measurements_saved.send(Measurement, vendor_ids={e.vendor_id for e in unique.values()})
    return result


def _upsert_in_bulk(entries, source, entered_by) -> RecordResult:
    table = Measurement._meta.db_table
    history_table = Measurement.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE measurement_staging (vendor_id bigint, kpi_id bigint, period date,"
            " value numeric(14, 4), volume integer) ON COMMIT DROP"
        )
        with cursor.copy("COPY measurement_staging FROM STDIN") as copy:
            for e in entries:
                copy.write_row((e.vendor_id, e.kpi_id, e.period, e.value, e.volume))
        cursor.execute(
            UPSERT_SQL.format(table=table, history_table=history_table),
            {"source": source, "user_id": getattr(entered_by, "pk", None), "now": timezone.now()},
        )
        created, updated, changed_ids = cursor.fetchone()
        cursor.execute("DROP TABLE measurement_staging")
    return RecordResult(created, updated, len(entries) - created - updated, changed_ids)


def _upsert_one_by_one(entries, source, entered_by) -> RecordResult:
    """The portable path, for the embedded SQLite database of the quick start: one row at a time."""
    created = updated = 0
    changed_ids = []
    for e in entries:
        measurement = Measurement.objects.filter(
            vendor_id=e.vendor_id, kpi_id=e.kpi_id, period=e.period
        ).first()
        if measurement and (measurement.value, measurement.volume) == (e.value, e.volume):
            continue
        measurement = measurement or Measurement(vendor_id=e.vendor_id, kpi_id=e.kpi_id, period=e.period)
        created += measurement.pk is None
        updated += measurement.pk is not None
        measurement.value, measurement.volume = e.value, e.volume
        measurement.source, measurement.entered_by = source, entered_by
        measurement.save()
        changed_ids.append(measurement.pk)
    return RecordResult(created, updated, len(entries) - created - updated, changed_ids)


def record_measurement(*, vendor, kpi, period, value, source, entered_by=None, volume=None):
    """Save the vendor's value for a KPI and period; a second value for the same period replaces the
    first (the history keeps it). Returns (measurement, created)."""
    result = record_measurements(
        entries=[Entry(vendor.pk, kpi.pk, period, Decimal(value), volume)],
        source=source,
        entered_by=entered_by,
    )
    return Measurement.objects.get(vendor=vendor, kpi=kpi, period=period), bool(result.created)


@transaction.atomic
def confirm_import(*, measurement_import, user) -> RecordResult:
    """Write a previewed import. Claimed with a conditional UPDATE so a double click imports once."""
    claimed = MeasurementImport.objects.filter(
        pk=measurement_import.pk, status=ImportStatus.PREVIEWED
    ).update(status=ImportStatus.CONFIRMED, confirmed_at=timezone.now())
    if not claimed:
        raise ValidationError("This import was already confirmed or discarded.")
    result = record_measurements(
        entries=[
            Entry(vendor_id, kpi_id, date.fromisoformat(period), Decimal(value), volume)
            for vendor_id, kpi_id, period, value, volume in measurement_import.rows
        ],
        source="import",
        entered_by=user,
    )
    MeasurementImport.objects.filter(pk=measurement_import.pk).update(
        created_count=result.created, updated_count=result.updated, unchanged_count=result.unchanged
    )
    return result


@transaction.atomic
def change_target(*, current, effective_from, **values) -> SLATarget:
    """A new version of an SLA target from `effective_from`; the current version ends that day, so
    periods before it keep being judged against the old numbers."""
    if effective_from <= current.effective_from:
        raise ValidationError(
            {"effective_from": f"Must be after the current version's start ({current.effective_from})."}
        )
    new = SLATarget(
        sla=current.sla, kpi=current.kpi, effective_from=effective_from, effective_to=current.effective_to
    )
    for name, value in values.items():
        setattr(new, name, value)
    new.full_clean()
    current.effective_to = effective_from
    current.save(update_fields=["effective_to"])
    new.save()
    return new


@transaction.atomic
def add_target(*, sla, kpi, effective_from, **values) -> SLATarget:
    """Put a KPI into an SLA. A KPI already in force in the SLA must be changed, not added twice."""
    if SLATarget.objects.filter(sla=sla, kpi=kpi, effective_to__isnull=True).exists():
        raise ValidationError({"kpi": f"{kpi} is already in this SLA: change its target instead."})
    target = SLATarget(sla=sla, kpi=kpi, effective_from=effective_from, **values)
    target.full_clean()
    target.save()
    return target


def end_target(*, target, effective_to):
    """Take a KPI out of an SLA from a date on; earlier periods keep their target."""
    if effective_to <= target.effective_from:
        raise ValidationError(f"Must be after the version's start ({target.effective_from}).")
    target.effective_to = effective_to
    target.save(update_fields=["effective_to"])

"""Writes to KPI data. Every measurement, whatever its source, is saved through `record_measurements`
(many at once) or `record_measurement` (one, the same path): they are the single door to the table."""

from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from alerts.measurements import alerts_from, measurements_recorded
from kpis.models import ImportStatus, Measurement, MeasurementImport, MeasurementImportRow, SLATarget, Source
from kpis.signals import measurements_saved


class Entry(NamedTuple):
    """One value to record: ids rather than objects (a tuple), so that 100,000 of them stay cheap."""

    vendor_id: int
    kpi_id: int
    period: date
    value: Decimal
    volume: int | None = None


class Changed(NamedTuple):
    """A measurement a call created or changed, as the SLA alert rules read it."""

    id: int
    vendor_id: int
    kpi_id: int
    period: date
    value: Decimal


class RecordResult(NamedTuple):
    created: int
    updated: int
    unchanged: int
    vendor_ids: list[int]  # the vendors with a created or changed measurement
    alertable: list[Changed]  # the created or changed measurements of periods recent enough to alert


# One statement upserts the rows and writes a history row for each one that really changed, the same
# rows django-simple-history would write one by one ('+' created, '~' changed). Rows whose value and
# volume are unchanged are left alone: no history, no new `updated_at`. `{rows}` is a SELECT of
# (vendor_id, kpi_id, period, value, volume) with one row per vendor, KPI and period.
UPSERT_SQL = """
WITH upserted AS (
    INSERT INTO {table} AS m (vendor_id, kpi_id, period, value, volume, source, entered_by_id, updated_at)
    SELECT vendor_id, kpi_id, period, value, volume, %(source)s, %(user_id)s, %(now)s FROM ({rows}) r
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
), alertable AS (
    SELECT id, vendor_id, kpi_id, period, value FROM upserted WHERE period >= %(alerts_from)s
)
SELECT (SELECT count(*) FILTER (WHERE created) FROM upserted),
       (SELECT count(*) FILTER (WHERE NOT created) FROM upserted),
       (SELECT coalesce(array_agg(DISTINCT vendor_id), '{{}}') FROM upserted),
       array_agg(id), array_agg(vendor_id), array_agg(kpi_id), array_agg(period), array_agg(value)
FROM alertable
"""
ENTRY_ROWS = """
    SELECT * FROM unnest(%(vendor_ids)s::bigint[], %(kpi_ids)s::bigint[], %(periods)s::date[],
                         %(values)s::numeric[], %(volumes)s::integer[])
                  AS e(vendor_id, kpi_id, period, value, volume)
"""
STAGED_ROWS = """
    SELECT vendor_id, kpi_id, period, value, volume FROM {staging_table}
    WHERE measurement_import_id = %(import_id)s
"""


@transaction.atomic
def record_measurements(*, entries, source, entered_by=None) -> RecordResult:
    """Save many values at once: new ones are created, changed ones updated (the history keeps the old
    value), identical ones left alone. A later entry for the same vendor, KPI and period wins.

    The rows go in as arrays unnested by one INSERT … ON CONFLICT, so 1,000 rows cost one statement,
    not 1,000, and a long transaction that records many small batches (the demo seed, audits) creates no
    temporary tables, whose locks would pile up until the commit.
    """
    unique = list({(e.vendor_id, e.kpi_id, e.period): e for e in entries}.values())
    if not unique:
        return RecordResult(0, 0, 0, [], [])
    if connection.vendor == "postgresql":
        vendor_ids, kpi_ids, periods, values, volumes = zip(*unique, strict=True)
        arrays = {
            "vendor_ids": list(vendor_ids),
            "kpi_ids": list(kpi_ids),
            "periods": list(periods),
            "values": [Decimal(value) for value in values],
            "volumes": list(volumes),
        }
        result = _upsert_in_bulk(ENTRY_ROWS, arrays, len(unique), source, entered_by)
    else:
        result = _upsert_one_by_one(unique, source, entered_by)
    _announce(result)
    return result


def _announce(result):
    # The SLA alerts are written in this same transaction (a transactional outbox): they exist exactly
    # when the measurements do, and go out even if the broker is down at this moment.
    measurements_recorded(result.alertable)
    if result.vendor_ids:
        measurements_saved.send(Measurement, vendor_ids=set(result.vendor_ids))


def _upsert_in_bulk(rows_sql, params, row_count, source, entered_by) -> RecordResult:
    sql = UPSERT_SQL.format(
        table=Measurement._meta.db_table,
        history_table=Measurement.history.model._meta.db_table,
        rows=rows_sql,
    )
    now = timezone.now()
    params |= {"source": source, "user_id": getattr(entered_by, "pk", None), "now": now}
    params["alerts_from"] = alerts_from(timezone.localdate(now))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        created, updated, vendor_ids, *alertable = cursor.fetchone()
    alertable = [Changed(*row) for row in zip(*(column or [] for column in alertable), strict=True)]
    return RecordResult(created, updated, row_count - created - updated, vendor_ids, alertable)


def _upsert_one_by_one(entries, source, entered_by) -> RecordResult:
    """The portable path, for the embedded SQLite database of the quick start: one row at a time."""
    created = updated = 0
    vendor_ids, changed = set(), []
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
        vendor_ids.add(e.vendor_id)
        changed.append(Changed(measurement.pk, e.vendor_id, e.kpi_id, e.period, Decimal(e.value)))
    oldest = alerts_from(timezone.localdate())
    alertable = [c for c in changed if c.period >= oldest]
    return RecordResult(created, updated, len(entries) - created - updated, sorted(vendor_ids), alertable)


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
def stage_import(*, uploaded_by, file_name, entries) -> MeasurementImport:
    """Keep a checked file's rows in the database until someone confirms or discards the import.

    PostgreSQL takes them with one COPY; `entries` must hold one row per vendor, KPI and period (the
    importer reports duplicates as errors), which the table's unique constraint enforces too.
    """
    measurement_import = MeasurementImport.objects.create(uploaded_by=uploaded_by, file_name=file_name[:255])
    if connection.vendor == "postgresql":
        columns = "measurement_import_id, vendor_id, kpi_id, period, value, volume"
        pk = measurement_import.pk
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {MeasurementImportRow._meta.db_table} ({columns}) FROM STDIN") as copy,
        ):
            for entry in entries:
                copy.write_row((pk, *entry))
    else:
        MeasurementImportRow.objects.bulk_create(
            MeasurementImportRow(measurement_import=measurement_import, **entry._asdict())
            for entry in entries
        )
    return measurement_import


def _claim(measurement_import, status, **changes):
    """Move a previewed import on, once: a double click or a second tab finds it already moved."""
    claimed = MeasurementImport.objects.filter(
        pk=measurement_import.pk, status=ImportStatus.PREVIEWED
    ).update(status=status, **changes)
    if not claimed:
        raise ValidationError("This import was already confirmed or discarded.")


@transaction.atomic
def confirm_import(*, measurement_import, user) -> RecordResult:
    """Write a previewed import's stored rows, with one INSERT … SELECT from them."""
    _claim(measurement_import, ImportStatus.CONFIRMED, confirmed_at=timezone.now())
    staged = MeasurementImportRow.objects.filter(measurement_import=measurement_import)
    row_count = staged.count()
    if not row_count:
        # Every upload has rows; none left means the database lost its unlogged staging table (a
        # crash or a failover): importing nothing while saying "imported" would hide that.
        raise ValidationError(
            "This preview's rows were lost when the database restarted: upload the file again."
        )
    if connection.vendor == "postgresql":
        rows_sql = STAGED_ROWS.format(staging_table=MeasurementImportRow._meta.db_table)
        params = {"import_id": measurement_import.pk}
        result = _upsert_in_bulk(rows_sql, params, row_count, Source.IMPORT, user)
    else:
        entries = [
            Entry(*row) for row in staged.values_list("vendor_id", "kpi_id", "period", "value", "volume")
        ]
        result = _upsert_one_by_one(entries, Source.IMPORT, user)
    _announce(result)
    staged.delete()
    MeasurementImport.objects.filter(pk=measurement_import.pk).update(
        created_count=result.created, updated_count=result.updated, unchanged_count=result.unchanged
    )
    return result


@transaction.atomic
def discard_import(*, measurement_import) -> None:
    _claim(measurement_import, ImportStatus.DISCARDED)
    MeasurementImportRow.objects.filter(measurement_import=measurement_import).delete()


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

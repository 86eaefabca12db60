"""Read a CSV or XLSX export of measurements, check every row, and say what importing it would change.

All or nothing: `parse_upload` returns the clean rows *and* every row's errors; the views import only
when there is no error at all. Lookups are a handful of dictionary builds, never one query per row.
"""

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from operator import itemgetter

from django.db import connection

from kpis.models import KPI, Frequency, Measurement, MeasurementImportRow, SLATarget, Unit
from kpis.notation import parse_period, parse_value, parse_volume
from kpis.periods import add_months, month_start
from kpis.services import Entry
from vendors.models import Vendor

# Header names seen in contact-center and WFM exports, normalised (lower case, no spaces or _).
COLUMNS = {
    "vendor": {"vendor", "vendorname", "vendorcode", "partner", "site", "supplier"},
    "kpi": {"kpi", "kpicode", "kpiname", "metric", "measure", "indicator"},
    "period": {"period", "month", "date", "week", "day", "periodstart"},
    "value": {"value", "actual", "result", "score"},
    "volume": {"volume", "contacts", "calls", "items", "handled"},
}
REQUIRED = ("vendor", "kpi", "period", "value")
EXPECTED = "Expected vendor, kpi, period, value and optionally volume."
MONTHS_BACK = 60  # older values are almost certainly a typo in the year


@dataclass(frozen=True)
class RowError:
    line: int
    text: str
    reasons: list[str]


@dataclass
class ParsedUpload:
    entries: list[Entry] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0


class FileError(ValueError):
    """The file as a whole cannot be read (not a table, missing columns)."""


def read_rows(name: str, content: bytes):
    """(line number, [cells]) of the file, header first, for CSV (`;` or `,`, BOM or not) and XLSX."""
    if name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileError("The file is not UTF-8 text: export it as CSV UTF-8 or XLSX.") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if "\t" in first_line and delimiter not in first_line:
        delimiter = "\t"
    return enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)


def _read_xlsx(content):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError):
        raise FileError("The file is not a readable XLSX workbook.") from None
    sheet = workbook.worksheets[0]
    return enumerate(
        ([("" if cell is None else cell) for cell in row] for row in sheet.iter_rows(values_only=True)),
        start=1,
    )


def header_of(rows):
    """The first row with anything in it, which names the columns; FileError for an empty file."""
    header = next((cells for _, cells in rows if any(str(c).strip() for c in cells)), None)
    if header is None:
        raise FileError("The file is empty.")
    return header


def normalised_header(cell) -> str:
    """`Invoice No.`, `unit_price`, `KPI-code` → `invoiceno`, `unitprice`, `kpicode`."""
    return "".join(char for char in str(cell).strip().lower() if char not in " _-.#:")


def column_positions(header, *, columns=COLUMNS, required=REQUIRED, expected=EXPECTED):
    """Where each known column is: the first header cell among its `columns` spellings. The invoice
    importer (costs) passes its own columns."""
    normalised = [normalised_header(cell) for cell in header]
    positions = {}
    for column, names in columns.items():
        for index, cell in enumerate(normalised):
            if cell in names and column not in positions:
                positions[column] = index
    missing = [column for column in required if column not in positions]
    if missing:
        raise FileError(f"The first row must name the columns; missing: {', '.join(missing)}. {expected}")
    return positions


class Lookups:
    """Vendors, KPIs and target frequencies, each fetched once for the whole file."""

    def __init__(self, user):
        self.vendors = {}
        for pk, slug, name in Vendor.objects.visible_to(user).values_list("pk", "slug", "name"):
            self.vendors[slug.lower()] = pk
            self.vendors[name.lower()] = pk
        self.kpis = {}
        for kpi in KPI.objects.all():
            self.kpis[kpi.code.lower()] = kpi
            self.kpis[kpi.name.lower()] = kpi
        self.frequencies = {
            (vendor_id, kpi_id): frequency
            for vendor_id, kpi_id, frequency in SLATarget.objects.filter(effective_to__isnull=True)
            .exclude(frequency=Frequency.MONTHLY)
            .values_list("sla__vendor_id", "kpi_id", "frequency")
        }


def _check_period(period, frequency, today):
    latest = today if frequency == Frequency.DAILY else month_start(today)
    earliest = add_months(month_start(today), -MONTHS_BACK)
    if not earliest <= period <= latest:
        raise ValueError(f"period {period:%Y-%m-%d} is out of range ({earliest:%Y-%m} to {latest:%Y-%m-%d})")
    if frequency == Frequency.MONTHLY and period.day != 1:
        raise ValueError(f"{period} is not a month: write {period:%Y-%m}")
    if frequency == Frequency.WEEKLY and period.weekday() != 0:
        raise ValueError(f"{period} is not the Monday that starts a weekly period")
    return period


def _remembered(parse):
    """`parse` run once per distinct cell: an export repeats the same few periods, volumes and values
    on thousands of rows. Returns (result, None) or (None, the reason the cell is wrong)."""
    results = {}

    def parsed(cell):
        # Spreadsheet cells keep their type in the key: True == 1 == 1.0 for a dict, not for the parsers.
        key = cell if type(cell) is str else (type(cell), cell)
        result = results.get(key)
        if result is None:
            try:
                result = (parse(cell), None)
            except ValueError as error:
                result = (None, str(error))
            results[key] = result
        return result

    return parsed


class RowChecker:
    """Checks one row after another against the lookups, each distinct cell parsed only once."""

    def __init__(self, lookups, today):
        self.frequencies = lookups.frequencies
        self.vendor = _remembered(lambda cell: lookups.vendors.get(str(cell).strip().lower()))
        self.kpi = _remembered(lambda cell: lookups.kpis.get(str(cell).strip().lower()))
        self.period = _remembered(parse_period)
        self.in_range = _remembered(lambda pair: _check_period(*pair, today))
        self.value = {unit: _remembered(partial(parse_value, unit=unit)) for unit in Unit.values}
        self.volume = _remembered(parse_volume)

    def check(self, vendor_cell, kpi_cell, period_cell, value_cell, volume_cell):
        """(Entry, []) for a good row, (None, reasons) for a bad one."""
        reasons = []
        vendor_id = self.vendor(vendor_cell)[0]
        if vendor_id is None:
            reasons.append(f"unknown vendor “{vendor_cell}”")
        kpi = self.kpi(kpi_cell)[0]
        if kpi is None:
            reasons.append(f"unknown KPI “{kpi_cell}”")
        period, error = self.period(period_cell)
        if period is not None:
            frequency = self.frequencies.get((vendor_id, kpi and kpi.id), Frequency.MONTHLY)
            period, error = self.in_range((period, frequency))
        if error:
            reasons.append(error)
        value = None
        if kpi is not None:
            value, error = self.value[kpi.unit](value_cell)
            if error:
                reasons.append(f"{kpi.name}: {error}")
        volume, error = self.volume(volume_cell)
        if error:
            reasons.append(error)
        if reasons:
            return None, reasons
        return Entry(vendor_id, kpi.id, period, value, volume), reasons


def parse_upload(name: str, content: bytes, *, user, today: date) -> ParsedUpload:
    """Every row checked; FileError when the file as a whole cannot be read."""
    rows = read_rows(name, content)
    header = header_of(rows)
    positions = column_positions(header)
    # Missing trailing cells read as empty; a file without a volume column has no volumes.
    order = [positions[column] for column in REQUIRED] + [positions.get("volume", len(header))]
    cells_of = itemgetter(*order)
    width = max(order) + 1
    padding = [""] * width
    no_volume = "volume" not in positions
    checker = RowChecker(Lookups(user), today)
    parsed = ParsedUpload()
    seen = {}
    for line, cells in rows:
        if not any(str(cell).strip() for cell in cells):
            continue
        parsed.row_count += 1
        padded = cells if len(cells) >= width else [*cells, *padding[len(cells) :]]
        vendor_cell, kpi_cell, period_cell, value_cell, volume_cell = cells_of(padded)
        entry, reasons = checker.check(
            vendor_cell, kpi_cell, period_cell, value_cell, None if no_volume else volume_cell
        )
        if entry is not None:
            key = entry[:3]
            if key in seen:
                reasons.append(f"duplicate of line {seen[key]} (same vendor, KPI and period)")
            else:
                seen[key] = line
                parsed.entries.append(entry)
                continue
        text = " ; ".join(str(c) for c in cells)
        parsed.errors.append(RowError(line, text[:200], reasons))
    if parsed.row_count == 0:
        raise FileError("The file has a header but no rows.")
    return parsed


@dataclass
class Preview:
    counts: Counter
    changes: list[dict]  # the first rows that are new or changed, for people to read


# Each stored row of an import against the measurement it would replace. Plain SQL that PostgreSQL and
# SQLite both run; PostgreSQL joins the 100,000 rows of a large import by hash in a fraction of a second.
COMPARE_SQL = """
SELECT r.id, m.id,
       CASE WHEN m.id IS NULL THEN 'new'
            WHEN m.value = r.value AND (m.volume = r.volume OR (m.volume IS NULL AND r.volume IS NULL))
            THEN 'unchanged'
            ELSE 'changed' END AS kind
FROM {rows} r LEFT JOIN {measurements} m
     ON m.vendor_id = r.vendor_id AND m.kpi_id = r.kpi_id AND m.period = r.period
WHERE r.measurement_import_id = %s
"""


def preview(measurement_import, *, limit=200) -> Preview:
    """What confirming the import would do, new, changed or unchanged, compared in the database."""
    compare = COMPARE_SQL.format(
        rows=MeasurementImportRow._meta.db_table, measurements=Measurement._meta.db_table
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, count(*) FROM ({compare}) c GROUP BY kind", [measurement_import.pk])
        counts = Counter(dict(cursor.fetchall()))
        cursor.execute(
            f"SELECT * FROM ({compare}) c WHERE kind <> 'unchanged' ORDER BY 1 LIMIT %s",
            [measurement_import.pk, limit],
        )
        listed = cursor.fetchall()
    rows = MeasurementImportRow.objects.select_related("vendor", "kpi").in_bulk(
        [row_id for row_id, _, _ in listed]
    )
    stored = Measurement.objects.in_bulk([pk for _, pk, _ in listed if pk])
    changes = [
        {
            "entry": rows[row_id],
            "kind": kind,
            "old": stored[pk].value if pk else None,
            "vendor": rows[row_id].vendor,
            "kpi": rows[row_id].kpi,
        }
        for row_id, pk, kind in listed
    ]
    return Preview(counts, changes)

"""A scorecard as CSV or XLSX, safe to open in a spreadsheet; `table_csv` and `table_xlsx` write any
table the same way (the selection comparison uses them too).

Text that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage return)
gets a leading apostrophe, so a vendor or KPI named `=HYPERLINK(...)` stays text. Numbers stay numbers.
"""

import csv
import io
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = ["KPI", "Unit", "Target", "Warning", "Breach", "Weight", "Actual", "Variance", "Status", "Trend"]


class Header(list):
    """A table row the spreadsheet shows in bold."""


def neutralise(cell):
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def scorecard_rows(scorecard):
    """The table of a scorecard: a title block, one row per KPI, then the totals."""
    vendor, period = scorecard.vendor, scorecard.period
    yield ["Vendor", vendor.name]
    yield ["Period", period.strftime("%Y-%m")]
    yield []
    yield Header(HEADER)
    for row in scorecard.rows:
        target = row.target
        yield [
            row.kpi.name,
            row.kpi.get_unit_display(),
            target.target,
            target.warning_threshold,
            target.breach_threshold,
            target.weight,
            row.actual,
            row.variance,
            row.status.label if row.status else "Not measured",
            row.trend,
        ]
    yield []
    yield ["Weighted score", scorecard.score]
    yield ["SLA adherence (%)", scorecard.adherence]
    yield ["Service credits due", scorecard.service_credits, scorecard.currency]


def _plain(cell):
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        # normalize() alone writes a round 80.0000 as "8E+1".
        return cell.quantize(1) if cell == cell.to_integral_value() else cell.normalize()
    return cell


def _cells(row):
    return [neutralise(_plain(cell)) for cell in row]


def table_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(_cells(row))
    # A BOM so that Excel opens the file as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(rows, *, title) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        # openpyxl treats a str beginning with "=" as a formula; mark every text cell as a string.
        sheet.append([float(cell) if isinstance(cell, Decimal) else cell for cell in _cells(row)])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
            if isinstance(row, Header):
                cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 32
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def scorecard_csv(scorecard) -> bytes:
    return table_csv(scorecard_rows(scorecard))


def scorecard_xlsx(scorecard) -> bytes:
    return table_xlsx(scorecard_rows(scorecard), title=scorecard.period.strftime("%Y-%m"))

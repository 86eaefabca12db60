"""Invoices from a CSV or XLSX file: one row per invoice line, the rows of one invoice number grouped.

The KPI importer's reader and notations do the reading (`;` or `,`, XLSX, decimal commas, `2026-10`);
the rules are those of `costs/invoicing.py`. All or nothing: `parse_invoice_file` returns the invoices
*and* every bad row with its reasons, and `import_invoices` is only called when there is no bad row.
Vendors, their contracts and the invoice numbers already taken are each fetched once for the file.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from costs.invoicing import (
    InvoiceData,
    LineData,
    contract_in_force,
    currency_problem,
    invoice_create,
    line_amount,
    number_taken_message,
    total_problem,
)
from costs.models import Invoice, InvoiceSource
from costs.money import cents
from kpis.importer import FileError, RowError, column_positions, header_of, read_rows
from kpis.notation import parse_date, parse_number, parse_period
from kpis.periods import month_start
from vendors.models import Contract, Vendor

# Header spellings seen in billing exports, normalised as the KPI importer does (`Invoice No.` → invoiceno).
COLUMNS = {
    "vendor": {"vendor", "vendorname", "vendorcode", "supplier", "suppliername", "partner"},
    "number": {"invoicenumber", "invoiceno", "invoicenr", "invoice", "invoiceid", "number", "no"},
    "month": {"month", "period", "invoicemonth", "billingmonth", "billingperiod", "servicemonth"},
    "issued_on": {"issuedon", "issued", "issuedate", "invoicedate", "date", "dateissued"},
    "currency": {"currency", "cur", "ccy", "currencycode"},
    "category": {"category", "chargetype", "type", "item", "itemcode", "code"},
    "description": {"description", "desc", "details", "text", "label", "itemdescription"},
    "quantity": {"quantity", "qty", "units", "count", "volume"},
    "unit_price": {"unitprice", "price", "rate", "unitrate", "priceperunit", "unitcost"},
    "amount": {"amount", "lineamount", "linetotal", "net", "netamount", "value", "total"},
    "invoice_total": {"invoicetotal", "totaldue", "amountdue", "grandtotal"},
}
REQUIRED = ("vendor", "number", "month", "issued_on", "currency", "category", "quantity", "unit_price")
EXPECTED = (
    "Expected vendor, invoice number, month, issued on, currency, category, quantity, unit price, "
    "and optionally description, amount and invoice total."
)
ISO_CURRENCY = re.compile(r"[A-Z]{3}")


@dataclass
class ImportedInvoice:
    vendor: Vendor
    contract: Contract
    data: InvoiceData
    lines: list[LineData]
    line_numbers: list[int]


@dataclass
class ParsedInvoices:
    invoices: list[ImportedInvoice] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def line_count(self) -> int:
        return sum(len(invoice.lines) for invoice in self.invoices)


@dataclass
class Row:
    """One line of the file, parsed; `reasons` says what is wrong with it."""

    line: int
    text: str
    vendor: Vendor | None
    number: str
    month: date | None = None
    issued_on: date | None = None
    currency: str = ""
    total: Decimal | None = None
    item: LineData | None = None
    amount: Decimal | None = None
    reasons: list[str] = field(default_factory=list)


def _text(cell) -> str:
    # A spreadsheet keeps invoice number 1001 as the number 1001.0.
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _parsed(parse, cell, reasons, what=None):
    try:
        return parse(cell)
    except ValueError as error:
        reasons.append(f"{what}: {error}" if what else str(error))
        return None


class Lookups:
    """The vendors the user may see, their current contracts, each fetched once for the whole file."""

    def __init__(self, user):
        vendors = list(Vendor.objects.visible_to(user).current())
        self.vendors = {}
        for vendor in vendors:
            self.vendors[vendor.slug.lower()] = vendor
            self.vendors[vendor.name.lower()] = vendor
        self.contracts = defaultdict(list)
        for contract in Contract.objects.current().filter(vendor__in=vendors).order_by("-start_date"):
            self.contracts[contract.vendor_id].append(contract)

    def taken_numbers(self, keys) -> set[tuple[int, str]]:
        numbers = {number for _, number in keys}
        vendor_ids = {vendor_id for vendor_id, _ in keys}
        return set(
            Invoice.objects.filter(vendor_id__in=vendor_ids, number__in=numbers).values_list(
                "vendor_id", "number"
            )
        )


def _parse_row(line, cells, cell, lookups) -> Row:
    vendor_cell = _text(cell(cells, "vendor"))
    row = Row(line, " ; ".join(str(c) for c in cells)[:200], lookups.vendors.get(vendor_cell.lower()), "")
    reasons = row.reasons
    if row.vendor is None:
        reasons.append(f"unknown vendor “{vendor_cell}”")
    row.number = _text(cell(cells, "number"))
    if not row.number:
        reasons.append("the invoice number is missing")
    month = _parsed(parse_period, cell(cells, "month"), reasons, "month")
    row.month = month and month_start(month)
    row.issued_on = _parsed(parse_date, cell(cells, "issued_on"), reasons, "issued on")
    row.currency = _text(cell(cells, "currency")).upper()
    if not ISO_CURRENCY.fullmatch(row.currency):
        reasons.append(f"“{row.currency}” is not a currency code (write EUR, USD…)")
    category = slugify(_text(cell(cells, "category")))[:40]
    if not category:
        reasons.append("the category is missing")
    quantity = _parsed(parse_number, cell(cells, "quantity"), reasons, "quantity")
    unit_price = _parsed(parse_number, cell(cells, "unit_price"), reasons, "unit price")
    amount_cell, amount = cell(cells, "amount"), None
    if _text(amount_cell):
        amount = _parsed(parse_number, amount_cell, reasons, "amount")
    total_cell = cell(cells, "invoice_total")
    if _text(total_cell):
        row.total = _parsed(parse_number, total_cell, reasons, "invoice total")
    if reasons:
        return row
    row.item = LineData(category, quantity, unit_price, _text(cell(cells, "description"))[:200], amount)
    row.amount = _parsed(lambda item: line_amount(item, label=category), row.item, reasons)
    return row


def _check_invoice(rows, lookups, taken) -> ImportedInvoice | None:
    """The rows of one invoice number: the same month, date, currency and total on each; a contract of
    the vendor in force that month, in that currency; a number not taken; lines adding up to the total."""
    first = rows[0]
    for row in rows[1:]:
        for what, value, expected in (
            ("month", row.month, first.month),
            ("issued on", row.issued_on, first.issued_on),
            ("currency", row.currency, first.currency),
            ("invoice total", row.total, first.total),
        ):
            if value != expected and value is not None and expected is not None:
                row.reasons.append(f"{what} differs from line {first.line} of invoice {first.number}")
    if any(row.reasons for row in rows):
        return None
    vendor, label = first.vendor, f"invoice {first.number}"
    in_force = [c for c in lookups.contracts[vendor.pk] if contract_in_force(c, first.month)]
    priced_alike = [c for c in in_force if c.currency == first.currency]
    if not in_force:
        first.reasons.append(f"{label}: no contract of {vendor} is in force in {first.month:%B %Y}")
    elif not priced_alike:
        first.reasons.append(f"{label}: {currency_problem(contract=in_force[0], currency=first.currency)}")
    if (vendor.pk, first.number) in taken:
        first.reasons.append(f"{label}: {number_taken_message(vendor=vendor, number=first.number)}")
    lines_sum = sum((row.amount for row in rows), Decimal(0))
    total = lines_sum if first.total is None else cents(first.total)
    if problem := total_problem(total=total, lines_sum=lines_sum):
        first.reasons.append(f"{label}: {problem}")
    if first.reasons:
        return None
    data = InvoiceData(first.number, first.month, first.issued_on, first.currency, total)
    return ImportedInvoice(vendor, priced_alike[0], data, [row.item for row in rows], [r.line for r in rows])


def parse_invoice_file(name: str, content: bytes, *, user) -> ParsedInvoices:
    """Every row checked and grouped into invoices; FileError when the file as a whole cannot be read."""
    rows = read_rows(name, content)
    header = header_of(rows)
    positions = column_positions(header, columns=COLUMNS, required=REQUIRED, expected=EXPECTED)

    def cell(cells, column):
        index = positions.get(column)
        return cells[index] if index is not None and index < len(cells) else ""

    lookups = Lookups(user)
    parsed = ParsedInvoices()
    groups = defaultdict(list)
    for line, cells in rows:
        if not any(str(c).strip() for c in cells):
            continue
        parsed.row_count += 1
        row = _parse_row(line, cells, cell, lookups)
        groups[(row.vendor.pk if row.vendor else row.text, row.number)].append(row)
    if parsed.row_count == 0:
        raise FileError("The file has a header but no rows.")
    taken = lookups.taken_numbers([key for key in groups if isinstance(key[0], int)])
    for group in groups.values():
        invoice = _check_invoice(group, lookups, taken)
        if invoice is not None:
            parsed.invoices.append(invoice)
    parsed.errors = sorted(
        (
            RowError(row.line, row.text, row.reasons)
            for group in groups.values()
            for row in group
            if row.reasons
        ),
        key=lambda error: error.line,
    )
    if parsed.errors:
        parsed.invoices = []
    return parsed


def import_invoices(*, parsed: ParsedInvoices, by) -> list[Invoice]:
    """Every invoice of a clean file in one transaction: one that fails its rules now (the same number
    entered meanwhile) stops them all."""
    assert not parsed.errors, "only a file without a bad row is imported"
    with transaction.atomic():
        created = []
        for item in parsed.invoices:
            try:
                created.append(
                    invoice_create(
                        vendor=item.vendor,
                        contract=item.contract,
                        data=item.data,
                        lines=item.lines,
                        by=by,
                        source=InvoiceSource.IMPORT,
                    )
                )
            except ValidationError as error:
                reasons = " ".join(
                    message for messages in error.message_dict.values() for message in messages
                )
                raise ValidationError(
                    f"Nothing was imported: invoice {item.data.number} of {item.vendor} "
                    f"(lines {item.line_numbers[0]}–{item.line_numbers[-1]}): {reasons}"
                ) from None
        return created

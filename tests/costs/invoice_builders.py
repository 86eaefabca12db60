"""Builders for the invoice tests: a contract in force, invoice data and lines, files to import."""

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from bporeg.uploads import sample_bytes
from costs.invoicing import InvoiceData, LineData
from tests.factories import ContractFactory

OCTOBER = date(2026, 10, 1)
HEADER = [
    "vendor",
    "invoice number",
    "month",
    "issued on",
    "currency",
    "category",
    "description",
    "quantity",
    "unit price",
    "amount",
]


def contract(vendor, **fields):
    """A contract of `vendor` in EUR, in force from January 2025 to the end of 2026."""
    fields.setdefault("start_date", date(2025, 1, 1))
    fields.setdefault("end_date", date(2026, 12, 31))
    return ContractFactory(vendor=vendor, **fields)


def invoice_data(**fields) -> InvoiceData:
    values = {
        "number": "INV-2026-10",
        "period": OCTOBER,
        "issued_on": date(2026, 11, 3),
        "currency": "EUR",
        "total": Decimal("21250.00"),
    }
    return InvoiceData(**{**values, **fields})


def lines() -> list[LineData]:
    """A fixed fee, 1,000 contacts at 1.25 (amount left to compute), and no credit: 21,250."""
    return [
        LineData("platform-fee", Decimal("1"), Decimal("20000"), "Monthly fee", Decimal("20000")),
        LineData("contacts", Decimal("1000"), Decimal("1.25"), "Handled contacts"),
    ]


def pdf(name="invoice.pdf"):
    return SimpleUploadedFile(name, sample_bytes("pdf"), content_type="application/pdf")


def csv_upload(rows, *, name="invoices.csv", separator=";", header=HEADER):
    text = "\n".join(separator.join(str(cell) for cell in row) for row in [header, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8-sig"))


def xlsx_upload(rows, *, name="invoices.xlsx", header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def file_rows(vendor, number="NW-10"):
    """The three lines of one October invoice of `vendor`, `;`-style with decimal commas."""
    base = [vendor.name, number, "2026-10", "03.11.2026", "EUR"]
    return [
        [*base, "platform-fee", "Monthly fee", "1", "20.000,00", "20.000,00"],
        [*base, "contacts", "Handled contacts", "1000", "1,25", ""],
        [*base, "service-credit", "SLA credit", "1", "-450", "-450,00"],
    ]

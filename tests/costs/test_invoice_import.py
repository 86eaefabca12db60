"""Importing invoices: one row per line, grouped by invoice number, every row checked, nothing imported
with a bad row, a preview, then a confirmation that checks the same file again."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from costs.invoice_import import parse_invoice_file
from costs.models import Invoice, InvoiceLine, InvoiceSource
from kpis.importer import FileError
from tests.costs.factories import InvoiceFactory
from tests.costs.invoice_builders import HEADER, OCTOBER, contract, csv_upload, file_rows, xlsx_upload
from tests.factories import VendorFactory

pytestmark = [pytest.mark.django_db]


def upload(client, file):
    return client.post(reverse("costs:invoice_import"), {"file": file})


def report(response):
    assert response.status_code == 400, response.content.decode()[:2000]
    return {error.line: error.reasons for error in response.context["parsed"].errors}


def parse(file, user):
    return parse_invoice_file(file.name, file.read(), user=user)


def test_a_csv_with_semicolons_and_decimal_commas_becomes_invoices_after_a_preview(
    client_for, manager, vendor_a, vendor_b
):
    msa_a, msa_b = contract(vendor_a), contract(vendor_b)
    client = client_for(manager)
    rows = [*file_rows(vendor_a, "A-10"), *file_rows(vendor_b, "B-10")[:2], file_rows(vendor_a, "A-10")[0]]
    rows[-1][6] = "Second fee line, after the other vendor's rows"

    response = upload(client, csv_upload(rows))

    assert response.status_code == 302 and response["Location"] == reverse("costs:invoice_import_preview")
    preview = client.get(response["Location"])
    assert [
        (item.vendor, item.data.number, len(item.lines)) for item in preview.context["parsed"].invoices
    ] == [
        (vendor_a, "A-10", 4),
        (vendor_b, "B-10", 2),
    ]
    assert not Invoice.objects.exists()

    done = client.post(reverse("costs:invoice_import_confirm"), follow=True)

    assert done.redirect_chain == [(reverse("costs:invoice_list"), 302)]
    assert "Imported invoices.csv: 2 invoices, 6 lines." in done.content.decode()
    a10, b10 = Invoice.objects.get(number="A-10"), Invoice.objects.get(number="B-10")
    assert (a10.contract, a10.period, a10.issued_on, a10.currency) == (
        msa_a,
        OCTOBER,
        date(2026, 11, 3),
        "EUR",
    )
    assert (a10.total, b10.total, b10.contract) == (Decimal("40800.00"), Decimal("21250.00"), msa_b)
    assert a10.source == InvoiceSource.IMPORT and a10.history.get().history_user == manager
    assert [(line.category, line.amount) for line in a10.lines.all()] == [
        ("platform-fee", Decimal("20000.00")),
        ("contacts", Decimal("1250.00")),
        ("service-credit", Decimal("-450.00")),
        ("platform-fee", Decimal("20000.00")),
    ]
    assert client.post(reverse("costs:invoice_import_confirm")).status_code == 302  # nothing kept to import
    assert Invoice.objects.count() == 2


def test_an_xlsx_with_number_and_date_cells_is_imported(client_for, manager, vendor_a):
    contract(vendor_a)
    base = [vendor_a.slug, 1001, date(2026, 10, 1), date(2026, 11, 3), "EUR"]
    rows = [[*base, "Agent seat", "Seats", 12, 3500.5, None], [*base, "setup", "", 1, 750, 750]]
    client = client_for(manager)

    assert upload(client, xlsx_upload(rows)).status_code == 302
    client.post(reverse("costs:invoice_import_confirm"))

    invoice = Invoice.objects.get()
    assert (invoice.number, invoice.total) == ("1001", Decimal("42756.00"))
    assert list(invoice.lines.values_list("category", "amount")) == [
        ("agent-seat", Decimal("42006.00")),
        ("setup", Decimal("750.00")),
    ]


def test_common_header_spellings_are_recognised(manager, vendor_a):
    contract(vendor_a)
    header = ["Supplier", "Invoice No.", "Billing period", "Invoice date", "CCY", "Charge type", "Details",
              "Qty", "Unit Price", "Line total", "Invoice total"]  # fmt: skip
    rows = [[*row, "20.800,00"] for row in file_rows(vendor_a)]

    parsed = parse(csv_upload(rows, header=header), manager)

    assert not parsed.errors
    assert [(item.data.number, item.data.total) for item in parsed.invoices] == [
        ("NW-10", Decimal("20800.00"))
    ]


def test_one_bad_row_imports_nothing_and_the_report_names_each_row_and_why(
    client_for, manager, vendor_a, vendor_b
):
    contract(vendor_a)
    contract(vendor_b, currency="USD", reference="MSA-B-USD")
    InvoiceFactory(contract=contract(vendor_a), number="TAKEN")
    good = file_rows(vendor_a, "A-10")
    rows = [
        *good,  # lines 2-4
        ["Nobody Ltd", "X-1", "2026-10", "2026-11-03", "EUR", "fee", "", "1", "10", ""],  # 5
        [vendor_a.name, "A-11", "2026-10", "2026-11-03", "EUR", "fee", "", "lots", "10", ""],  # 6
        [vendor_a.name, "A-12", "2027-03", "2027-04-02", "EUR", "fee", "", "1", "10", ""],  # 7
        [vendor_b.name, "B-10", "2026-10", "2026-11-03", "EUR", "fee", "", "1", "10", ""],  # 8
        [vendor_a.name, "TAKEN", "2026-10", "2026-11-03", "EUR", "fee", "", "1", "10", ""],  # 9
        [vendor_a.name, "A-13", "2026-10", "2026-11-03", "EUR", "fee", "", "2", "10", "25"],  # 10
        [vendor_a.name, "A-14", "Octember", "3 Nov", "E", "", "", "1", "10", ""],  # 11
        [vendor_a.name, "A-10", "2026-11", "2026-11-03", "EUR", "fee", "", "1", "10", ""],  # 12
    ]

    response = upload(client_for(manager), csv_upload(rows))

    assert report(response) == {
        5: ["unknown vendor “Nobody Ltd”"],
        6: ["quantity: “lots” is not a number"],
        7: [f"invoice A-12: no contract of {vendor_a} is in force in March 2027"],
        8: [
            "invoice B-10: The invoice is in EUR but contract MSA-B-USD is in USD: "
            "an invoice is in its contract's currency."
        ],  # fmt: skip
        9: [f"invoice TAKEN: {vendor_a} already has an invoice numbered TAKEN."],
        10: ["fee: the amount 25.00 is not quantity × unit price (2 × 10 = 20.00)."],
        11: [
            "month: “Octember” is not a period (write 2026-10 or 2026-10-01)",
            "issued on: “3 Nov” is not a date (write 2026-11-03 or 03.11.2026)",
            "“E” is not a currency code (write EUR, USD…)",
            "the category is missing",
        ],
        12: ["month differs from line 2 of invoice A-10"],
    }
    assert "Nothing was imported from invoices.csv" in response.content.decode()
    assert Invoice.objects.count() == 1 and InvoiceLine.objects.count() == 0
    assert "costs.invoice_import" not in response.wsgi_request.session


def test_an_invoice_total_column_must_equal_the_lines_sum(manager, vendor_a):
    contract(vendor_a)
    header = [*HEADER, "invoice total"]
    rows = [[*row, "21.000,00"] for row in file_rows(vendor_a)]

    parsed = parse(csv_upload(rows, header=header), manager)

    assert [(error.line, error.reasons) for error in parsed.errors] == [
        (2, ["invoice NW-10: The invoice total 21,000.00 does not equal the sum of its lines 20,800.00."])
    ]
    assert parsed.invoices == []


def test_a_file_without_the_columns_is_refused_as_a_whole(client_for, manager):
    response = upload(client_for(manager), csv_upload([["a", "b"]], header=["vendor", "amount"]))

    assert response.status_code == 400
    assert (
        "missing: number, month, issued_on, currency, category, quantity, unit_price"
        in (response.context["form"].errors["file"][0])
    )
    with pytest.raises(FileError, match="header but no rows"):
        parse(csv_upload([]), manager)


def test_a_number_entered_between_preview_and_confirm_stops_the_whole_import(client_for, manager, vendor_a):
    msa = contract(vendor_a)
    client = client_for(manager)
    rows = [*file_rows(vendor_a, "A-10"), *file_rows(vendor_a, "A-11")]
    assert upload(client, csv_upload(rows)).status_code == 302
    InvoiceFactory(contract=msa, number="A-11")

    response = client.post(reverse("costs:invoice_import_confirm"))

    assert report(response) == {5: [f"invoice A-11: {vendor_a} already has an invoice numbered A-11."]}
    assert list(Invoice.objects.values_list("number", flat=True)) == ["A-11"]


def test_checking_a_file_takes_the_same_queries_however_many_rows(manager, vendor_a):
    vendors = [vendor_a, *VendorFactory.create_batch(3)]
    for vendor in vendors:
        contract(vendor)
    small = csv_upload(file_rows(vendor_a))
    large = csv_upload([row for n, v in enumerate(vendors * 5) for row in file_rows(v, f"N-{n}")])

    with CaptureQueriesContext(connection) as few:
        assert not parse(small, manager).errors
    with CaptureQueriesContext(connection) as many:
        parsed = parse(large, manager)

    assert not parsed.errors and len(parsed.invoices) == 20
    assert len(many.captured_queries) == len(few.captured_queries) == 3

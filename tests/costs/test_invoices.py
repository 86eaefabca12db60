"""Entering invoices: the rules with their messages (and nothing saved when one fails), the form, the
PDF, the list each role sees, and who may download an invoice's document."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bporeg.uploads import sample_bytes
from costs.invoicing import LineData, invoice_attach_document, invoice_create
from costs.models import Invoice, InvoiceLine, InvoiceSource, InvoiceStatus
from tests.costs.factories import InvoiceFactory, InvoiceLineFactory
from tests.costs.invoice_builders import OCTOBER, contract, invoice_data, lines, pdf
from tests.factories import VendorFactory

pytestmark = [pytest.mark.django_db]


def create(vendor, contract_, by, **fields):
    return invoice_create(
        vendor=vendor,
        contract=contract_,
        data=invoice_data(**fields.pop("data", {})),
        lines=fields.pop("lines", lines()),
        document=fields.pop("document", None),
        by=by,
    )


def refused(vendor, contract_, by, **fields) -> dict:
    with pytest.raises(ValidationError) as raised:
        create(vendor, contract_, by, **fields)
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()
    return raised.value.message_dict


def test_an_invoice_is_saved_with_its_lines_month_amounts_and_who_entered_it(vendor_a, manager):
    msa = contract(vendor_a)

    invoice = create(vendor_a, msa, manager, data={"period": date(2026, 10, 17), "currency": "eur"})

    assert (invoice.period, invoice.currency, invoice.total) == (OCTOBER, "EUR", Decimal("21250.00"))
    assert (invoice.source, invoice.status, invoice.entered_by) == (
        InvoiceSource.FORM,
        InvoiceStatus.RECEIVED,
        manager,
    )
    assert [(line.position, line.category, line.amount) for line in invoice.lines.all()] == [
        (1, "platform-fee", Decimal("20000.00")),
        (2, "contacts", Decimal("1250.00")),
    ]
    assert invoice.history.get().history_user == manager


def test_amounts_are_rounded_to_cents_and_a_given_amount_may_differ_by_a_cent(vendor_a, manager):
    items = [
        LineData("minutes", Decimal("3"), Decimal("0.3333")),  # 0.9999 → 1.00
        LineData("contacts", Decimal("7"), Decimal("0.1234"), amount=Decimal("0.87")),  # 0.8638 → 0.86
    ]

    invoice = create(vendor_a, contract(vendor_a), manager, lines=items, data={"total": Decimal("1.87")})

    assert [line.amount for line in invoice.lines.all()] == [Decimal("1.00"), Decimal("0.87")]


@pytest.mark.parametrize("persona", ["qa", "staff_a"])
def test_only_a_manager_enters_an_invoice(request, vendor_a, persona):
    with pytest.raises(PermissionDenied):
        create(vendor_a, contract(vendor_a), request.getfixturevalue(persona))
    assert not Invoice.objects.exists()


def test_the_contract_must_be_the_vendors(vendor_a, vendor_b, manager):
    msa_b = contract(vendor_b, reference="MSA-B")

    errors = refused(vendor_a, msa_b, manager)

    assert errors["contract"] == [f"Contract MSA-B is not a contract of {vendor_a}."]


def test_the_contract_must_be_in_force_in_the_invoiced_month(vendor_a, manager):
    ended = contract(vendor_a, reference="MSA-OLD", start_date=date(2024, 1, 1), end_date=date(2026, 9, 30))

    errors = refused(vendor_a, ended, manager)

    assert errors["contract"] == [
        "Contract MSA-OLD is not in force in October 2026 (it runs 01 Jan 2024 to 30 Sep 2026)."
    ]


def test_a_contract_ending_within_the_month_is_in_force_that_month(vendor_a, manager):
    ending = contract(vendor_a, start_date=date(2024, 1, 1), end_date=date(2026, 10, 15))

    assert create(vendor_a, ending, manager).contract == ending


def test_the_currency_must_be_the_contracts(vendor_a, manager):
    msa = contract(vendor_a, reference="MSA-EUR")

    errors = refused(vendor_a, msa, manager, data={"currency": "USD"})

    assert errors["currency"] == [
        "The invoice is in USD but contract MSA-EUR is in EUR: an invoice is in its contract's currency."
    ]


def test_a_given_amount_that_is_not_quantity_times_price_names_the_line(vendor_a, manager):
    items = [*lines(), LineData("setup", Decimal("2"), Decimal("500"), amount=Decimal("1200"))]

    errors = refused(vendor_a, contract(vendor_a), manager, lines=items)

    assert errors["lines"] == [
        "Line 3 (setup): the amount 1,200.00 is not quantity × unit price (2 × 500 = 1,000.00)."
    ]


def test_the_total_must_equal_the_lines_sum(vendor_a, manager):
    errors = refused(vendor_a, contract(vendor_a), manager, data={"total": Decimal("21500")})

    assert errors["total"] == ["The invoice total 21,500.00 does not equal the sum of its lines 21,250.00."]


def test_an_invoice_needs_a_line(vendor_a, manager):
    errors = refused(vendor_a, contract(vendor_a), manager, lines=[])

    assert errors["lines"] == ["An invoice needs at least one line."]


def test_the_number_is_unique_per_vendor(vendor_a, vendor_b, manager):
    create(vendor_a, contract(vendor_a), manager)
    before = list(Invoice.objects.values_list("pk", "total"))

    with pytest.raises(ValidationError) as raised:
        create(vendor_a, contract(vendor_a), manager)

    assert raised.value.message_dict["number"] == [f"{vendor_a} already has an invoice numbered INV-2026-10."]
    assert list(Invoice.objects.values_list("pk", "total")) == before
    assert create(vendor_b, contract(vendor_b), manager).number == "INV-2026-10"


# The form --------------------------------------------------------------------------------------------


def form_data(vendor, msa, **fields):
    data = {
        "vendor": vendor.pk,
        "contract": msa.pk,
        "number": "INV-77",
        "period": "2026-10",
        "issued_on": "2026-11-03",
        "currency": "EUR",
        "total": "21250",
        "lines-TOTAL_FORMS": "5",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-category": "platform-fee",
        "lines-0-quantity": "1",
        "lines-0-unit_price": "20000",
        "lines-1-category": "contacts",
        "lines-1-quantity": "1000",
        "lines-1-unit_price": "1.25",
    }
    return {**data, **fields}


def test_a_manager_enters_an_invoice_with_its_pdf_by_form(client_for, manager, vendor_a):
    msa = contract(vendor_a)

    response = client_for(manager).post(
        reverse("costs:invoice_create"), form_data(vendor_a, msa, document=pdf("oct.pdf")), follow=True
    )

    invoice = Invoice.objects.get()
    # Straight to the invoice reconciled against its contract.
    assert response.redirect_chain == [(reverse("costs:invoice", kwargs={"pk": invoice.pk}), 302)]
    assert f"Invoice INV-77 of {vendor_a} is entered." in response.content.decode()
    assert invoice.lines.count() == 2 and invoice.total == Decimal("21250")
    assert invoice.document.name.endswith("/oct.pdf")


def test_the_form_shows_a_rule_broken_and_saves_nothing(client_for, manager, vendor_a):
    msa = contract(vendor_a, reference="MSA-EUR")

    response = client_for(manager).post(
        reverse("costs:invoice_create"), form_data(vendor_a, msa, currency="usd", total="100")
    )

    assert response.status_code == 400
    assert response.context["form"].errors["currency"] == [
        "The invoice is in USD but contract MSA-EUR is in EUR: an invoice is in its contract's currency."
    ]
    assert not Invoice.objects.exists()


def test_the_form_names_a_line_whose_amount_is_wrong(client_for, manager, vendor_a):
    data = form_data(vendor_a, contract(vendor_a), **{"lines-1-amount": "1300"})

    response = client_for(manager).post(reverse("costs:invoice_create"), data)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Line 2 (contacts): the amount 1,300.00 is not quantity × unit price (1000 × 1.25 = 1,250.00)."
    ]
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    "fake",
    [
        SimpleUploadedFile("invoice.pdf", sample_bytes("png")),  # an image named .pdf
        SimpleUploadedFile("invoice.pdf", b"<html><body>invoice</body></html>"),
        SimpleUploadedFile("invoice.pdf", sample_bytes("docx")),
    ],
    ids=["png", "html", "docx"],
)
def test_an_invoice_document_must_really_be_a_pdf(client_for, manager, vendor_a, fake):
    response = client_for(manager).post(
        reverse("costs:invoice_create"), form_data(vendor_a, contract(vendor_a), document=fake)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["document"]
    assert not Invoice.objects.exists()


def test_a_word_file_is_refused_by_the_service_too(vendor_a, manager):
    word = SimpleUploadedFile("invoice.docx", sample_bytes("docx"))

    errors = refused(vendor_a, contract(vendor_a), manager, document=word)

    assert errors["document"] == ["An invoice document must be a PDF."]


def test_a_manager_attaches_the_pdf_of_an_imported_invoice(client_for, manager, vendor_a):
    invoice = InvoiceFactory(contract=contract(vendor_a), source=InvoiceSource.IMPORT)
    url = reverse("costs:invoice_attach", kwargs={"pk": invoice.pk})
    client = client_for(manager)

    fake = client.post(url, {"document": SimpleUploadedFile("x.pdf", sample_bytes("text"))})
    invoice.refresh_from_db()
    assert fake.status_code == 400 and not invoice.document

    assert client.post(url, {"document": pdf()}).status_code == 302
    invoice.refresh_from_db()
    assert invoice.document.name.endswith(".pdf")
    assert invoice.history.first().history_user == manager


# The document and who downloads it -------------------------------------------------------------------


@pytest.fixture
def invoice_with_pdf(vendor_a, manager):
    return create(vendor_a, contract(vendor_a), manager, document=pdf("acme-oct.pdf"))


@pytest.mark.parametrize(
    ("persona", "status"), [("manager", 200), ("staff_a", 200), ("staff_b", 404), ("qa", 403)]
)
def test_the_pdf_goes_to_the_manager_and_the_invoices_vendor_only(
    request, client_for, invoice_with_pdf, persona, status
):
    url = reverse("costs:invoice_document", kwargs={"pk": invoice_with_pdf.pk})

    response = client_for(request.getfixturevalue(persona)).get(url)

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_an_invoice_without_a_pdf_has_no_document(client_for, manager, vendor_a):
    invoice = InvoiceFactory(contract=contract(vendor_a))

    response = client_for(manager).get(reverse("costs:invoice_document", kwargs={"pk": invoice.pk}))

    assert response.status_code == 404


# The list --------------------------------------------------------------------------------------------


def invoices_of(vendor, count, **fields):
    msa = contract(vendor)
    made = [InvoiceFactory(contract=msa, **fields) for _ in range(count)]
    for invoice in made:
        InvoiceLineFactory.create_batch(2, invoice=invoice)
    return made


def listed(response):
    return {invoice.number for invoice in response.context["page"]}


def test_vendor_staff_see_only_their_own_vendors_invoices(client_for, staff_b, vendor_a, vendor_b):
    invoices_of(vendor_a, 2)
    own = invoices_of(vendor_b, 1)

    response = client_for(staff_b).get(reverse("costs:invoice_list"))

    assert listed(response) == {own[0].number}
    assert "vendor" not in response.context["filter"].form.fields
    assert vendor_a.name not in response.content.decode()


def test_qa_sees_no_invoices(client_for, qa):
    assert client_for(qa).get(reverse("costs:invoice_list")).status_code == 403


def test_a_manager_filters_by_vendor_month_and_status(client_for, manager, vendor_a, vendor_b):
    october_a = invoices_of(vendor_a, 1)[0]
    november_a = invoices_of(vendor_a, 1, period=date(2026, 11, 1), status=InvoiceStatus.DISPUTED)[0]
    october_b = invoices_of(vendor_b, 1)[0]
    client = client_for(manager)
    url = reverse("costs:invoice_list")

    assert listed(client.get(url)) == {october_a.number, november_a.number, october_b.number}
    assert listed(client.get(url, {"vendor": vendor_a.pk})) == {october_a.number, november_a.number}
    assert listed(client.get(url, {"period": "2026-10"})) == {october_a.number, october_b.number}
    assert listed(client.get(url, {"status": "disputed"})) == {november_a.number}


def test_the_list_shows_lines_and_the_pdf_link(client_for, manager, invoice_with_pdf):
    response = client_for(manager).get(reverse("costs:invoice_list"))

    row = response.context["page"][0]
    assert row.line_count == 2
    assert reverse("costs:invoice_document", kwargs={"pk": invoice_with_pdf.pk}) in response.content.decode()


@pytest.mark.parametrize("persona", ["manager", "staff_a"])
def test_the_list_takes_the_same_queries_at_any_size(request, client_for, vendor_a, persona):
    client = client_for(request.getfixturevalue(persona))
    url = reverse("costs:invoice_list")
    invoices_of(vendor_a, 3)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    invoices_of(VendorFactory(), 20)
    invoices_of(vendor_a, 30)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    assert len(response.context["page"]) == 25
    assert len(large.captured_queries) == len(small.captured_queries)


def test_invoices_are_in_the_navigation_of_managers_and_vendor_staff_not_qa(client_for, manager, qa, staff_a):
    link = f'href="{reverse("costs:invoice_list")}"'
    for user, shown in ((manager, True), (staff_a, True), (qa, False)):
        page = client_for(user).get(reverse("home"), follow=True).content.decode()
        assert (link in page) is shown, user


def test_an_approved_invoice_keeps_its_pdf(manager, vendor_a):
    approved = InvoiceFactory(
        contract=contract(vendor_a), status="approved", approved_by=manager, approved_at=timezone.now()
    )
    with pytest.raises(ValidationError, match="is approved for payment: its PDF stays as it was"):
        invoice_attach_document(invoice=approved, document=pdf("new.pdf"), by=manager)

"""Entering an invoice: the rules every invoice obeys, whether typed in a form or imported from a file.

The rules are small functions returning a sentence (or raising ValueError with one), so the importer can
check thousands of rows against contracts it loaded once, and `invoice_create` applies the same rules
again before it writes: whichever door an invoice comes through, it is checked the same way.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from bporeg.access import require_manager
from bporeg.uploads import PDF, detect_kind, validate_upload
from costs.models import Invoice, InvoiceLine, InvoiceSource, InvoiceStatus
from costs.money import CENT, cents
from kpis.periods import month_end, month_start


@dataclass(frozen=True)
class InvoiceData:
    number: str
    period: date
    issued_on: date
    currency: str
    total: Decimal


@dataclass(frozen=True)
class LineData:
    category: str
    quantity: Decimal
    unit_price: Decimal
    description: str = ""
    amount: Decimal | None = None  # None: quantity × unit price


def contract_in_force(contract, period: date) -> bool:
    """The contract covers at least one day of the invoiced month."""
    return contract.start_date <= month_end(period) and contract.end_date >= month_start(period)


def contract_problem(*, vendor, contract, period: date) -> str | None:
    if contract.vendor_id != vendor.pk:
        return f"Contract {contract.reference} is not a contract of {vendor}."
    if not contract_in_force(contract, period):
        return (
            f"Contract {contract.reference} is not in force in {period:%B %Y} "
            f"(it runs {contract.start_date:%d %b %Y} to {contract.end_date:%d %b %Y})."
        )
    return None


def currency_problem(*, contract, currency: str) -> str | None:
    if currency != contract.currency:
        return (
            f"The invoice is in {currency} but contract {contract.reference} is in {contract.currency}: "
            "an invoice is in its contract's currency."
        )
    return None


def line_amount(line: LineData, *, label: str) -> Decimal:
    """quantity × unit price in cents; a given amount may differ from it by rounding only (a cent)."""
    computed = cents(line.quantity * line.unit_price)
    if line.amount is None:
        return computed
    if abs(line.amount - computed) > CENT:
        raise ValueError(
            f"{label}: the amount {line.amount:,.2f} is not quantity × unit price "
            f"({line.quantity.normalize():f} × {line.unit_price.normalize():f} = {computed:,.2f})."
        )
    return cents(line.amount)


def total_problem(*, total: Decimal, lines_sum: Decimal) -> str | None:
    if total != lines_sum:
        return f"The invoice total {total:,.2f} does not equal the sum of its lines {lines_sum:,.2f}."
    return None


def number_taken_message(*, vendor, number: str) -> str:
    return f"{vendor} already has an invoice numbered {number}."


def validate_invoice_document(upload):
    """An invoice document is a PDF: the upload rules first (size, real content), then PDF only."""
    validate_upload(upload)
    if detect_kind(upload, upload.name) != PDF:
        raise ValidationError("An invoice document must be a PDF.", code="invoice_not_pdf")


def _lines_and_problems(lines):
    amounts, problems = [], []
    for position, line in enumerate(lines, start=1):
        try:
            amounts.append(line_amount(line, label=f"Line {position} ({line.category})"))
        except ValueError as error:
            problems.append(str(error))
    if not lines:
        problems.append("An invoice needs at least one line.")
    return amounts, problems


def invoice_create(
    *, vendor, contract, data: InvoiceData, lines, document=None, by, source=InvoiceSource.FORM
) -> Invoice:
    """A received invoice and its lines, after every rule; ValidationError (by field) and nothing saved
    when any rule fails."""
    require_manager(by)
    period = month_start(data.period)
    currency = data.currency.strip().upper()
    number = data.number.strip()
    errors = {}
    if problem := contract_problem(vendor=vendor, contract=contract, period=period):
        errors["contract"] = problem
    elif problem := currency_problem(contract=contract, currency=currency):
        errors["currency"] = problem
    amounts, line_problems = _lines_and_problems(lines)
    if line_problems:
        errors["lines"] = line_problems
    elif problem := total_problem(total=cents(data.total), lines_sum=sum(amounts, Decimal(0))):
        errors["total"] = problem
    if not number:
        errors["number"] = "Give the invoice number the vendor printed on it."
    elif Invoice.objects.filter(vendor=vendor, number=number).exists():
        errors["number"] = number_taken_message(vendor=vendor, number=number)
    if document:
        try:
            validate_invoice_document(document)
        except ValidationError as error:
            errors["document"] = error.messages
    if errors:
        raise ValidationError(errors)
    invoice = Invoice(
        vendor=vendor,
        contract=contract,
        number=number,
        period=period,
        issued_on=data.issued_on,
        currency=currency,
        total=cents(data.total),
        source=source,
        entered_by=by,
    )
    if document:
        invoice.document = document
    invoice._history_user = by
    try:
        with transaction.atomic():
            invoice.save()
            InvoiceLine.objects.bulk_create(
                InvoiceLine(
                    invoice=invoice,
                    category=line.category,
                    description=line.description,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    amount=amount,
                    position=position,
                )
                for position, (line, amount) in enumerate(zip(lines, amounts, strict=True), start=1)
            )
    except IntegrityError as error:
        # Someone saved the same number between the check and the insert.
        if "invoice_number_unique_per_vendor" not in str(error):
            raise
        raise ValidationError({"number": number_taken_message(vendor=vendor, number=number)}) from None
    return invoice


def invoice_attach_document(*, invoice, document, by) -> Invoice:
    """The invoice PDF, attached (or replaced) after the invoice was entered or imported; an approved or
    voided invoice keeps the document it was decided on."""
    require_manager(by)
    if invoice.status in (InvoiceStatus.APPROVED, InvoiceStatus.VOID):
        state = invoice.get_status_display().lower()
        raise ValidationError({"document": f"Invoice {invoice.number} is {state}: its PDF stays as it was."})
    try:
        validate_invoice_document(document)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from None
    invoice.document = document
    invoice._history_user = by
    invoice.save(update_fields=["document"])
    return invoice

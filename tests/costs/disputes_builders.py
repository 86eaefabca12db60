"""Builders for the dispute and budget tests: a disputed discrepancy with its thread, approved invoices."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bporeg.uploads import sample_bytes
from costs.models import (
    Decision,
    DiscrepancyDecision,
    DiscrepancyKind,
    Dispute,
    DisputeMessage,
    ExchangeRate,
    InvoiceStatus,
)
from tests.costs.factories import InvoiceFactory


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, sample_bytes("pdf"), content_type="application/pdf")


def disputed(
    invoice, *, by, note="This fee is not in the contract.", kind=DiscrepancyKind.FEE_NOT_IN_CONTRACT
):
    """What `discrepancy_decide(decision="disputed")` leaves: the decision, the dispute, its first message."""
    decision = DiscrepancyDecision.objects.create(
        invoice=invoice,
        kind=kind,
        amount=Decimal("1500"),
        decision=Decision.DISPUTED,
        note=note,
        decided_by=by,
    )
    invoice.status = InvoiceStatus.DISPUTED
    invoice.save(update_fields=["status"])
    dispute = Dispute.objects.create(invoice=invoice, decision=decision, opened_by=by)
    DisputeMessage.objects.create(dispute=dispute, author=by, body=note)
    return dispute


def approved(contract, period, total, *, by, currency=None, **fields):
    return InvoiceFactory(
        contract=contract,
        period=period,
        total=Decimal(total),
        currency=currency or contract.currency,
        status=InvoiceStatus.APPROVED,
        approved_by=by,
        approved_at=timezone.now(),
        entered_by=by,
        **fields,
    )


def rate(currency, valid_from, value, *, by):
    return ExchangeRate.objects.create(
        currency=currency, valid_from=valid_from, rate=Decimal(value), entered_by=by
    )


def year_of_invoices(contract, *, by, months=range(1, 11), total="20000", year=2026):
    return [approved(contract, date(year, month, 1), total, by=by) for month in months]

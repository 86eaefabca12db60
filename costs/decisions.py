"""What the manager decides about an invoice: accept or dispute each discrepancy, then approve it, or void it.

Both are manager-only services that check the role themselves. Approval is claimed with a conditional
UPDATE (… WHERE status not in approved, void), so two clicks, two tabs or two managers never approve —
and pay — the same invoice twice. An approved invoice is locked: nothing about it can be decided again.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bporeg.access import require_manager
from costs import dispute_alerts
from costs.models import (
    Decision,
    DiscrepancyDecision,
    DiscrepancyKind,
    Dispute,
    DisputeMessage,
    DisputeStatus,
    Invoice,
    InvoiceStatus,
)
from costs.reconciliation import reconcile

LOCKED = (InvoiceStatus.APPROVED, InvoiceStatus.VOID)


def _refuse_locked(invoice):
    if invoice.status in LOCKED:
        raise ValidationError(f"{invoice.number} is {invoice.get_status_display().lower()}: it is locked.")


@transaction.atomic
def discrepancy_decide(*, invoice, kind, line, decision, note, by) -> DiscrepancyDecision:
    """Accept a discrepancy, or dispute it: a dispute opens a thread whose first message is the note."""
    require_manager(by)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _refuse_locked(invoice)
    note = (note or "").strip()
    found = reconcile(invoice).find(kind, line.pk if line else None)
    if found is None:
        raise ValidationError("This discrepancy is no longer there: reload the invoice.")
    if decision == Decision.DISPUTED and not note:
        raise ValidationError("Say what is disputed: the note is the dispute's first message to the vendor.")
    if kind == DiscrepancyKind.DUPLICATE_INVOICE and decision == Decision.ACCEPTED:
        raise ValidationError("A duplicate invoice cannot be accepted: void one of the two, or dispute it.")
    if found.dispute is not None:
        raise ValidationError("This discrepancy is disputed: it is settled in its dispute thread.")
    record, _ = DiscrepancyDecision.objects.update_or_create(
        invoice=invoice,
        kind=kind,
        line=line,
        defaults={"amount": found.amount, "decision": decision, "note": note, "decided_by": by},
    )
    if decision == Decision.DISPUTED:
        dispute = Dispute.objects.create(invoice=invoice, decision=record, opened_by=by)
        DisputeMessage.objects.create(dispute=dispute, author=by, body=note)
        dispute_alerts.dispute_opened(dispute)
        if invoice.status == InvoiceStatus.RECEIVED:
            invoice.status = InvoiceStatus.DISPUTED
            invoice.save(update_fields=["status"])
    return record


def approval_refusals(reconciliation) -> list[str]:
    """Why this invoice cannot be approved yet; empty when it can."""
    reasons = []
    if reconciliation.duplicate is not None:
        reasons.append(f"It is a duplicate invoice: {reconciliation.duplicate.detail} Void one of the two.")
    undecided = [d for d in reconciliation.undecided if d.kind != DiscrepancyKind.DUPLICATE_INVOICE]
    if undecided:
        names = ", ".join(sorted({d.label.lower() for d in undecided}))
        reasons.append(f"{len(undecided)} discrepancies are not decided yet ({names}).")
    if reconciliation.invoice.disputes.open().exists():
        reasons.append("A dispute about it is still open.")
    return reasons


@transaction.atomic
def invoice_approve(*, invoice, by) -> bool:
    """Approve the invoice for payment. True when this call approved it; False when it already was
    (approving twice is harmless). Refused while anything about it is undecided, disputed or doubled."""
    require_manager(by)
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.APPROVED:
        return False
    _refuse_locked(invoice)
    reasons = approval_refusals(reconcile(invoice))
    if reasons:
        raise ValidationError(reasons)
    now = timezone.now()
    claimed = (
        Invoice.objects.filter(pk=invoice.pk)
        .exclude(status__in=LOCKED)
        .update(status=InvoiceStatus.APPROVED, approved_by=by, approved_at=now)
    )
    if not claimed:
        return False
    invoice.refresh_from_db()
    # A queryset update writes no history row of its own: record the approval as the change it is.
    Invoice.history.bulk_history_create([invoice], update=True, default_user=by, default_date=now)
    return True


@transaction.atomic
def invoice_void(*, invoice, reason, by) -> Invoice:
    """Void an invoice sent twice or replaced by a corrected one: it stays on record, counts nowhere, and its
    open disputes are closed with the same reason. An approved invoice is paid and cannot be voided."""
    require_manager(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the invoice is void, e.g. “sent twice: INV-1043 stands”.")
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    _refuse_locked(invoice)
    now = timezone.now()
    for dispute in invoice.disputes.open():
        dispute.status, dispute.resolved_by, dispute.resolved_at = DisputeStatus.RESOLVED, by, now
        dispute.resolution = f"Invoice voided: {reason}"
        dispute._history_user = by
        dispute.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    invoice.status = InvoiceStatus.VOID
    invoice._history_user, invoice._change_reason = by, reason
    invoice.save(update_fields=["status"])
    return invoice

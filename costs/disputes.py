"""The dispute thread: the manager and the invoice vendor's staff argue a disputed discrepancy, and the
manager resolves it one of two ways.

A dispute is opened by the reconciliation's decision service (`discrepancy_decide(decision="disputed")`),
which creates it with its first message and calls `dispute_alerts.dispute_opened`. Here:

- `dispute_reply`: the manager, or staff of the invoice's own vendor, write in an open thread;
- `dispute_resolve`: the manager closes it. "Accept the charge" turns the decision to accepted (the
  amount will be paid); "Vendor corrects" keeps the decision disputed and voids the invoice, so the
  vendor sends a corrected one that is reconciled afresh.

Once no dispute of a disputed invoice is open any more, the invoice goes back to "received" and waits
for approval. Every service checks role and vendor itself, whatever door the call came through.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from bporeg.access import is_manager, require_manager, staff_vendor_id
from bporeg.uploads import validate_upload
from costs import dispute_alerts
from costs.models import (
    Decision,
    Dispute,
    DisputeMessage,
    DisputeStatus,
    Invoice,
    InvoiceStatus,
)


class Outcome(models.TextChoices):
    ACCEPT_CHARGE = "accept_charge", "Accept the charge"
    VENDOR_CORRECTS = "vendor_corrects", "Vendor corrects the invoice"


def outcome_of(dispute) -> Outcome | None:
    """How a resolved dispute ended, read back from what resolving it changed."""
    if dispute.status != DisputeStatus.RESOLVED:
        return None
    if dispute.decision.decision == Decision.ACCEPTED:
        return Outcome.ACCEPT_CHARGE
    return Outcome.VENDOR_CORRECTS


def may_write(user, dispute) -> bool:
    return is_manager(user) or staff_vendor_id(user) == dispute.invoice.vendor_id


def _locked_open(dispute) -> Dispute:
    """The dispute, locked, so a reply and a resolution cannot cross; refused once resolved."""
    locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if locked.status != DisputeStatus.OPEN:
        raise ValidationError("This dispute is resolved: its thread is closed.", code="resolved")
    return locked


@transaction.atomic
def dispute_reply(*, dispute, by, body, attachment=None) -> DisputeMessage:
    if not may_write(by, dispute):
        raise PermissionDenied("Only a BPO manager or the invoice vendor's staff may write here.")
    _locked_open(dispute)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write a message."}, code="required")
    if attachment:
        try:
            validate_upload(attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error
    message = DisputeMessage.objects.create(
        dispute=dispute, author=by, body=body, attachment=attachment or ""
    )
    dispute_alerts.message_posted(message)
    return message


def _return_to_approval(invoice, *, by):
    """A disputed invoice with no open dispute left waits for approval again."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.DISPUTED and not invoice.disputes.open().exists():
        invoice.status = InvoiceStatus.RECEIVED
        invoice._history_user = by
        invoice.save(update_fields=["status"])


def _void(invoice, *, by):
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if invoice.status == InvoiceStatus.APPROVED:
        raise ValidationError(
            "This invoice is already approved for payment: accept the charge, or agree a credit on the "
            "next invoice and accept.",
            code="approved",
        )
    invoice.status = InvoiceStatus.VOID
    invoice._history_user = by
    invoice.save(update_fields=["status"])


@transaction.atomic
def dispute_resolve(*, dispute, by, outcome, resolution) -> Dispute:
    require_manager(by)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "Choose how the dispute ends."}, code="invalid")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": "Say what was agreed."}, code="required")
    dispute = _locked_open(dispute)
    decision = dispute.decision
    if outcome == Outcome.ACCEPT_CHARGE:
        decision.decision = Decision.ACCEPTED
        decision.decided_by = by
        decision._history_user = by
        decision.save(update_fields=["decision", "decided_by", "decided_at"])
    else:
        _void(dispute.invoice, by=by)
    dispute.status = DisputeStatus.RESOLVED
    dispute.resolved_by, dispute.resolved_at, dispute.resolution = by, timezone.now(), resolution
    dispute._history_user = by
    dispute.save(update_fields=["status", "resolved_by", "resolved_at", "resolution"])
    if outcome == Outcome.ACCEPT_CHARGE:
        _return_to_approval(dispute.invoice, by=by)
    dispute_alerts.dispute_resolved(dispute, outcome_label=Outcome(outcome).label)
    return dispute

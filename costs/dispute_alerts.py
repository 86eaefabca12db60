"""The dispute events people are told about, through the alerts app (in the app and by email).

A dispute opened, a manager's message and the resolution go to the invoice vendor's staff, who answer
in the portal; a staff reply goes to the people on our side: the vendor's owner, the manager who opened
the dispute and every manager who wrote in the thread. The services raise them inside their own
transaction, so a refused or rolled-back change tells nobody; the alert key (kind, subject, day,
recipient, channel) keeps each message to one alert per person.
"""

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Role
from alerts import registry
from alerts.registry import Due
from alerts.services import raise_alerts, schedule_delivery
from bporeg.access import is_manager, role_of

DISPUTE_OPENED = registry.event("dispute_opened", label="Invoice disputed")
DISPUTE_MESSAGE = registry.event("dispute_message", label="New message in an invoice dispute")
DISPUTE_REPLY = registry.event("dispute_reply", label="Vendor answered an invoice dispute")
DISPUTE_RESOLVED = registry.event("dispute_resolved", label="Invoice dispute resolved")


def vendor_staff_ids(vendor_id) -> list[int]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, profile__role=Role.VENDOR_STAFF, profile__vendor=vendor_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def our_side_ids(dispute) -> list[int]:
    """The vendor's owner, the dispute's opener and the managers who wrote in its thread."""
    writers = dispute.messages.filter(author__profile__role=Role.MANAGER).values_list("author_id", flat=True)
    owner = dispute.invoice.vendor.owner
    # An owner may be a QA specialist, who sees no money: only a manager owner is told.
    owner_id = owner.pk if owner is not None and is_manager(owner) else None
    people = [owner_id, dispute.opened_by_id, *writers]
    return [pk for pk in dict.fromkeys(people) if pk is not None]


def _raise(dispute, *, kind, subject, recipients, title, message):
    due = Due(
        kind=kind,
        subject=subject,
        due_on=timezone.localdate(),
        recipients=recipients,
        title=title,
        message=message,
        link=dispute.get_absolute_url(),
        vendor_id=dispute.invoice.vendor_id,
    )
    if raise_alerts([due]):
        schedule_delivery()


def dispute_opened(dispute):
    """Called by the service that disputes a discrepancy, once the dispute and its first message exist."""
    invoice = dispute.invoice
    _raise(
        dispute,
        kind=DISPUTE_OPENED,
        subject=dispute,
        recipients=vendor_staff_ids(invoice.vendor_id),
        title=f"Invoice {invoice.number} disputed: {dispute.decision.get_kind_display()}",
        message=f"We dispute {dispute.decision.amount:,.2f} {invoice.currency} on invoice {invoice.number}. "
        "Read our reason and answer in the dispute thread.",
    )


def message_posted(message):
    dispute, invoice = message.dispute, message.dispute.invoice
    if role_of(message.author) == Role.VENDOR_STAFF:
        _raise(
            dispute,
            kind=DISPUTE_REPLY,
            subject=message,
            recipients=our_side_ids(dispute),
            title=f"{invoice.vendor.name} answered the dispute on invoice {invoice.number}",
            message=f"{message.author.get_full_name() or message.author.username} wrote in the thread.",
        )
        return
    _raise(
        dispute,
        kind=DISPUTE_MESSAGE,
        subject=message,
        recipients=vendor_staff_ids(invoice.vendor_id),
        title=f"New message in the dispute on invoice {invoice.number}",
        message="The BPO manager wrote in the dispute thread: read it and answer there.",
    )


def dispute_resolved(dispute, *, outcome_label):
    invoice = dispute.invoice
    _raise(
        dispute,
        kind=DISPUTE_RESOLVED,
        subject=dispute,
        recipients=vendor_staff_ids(invoice.vendor_id),
        title=f"Dispute on invoice {invoice.number} resolved: {outcome_label}",
        message=dispute.resolution,
    )

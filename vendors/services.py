"""Writes to the vendor registry that are more than a form save: archiving and restoring."""

from django.db import transaction
from django.utils import timezone

from vendors.models import VendorStatus


@transaction.atomic
def vendor_archive(*, vendor, by):
    """Hide the vendor from the default list; everything about it stays, with its history."""
    vendor.status = VendorStatus.ARCHIVED
    vendor._history_user = by
    vendor.save(update_fields=["status", "updated_at"])


@transaction.atomic
def vendor_restore(*, vendor, by):
    """Bring an archived vendor back with the status it had before it was archived."""
    before = vendor.history.exclude(status=VendorStatus.ARCHIVED).values_list("status", flat=True).first()
    vendor.status = before or VendorStatus.PROSPECT
    vendor._history_user = by
    vendor.save(update_fields=["status", "updated_at"])


def record_archive(*, record, by):
    """Archive a contact, contract or certification: it leaves the vendor page, nothing is deleted."""
    record.archived_at = timezone.now()
    record._history_user = by
    record.save(update_fields=["archived_at"])

"""The change history shown on a vendor page: who changed what, and when, across the vendor's records.

django-simple-history keeps one historical row per save; here consecutive rows of the same record are
compared in memory, so the whole history costs one query per kind of record.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import models

from vendors.models import Certification, Contract, OnboardingPlan, Vendor

IGNORED_FIELDS = {"id", "created_at", "updated_at", "vendor"}


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: object
    subject: str
    action: str
    changes: tuple
    order: int  # the historical row's id: breaks ties between changes saved in the same instant


def _display(record, field):
    if isinstance(field, models.ForeignKey):
        value = getattr(record, field.name, None)
        if value is None:
            return "—"
        return (value.get_full_name() if hasattr(value, "get_full_name") else "") or str(value)
    value = getattr(record, field.attname)
    if value in (None, ""):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def history_entries(records, subject, tracked_model, *, money):
    """The changes between consecutive historical rows of one kind of record (shared with sourcing).
    Without `money`, the model's MONEY_FIELDS are left out: only the BPO manager sees money."""
    ignored = IGNORED_FIELDS if money else {*IGNORED_FIELDS, *getattr(tracked_model, "MONEY_FIELDS", ())}
    fields = {f.name: f for f in tracked_model._meta.concrete_fields if f.name not in ignored and f.editable}
    previous = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        if before is None:
            action, changes = "created", ()
        else:
            delta = record.diff_against(before, included_fields=list(fields))
            changes = tuple(
                Change(
                    fields[c.field].verbose_name,
                    _display(before, fields[c.field]),
                    _display(record, fields[c.field]),
                )
                for c in delta.changes
            )
            if not changes:
                continue
            action = "archived" if _archived(before, record) else "changed"
        yield HistoryEntry(
            record.history_date, record.history_user, subject(record), action, changes, record.history_id
        )


def _archived(before, record):
    if hasattr(record, "archived_at"):
        return before.archived_at is None and record.archived_at is not None
    return getattr(record, "status", None) == "archived" != getattr(before, "status", None)


def vendor_history(vendor, *, money, limit=40):
    """The latest `limit` changes to the vendor, its contracts, certifications and onboarding plan; the
    contracts' money only with `money`."""
    order = ("history_date", "history_id")
    sources = [
        (
            Vendor.history.filter(id=vendor.pk).select_related("history_user", "owner"),
            lambda record: "Vendor",
            Vendor,
        ),
        (
            Contract.history.filter(vendor_id=vendor.pk).select_related("history_user"),
            lambda record: f"Contract {record.reference}",
            Contract,
        ),
        (
            Certification.history.filter(vendor_id=vendor.pk).select_related("history_user"),
            lambda record: dict(Certification._meta.get_field("kind").flatchoices).get(
                record.kind, record.kind
            ),
            Certification,
        ),
        (
            OnboardingPlan.history.filter(vendor_id=vendor.pk).select_related("history_user", "template"),
            lambda record: "Onboarding plan",
            OnboardingPlan,
        ),
    ]
    entries = [
        entry
        for queryset, subject, model in sources
        for entry in history_entries(queryset.order_by(*order), subject, model, money=money)
    ]
    entries.sort(key=lambda entry: (entry.when, entry.order), reverse=True)
    return entries[:limit]

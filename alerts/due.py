"""The "what is due" functions of the contract calendar, run by the daily job.

Each is a plain function of the database and `today`: an item is due from ALERT_DUE_SOON_DAYS
before its date until ALERT_CATCH_UP_DAYS after it, so a run missed while beat or the workers were
down is caught up by the next one, and the alert key keeps it to one alert per date and person.
Each function makes the same few queries whatever the number of vendors.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import DateField, F, IntegerField, Value
from django.db.models.functions import Cast
from django.utils.formats import date_format

from alerts import registry
from alerts.recipients import accountable, manager_ids
from alerts.registry import Due
from vendors.models import Contract, VendorStatus

CONTRACT_END = "contract_end"
CONTRACT_RENEWAL_NOTICE = "contract_renewal_notice"
CONTRACT_REVIEW = "contract_review"


def _window(today):
    return (
        today - timedelta(days=settings.ALERT_CATCH_UP_DAYS),
        today + timedelta(days=settings.ALERT_DUE_SOON_DAYS),
    )


def _live_contracts():
    return (
        Contract.objects.filter(archived_at__isnull=True)
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor")
        .order_by("pk")
    )


def when(day, today) -> str:
    """'today', 'on 5 March 2026', or 'on 5 March 2026 (passed)': how a title says a due date."""
    if day == today:
        return "today"
    text = date_format(day, "j F Y")
    return f"on {text}" if day > today else f"on {text} (passed)"


@registry.due(CONTRACT_END, label="Contract ending", job="daily")
def due_contract_end(today):
    """Contracts that end soon and do not renew by themselves."""
    managers = manager_ids()
    for contract in _live_contracts().filter(auto_renew=False, end_date__range=_window(today)):
        vendor = contract.vendor
        yield Due(
            kind=CONTRACT_END,
            subject=contract,
            due_on=contract.end_date,
            recipients=accountable(vendor, managers),
            title=f"{vendor.name}: contract {contract.reference} ends {when(contract.end_date, today)}",
            message=f"Contract {contract.reference} with {vendor.name} does not renew automatically. "
            "Decide whether to renew, renegotiate or offboard.",
            link=vendor.get_absolute_url(),
            vendor_id=vendor.pk,
        )


@registry.due(CONTRACT_RENEWAL_NOTICE, label="Contract renewal notice date", job="daily")
def due_contract_renewal_notice(today):
    """The last day to give notice: end date minus the contract's notice period."""
    managers = manager_ids()
    contracts = _live_contracts().annotate(
        notice_by=Cast(
            F("end_date") - Cast("renewal_notice_days", IntegerField()) * Value(timedelta(days=1)),
            DateField(),
        )
    )
    for contract in contracts.filter(notice_by__range=_window(today)):
        vendor = contract.vendor
        action = "cancel it or it renews" if contract.auto_renew else "start the renewal"
        yield Due(
            kind=CONTRACT_RENEWAL_NOTICE,
            subject=contract,
            due_on=contract.notice_by,
            recipients=accountable(vendor, managers),
            title=f"{vendor.name}: notice for contract {contract.reference} is due "
            f"{when(contract.notice_by, today)}",
            message=f"Contract {contract.reference} ends on {date_format(contract.end_date, 'j F Y')} with "
            f"{contract.renewal_notice_days} days' notice: {action}.",
            link=vendor.get_absolute_url(),
            vendor_id=vendor.pk,
        )


@registry.due(CONTRACT_REVIEW, label="Yearly contract review", job="daily")
def due_contract_review(today):
    managers = manager_ids()
    for contract in _live_contracts().filter(next_review_date__range=_window(today)):
        vendor = contract.vendor
        yield Due(
            kind=CONTRACT_REVIEW,
            subject=contract,
            due_on=contract.next_review_date,
            recipients=accountable(vendor, managers),
            title=f"{vendor.name}: yearly review of contract {contract.reference} is due "
            f"{when(contract.next_review_date, today)}",
            message=f"Review contract {contract.reference} with {vendor.name}: pricing, SLA targets and "
            "service credits, then set the next review date.",
            link=vendor.get_absolute_url(),
            vendor_id=vendor.pk,
        )

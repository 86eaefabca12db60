"""Builders for the value tests: a vendor doing a baselined service, its approved invoices, its volumes."""

from datetime import UTC, date, datetime
from decimal import Decimal

from costs.models import ExchangeRate, InvoiceStatus, ValueBaseline
from tests.costs.factories import InvoiceFactory
from tests.factories import ContractFactory, ServiceFactory, VendorFactory
from tests.kpis.factories import kpi, measure

TODAY = date(2026, 11, 20)
APPROVED_AT = datetime(2026, 11, 1, 10, tzinfo=UTC)


def baseline(service, user, **fields):
    values = {
        "cost_per_unit": Decimal("3.00"),
        "volume_kpi": kpi("aht"),
        "processing_time_seconds": 330,
        "error_rate_percent": Decimal("3.0"),
        "measured_until": date(2026, 6, 30),
        "entered_by": user,
        **fields,
    }
    return ValueBaseline.objects.create(service=service, **values)


def rate(currency, valid_from, value, user):
    return ExchangeRate.objects.create(
        currency=currency, valid_from=valid_from, rate=Decimal(value), entered_by=user
    )


def invoice(contract, period, total, user, status=InvoiceStatus.APPROVED):
    approved = status == InvoiceStatus.APPROVED
    return InvoiceFactory(
        contract=contract,
        period=period,
        issued_on=period.replace(day=3),
        total=Decimal(total),
        status=status,
        entered_by=user,
        approved_by=user if approved else None,
        approved_at=APPROVED_AT if approved else None,
    )


def outsourced_vendor(name, user, *, currency="EUR", months=(7, 8, 9), total="10000", units=5000):
    """A customer-support vendor with approved invoices and measured contacts in the given 2026 months."""
    vendor = VendorFactory(name=name)
    vendor.services.add(ServiceFactory())
    contract = ContractFactory(vendor=vendor, currency=currency)
    for month in months:
        period = date(2026, month, 1)
        invoice(contract, period, total, user)
        measure(vendor, "aht", period, 300, volume=units)
    return vendor, contract

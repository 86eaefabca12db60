"""Builders for the pricing and reconciliation tests: a priced contract, the month's facts behind its
expected bill (volumes, SLA results), and invoices against it."""

from datetime import date
from decimal import Decimal

from costs.models import ChargeKind, PriceTier
from tests.costs.factories import InvoiceFactory, InvoiceLineFactory, PriceTermFactory
from tests.factories import ContractFactory
from tests.kpis.factories import SLAFactory, SLATargetFactory, kpi, measure

OCT = date(2026, 10, 1)
NOV = date(2026, 11, 1)


def fixed_fee(contract, amount="20000", category="platform-fee", **fields):
    return PriceTermFactory(contract=contract, unit_price=Decimal(amount), category=category, **fields)


def per_fte(contract, seats, rate, **fields):
    return PriceTermFactory(
        contract=contract,
        kind=ChargeKind.PER_FTE,
        category="agent-seat",
        label="Agent seats",
        quantity=Decimal(seats),
        unit_price=Decimal(rate),
        **fields,
    )


def per_unit(contract, rate, tiers=(), code="aht", category="contacts", **fields):
    term = PriceTermFactory(
        contract=contract,
        kind=ChargeKind.PER_UNIT,
        category=category,
        label="Contacts handled",
        unit_price=Decimal(rate),
        unit_name="contact",
        volume_kpi=kpi(code),
        **fields,
    )
    PriceTier.objects.bulk_create(
        PriceTier(term=term, from_units=start, unit_price=Decimal(price)) for start, price in tiers
    )
    return term


def one_off(contract, amount, month, **fields):
    return PriceTermFactory(
        contract=contract,
        kind=ChargeKind.ONE_OFF,
        category="setup",
        label="Setup",
        unit_price=Decimal(amount),
        charged_in=month,
        **fields,
    )


def bonus(contract, amount, code="csat", **fields):
    return PriceTermFactory(
        contract=contract,
        kind=ChargeKind.INCENTIVE,
        category="csat-bonus",
        label="CSAT bonus",
        unit_price=Decimal(amount),
        incentive_kpi=kpi(code),
        **fields,
    )


def csat_sla(contract, **fields):
    """CSAT target 85, warning under 82, breach under 78; 2 % of the monthly fee per breach, cap 10 %."""
    sla = SLAFactory(vendor=contract.vendor, contract=contract, **fields)
    SLATargetFactory(sla=sla, kpi=kpi("csat"), effective_from=contract.start_date)
    return sla


def measured(contract, code, value, volume=None, month=OCT):
    return measure(contract.vendor, code, month, value, volume)


def invoice(contract, lines, total=None, **fields):
    """An invoice of the contract with lines [(category, quantity, unit_price, amount)]; the total is
    the lines' sum unless given."""
    amounts = [Decimal(str(amount)) for *_, amount in lines]
    made = InvoiceFactory(
        contract=contract,
        total=Decimal(str(total)) if total is not None else sum(amounts, Decimal(0)),
        **fields,
    )
    for position, (category, quantity, unit_price, amount) in enumerate(lines):
        InvoiceLineFactory(
            invoice=made,
            category=category,
            description=category,
            quantity=Decimal(str(quantity)),
            unit_price=Decimal(str(unit_price)),
            amount=Decimal(str(amount)),
            position=position,
        )
    return made


def standard_contract(vendor=None, **fields):
    """A contract priced 20,000 a month fixed plus contacts at 1.00 (0.80 above 10,000), with a CSAT SLA;
    in October 12,000 contacts were measured and CSAT breached (70): 400 of service credits due.

    Expected for October: 20,000 + 10,000 + 2,000 × 0.80 − 400 = 31,200.
    """
    contract = ContractFactory(**({"vendor": vendor} if vendor else {}), **fields)
    fixed_fee(contract)
    per_unit(contract, "1.00", tiers=[(10000, "0.80")])
    csat_sla(contract)
    measured(contract, "aht", 300, volume=12000)
    measured(contract, "csat", 70, volume=500)
    return contract


CLEAN_LINES = [
    ("platform-fee", 1, 20000, 20000),
    ("contacts", 12000, "0.9667", 11600),
    ("service-credit", 1, -400, -400),
]

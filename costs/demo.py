"""Demo costs: exchange rates, every demo contract priced as its pricing model says, a year of invoices
built from those prices and the measured volumes, this year's budgets, an in-house baseline per service,
and exactly three planted problems for the manager to find (`PLANTED`): a hidden fee, a service credit
not applied, and a rate above the contract.

Most invoices are approved; the last month's and the planted ones wait to be reconciled. Everything is
dated from ctx.today and keyed on natural keys (a rate per currency and day, a term per contract and
category, an invoice number per vendor, a budget per vendor and year, a baseline per service); an
invoice's lines are written only with the invoice, so a second run adds nothing.
"""

from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from costs.models import (
    Budget,
    ChargeKind,
    ExchangeRate,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PriceTerm,
    PriceTier,
    ValueBaseline,
)
from costs.money import company_currency
from kpis.models import KPI, Measurement
from kpis.periods import add_months, month_start
from kpis.selectors import vendor_scorecards
from vendors.models import Contract, PricingModel, Service, Vendor

# 1 unit = so many euros: a first rate before the first invoiced month, a second one six months ago.
RATES = {"USD": ("0.9200", "0.9050"), "GBP": ("1.1700", "1.1850")}
# Two demo partners bill in their own currency; the others in euros.
CURRENCIES = {"northwind-contact": "USD", "helios-tech-support": "GBP"}
SEAT_RATE = Decimal("2500")
TIER_FROM = 15000
TIER_DISCOUNT = Decimal("0.85")
TYPICAL_UNITS = 14000
SETUP_FEE = Decimal("15000")
# service code: (in-house cost per unit in euros, unit, volume KPI, processing time s, error rate %)
BASELINES = {
    "customer-support": ("2.60", "contact", "aht", 330, None),
    "technical-support": ("3.40", "contact", "aht", 420, None),
    "collections": ("3.10", "contact", "aht", 360, None),
    "back-office": ("2.90", "item", "error-rate", None, "2.8"),
    "data-entry": ("2.30", "record", "error-rate", None, "3.1"),
    "content-moderation": ("3.20", "item", "error-rate", None, "2.6"),
}
BACK_OFFICE = {"back-office", "data-entry", "content-moderation"}
HIDDEN_FEE = ("reporting-platform", "Reporting platform access", Decimal("1250"))
# 6% above the contract: 2,650 a seat instead of 2,500.
RATE_ABOVE = Decimal("1.06")
PLANTED = ("hidden fee", "service credit not applied", "rate above contract")
CREDIT = "service-credit"


def seed(ctx):
    if not ctx.vendors:
        return
    current = month_start(ctx.today)
    periods = [add_months(current, -offset) for offset in range(min(12, ctx.months), 0, -1)]
    manager = ctx.users["manager"]
    contracts = _contracts(ctx)
    _seed_rates(periods[0], current, manager)
    volume_kpis = _seed_terms(ctx, contracts, periods[0])
    _seed_baselines(periods[0], manager)
    _seed_invoices(ctx, contracts, volume_kpis, periods, manager)
    _seed_budgets(ctx, contracts)


def _contracts(ctx):
    """Each vendor's first contract (the one its SLA is under), in its billing currency."""
    for slug, currency in CURRENCIES.items():
        Contract.objects.filter(vendor__slug=slug, vendor__in=ctx.vendors, currency="EUR").update(
            currency=currency
        )
    contracts = {}
    for contract in Contract.objects.filter(vendor__in=ctx.vendors).order_by("vendor_id", "reference"):
        contracts.setdefault(contract.vendor_id, contract)
    return contracts


def _seed_rates(first, current, manager):
    rows = [
        ExchangeRate(currency=currency, valid_from=day, rate=Decimal(rate), entered_by=manager)
        for currency, pair in RATES.items()
        if currency != company_currency()
        for day, rate in zip((add_months(first, -1), add_months(current, -6)), pair, strict=True)
    ]
    ExchangeRate.objects.bulk_create(rows, ignore_conflicts=True)


def _is_back_office(vendor_id, services):
    codes = services.get(vendor_id, set())
    return bool(codes) and codes <= BACK_OFFICE


def _services(ctx):
    services = {}
    rows = Vendor.services.through.objects.filter(vendor__in=ctx.vendors).values_list(
        "vendor_id", "service__code"
    )
    for vendor_id, code in rows:
        services.setdefault(vendor_id, set()).add(code)
    return services


def _terms_of(index, contract, kpis, back_office, first):
    """The price terms a contract's pricing model calls for, plus a setup fee for every other vendor."""
    fee, start = contract.monthly_fee, contract.start_date
    common = {"contract": contract, "effective_from": start}
    if contract.pricing_model == PricingModel.PER_FTE:
        seats = (fee / SEAT_RATE).quantize(Decimal("1"))
        terms = [
            PriceTerm(
                kind=ChargeKind.PER_FTE,
                category="agent-seat",
                label="Agent seat (FTE)",
                unit_price=SEAT_RATE,
                quantity=seats,
                **common,
            )
        ]
    elif contract.pricing_model == PricingModel.PER_TRANSACTION:
        unit = "item" if back_office else "contact"
        terms = [
            PriceTerm(
                kind=ChargeKind.PER_UNIT,
                category=f"{unit}s",
                label=f"Handled {unit}s",
                unit_price=_unit_price(fee),
                unit_name=unit,
                volume_kpi=kpis["error-rate" if back_office else "aht"],
                **common,
            )
        ]
    else:
        terms = [
            PriceTerm(
                kind=ChargeKind.FIXED_FEE,
                category="managed-service",
                label="Managed service fee",
                unit_price=fee,
                **common,
            )
        ]
    if index % 2:
        terms.append(
            PriceTerm(
                kind=ChargeKind.ONE_OFF,
                category="setup",
                label="Transition and setup",
                unit_price=SETUP_FEE,
                charged_in=first,
                **common,
            )
        )
    return terms


def _unit_price(fee):
    return (fee / TYPICAL_UNITS).quantize(Decimal("0.01"))


def _seed_terms(ctx, contracts, first):
    kpis = {kpi.code: kpi for kpi in KPI.objects.filter(code__in=["aht", "error-rate"])}
    services = _services(ctx)
    existing = set(
        PriceTerm.objects.filter(contract__in=contracts.values()).values_list("contract_id", "category")
    )
    new = []
    for index, vendor in enumerate(ctx.vendors):
        contract = contracts[vendor.pk]
        terms = _terms_of(index, contract, kpis, _is_back_office(vendor.pk, services), first)
        new += [term for term in terms if (contract.pk, term.category) not in existing]
    PriceTerm.objects.bulk_create(new)
    terms = PriceTerm.objects.filter(contract__in=contracts.values(), kind=ChargeKind.PER_UNIT)
    PriceTier.objects.bulk_create(
        [
            tier
            for term in terms
            for tier in (
                PriceTier(term=term, from_units=0, unit_price=term.unit_price),
                PriceTier(
                    term=term,
                    from_units=TIER_FROM,
                    unit_price=(term.unit_price * TIER_DISCOUNT).quantize(Decimal("0.01")),
                ),
            )
        ],
        ignore_conflicts=True,
    )
    return {term.contract_id: term.volume_kpi_id for term in terms}


def _seed_baselines(first, manager):
    kpis = {kpi.code: kpi for kpi in KPI.objects.filter(code__in=["aht", "error-rate"])}
    rows = [
        ValueBaseline(
            service=service,
            cost_per_unit=Decimal(cost),
            unit_name=unit,
            volume_kpi=kpis[kpi_code],
            processing_time_seconds=seconds,
            error_rate_percent=Decimal(error) if error else None,
            measured_until=first - timedelta(days=1),
            note="Finance: the last in-house year before outsourcing, fully loaded (demo figures).",
            entered_by=manager,
        )
        for service in Service.objects.filter(code__in=BASELINES)
        for cost, unit, kpi_code, seconds, error in [BASELINES[service.code]]
    ]
    ValueBaseline.objects.bulk_create(rows, ignore_conflicts=True)


def _in_force(term, period):
    return month_start(term.effective_from) <= period and (
        term.effective_to is None or term.effective_to > period
    )


def _graduated(units, tiers):
    """Units above each tier's start cost that tier's price (tiers sorted by their start)."""
    amount = Decimal(0)
    for tier, following in zip(tiers, [*tiers[1:], None], strict=True):
        upper = following.from_units if following else units
        if units > tier.from_units:
            amount += (min(units, upper) - tier.from_units) * tier.unit_price
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _line(term, quantity, unit_price, amount=None):
    amount = (quantity * unit_price).quantize(Decimal("0.01")) if amount is None else amount
    return InvoiceLine(
        category=term.category,
        description=term.label,
        quantity=quantity,
        unit_price=unit_price,
        amount=amount,
    )


def _lines(terms, period, units):
    """The lines an honest invoice of `period` has under these terms and the month's measured units."""
    lines = []
    for term in terms:
        if not _in_force(term, period):
            continue
        if term.kind == ChargeKind.FIXED_FEE:
            lines.append(_line(term, Decimal(1), term.unit_price))
        elif term.kind == ChargeKind.PER_FTE:
            lines.append(_line(term, term.quantity, term.unit_price))
        elif term.kind == ChargeKind.PER_UNIT and units:
            amount = _graduated(units, list(term.tiers.all()))
            lines.append(_line(term, Decimal(units), (amount / units).quantize(Decimal("0.0001")), amount))
        elif term.kind == ChargeKind.ONE_OFF and term.charged_in == period:
            lines.append(_line(term, Decimal(1), term.unit_price))
    return lines


def _credits(ctx, periods):
    """{(vendor id, month): the service credits its SLA breaches earn}, from the KPI scorecards."""
    credits = {}
    for period in periods:
        for card in vendor_scorecards(ctx.vendors, period):
            if card.service_credits > 0:
                credits[(card.vendor.pk, period)] = card.service_credits
    return credits


def _unapplied_credit(ctx, credits, last):
    """The invoice that will forget its credit: the latest breached month, away from the other plants."""
    other_plants = {(vendor.pk, last) for vendor in ctx.vendors[:2]}
    order = {vendor.pk: index for index, vendor in enumerate(ctx.vendors)}
    candidates = sorted(credits, key=lambda key: (key in other_plants, -key[1].toordinal(), order[key[0]]))
    return candidates[0] if candidates else None


def _plant(index, lines, count):
    """The last month's invoices of the first vendors carry a rate above the contract and a hidden fee."""
    if index == 0 and lines:
        first = lines[0]
        first.unit_price = (first.unit_price * RATE_ABOVE).quantize(Decimal("0.01"))
        first.amount = (first.quantity * first.unit_price).quantize(Decimal("0.01"))
    if index == min(1, count - 1):
        category, description, amount = HIDDEN_FEE
        lines.append(
            InvoiceLine(
                category=category,
                description=description,
                quantity=Decimal(1),
                unit_price=amount,
                amount=amount,
            )
        )


def _units(ctx, volume_kpis, periods):
    rows = Measurement.objects.filter(
        vendor__in=ctx.vendors, kpi_id__in=set(volume_kpis.values()), period__in=periods
    ).values_list("vendor_id", "kpi_id", "period", "volume")
    return {(vendor_id, kpi_id, period): volume for vendor_id, kpi_id, period, volume in rows}


def _seed_invoices(ctx, contracts, volume_kpis, periods, manager):
    existing = set(Invoice.objects.filter(vendor__in=ctx.vendors).values_list("vendor_id", "number"))
    terms = {}
    for term in (
        PriceTerm.objects.filter(contract__in=contracts.values()).prefetch_related("tiers").order_by("pk")
    ):
        terms.setdefault(term.contract_id, []).append(term)
    units = _units(ctx, volume_kpis, periods)
    credits = _credits(ctx, periods)
    unapplied = _unapplied_credit(ctx, credits, periods[-1])
    invoices, lines_of = [], {}
    for index, vendor in enumerate(ctx.vendors):
        contract = contracts[vendor.pk]
        for period in periods:
            number = f"INV-{period:%Y-%m}"
            if period < month_start(contract.start_date) or (vendor.pk, number) in existing:
                continue
            volume = units.get((vendor.pk, volume_kpis.get(contract.pk), period))
            lines = _lines(terms.get(contract.pk, []), period, volume)
            # Planted once, with the demo's first invoices: a later run (a later today) adds honest ones.
            if period == periods[-1] and not existing:
                _plant(index, lines, len(ctx.vendors))
            credit = credits.get((vendor.pk, period))
            if credit and ((vendor.pk, period) != unapplied or existing):
                lines.append(
                    InvoiceLine(
                        category=CREDIT,
                        description="Service credits (SLA breaches)",
                        quantity=Decimal(1),
                        unit_price=-credit,
                        amount=-credit,
                    )
                )
            waiting = period == periods[-1] or ((vendor.pk, period) == unapplied and not existing)
            invoices.append(_invoice(ctx, vendor, contract, number, period, lines, waiting, manager))
            lines_of[(vendor.pk, number)] = lines
    Invoice.objects.bulk_create(invoices)
    stored = Invoice.objects.filter(vendor__in=ctx.vendors, number__in={number for _, number in lines_of})
    new_lines = []
    for invoice in stored:
        for position, line in enumerate(lines_of.get((invoice.vendor_id, invoice.number), [])):
            line.invoice, line.position = invoice, position
            new_lines.append(line)
    InvoiceLine.objects.bulk_create(new_lines, batch_size=5000)


def _invoice(ctx, vendor, contract, number, period, lines, waiting, manager):
    issued_on = min(add_months(period, 1) + timedelta(days=2), ctx.today)
    approved_at = timezone.make_aware(datetime.combine(issued_on + timedelta(days=9), time(10)))
    return Invoice(
        vendor=vendor,
        contract=contract,
        number=number,
        period=period,
        issued_on=issued_on,
        currency=contract.currency,
        total=sum((line.amount for line in lines), Decimal(0)),
        status=InvoiceStatus.RECEIVED if waiting else InvoiceStatus.APPROVED,
        entered_by=manager,
        approved_by=None if waiting else manager,
        approved_at=None if waiting else approved_at,
    )


def _seed_budgets(ctx, contracts):
    """This year's budget: twelve monthly fees in euros, a setup fee where there is one, and 8% headroom."""
    setups = set(
        PriceTerm.objects.filter(contract__in=contracts.values(), kind=ChargeKind.ONE_OFF).values_list(
            "contract_id", flat=True
        )
    )
    rows = []
    for vendor in ctx.vendors:
        contract = contracts[vendor.pk]
        rate = Decimal(RATES[contract.currency][1]) if contract.currency in RATES else Decimal(1)
        planned = contract.monthly_fee * 12 + (SETUP_FEE if contract.pk in setups else 0)
        amount = (planned * rate * Decimal("1.08") / 1000).quantize(Decimal(1)) * 1000
        rows.append(
            Budget(
                vendor=vendor, year=ctx.today.year, amount=amount, note="Approved in the yearly plan (demo)."
            )
        )
    Budget.objects.bulk_create(rows, ignore_conflicts=True)

"""The pricing engine: what a contract's price terms make the vendor owe for a month.

Plain functions over loaded rows, so one vendor's invoice page and the month of every vendor share the
same arithmetic: `month_context(contracts, month)` loads what a month's pricing depends on (terms with
their tiers, measured volumes, the scorecards) in a fixed number of queries, `expected_bill(...)` prices
one contract from it. Amounts stay exact Decimals until each charge is rounded to cents, once.

Service credits are not priced here: the scorecard's rule (`kpis.selectors.Scorecard.service_credits`:
each breached KPI's credit % of the monthly fee, capped per SLA) is applied to the contract's SLAs.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from bporeg.access import require_manager
from costs.models import ChargeKind, ExchangeRate, PriceTerm, PriceTier
from costs.money import cents, company_currency
from kpis.models import Measurement
from kpis.periods import add_months, month_start
from kpis.selectors import Scorecard, vendor_scorecards

SERVICE_CREDIT = "service-credit"


@dataclass(frozen=True)
class ExpectedCharge:
    """One price term's charge for the month: `amount` is what the contract makes the vendor owe."""

    term: PriceTerm
    category: str
    label: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    tiers: tuple = ()  # per unit: ((from_units, unit_price), …)

    def price_of(self, quantity) -> Decimal:
        """What `quantity` units cost at the contract's prices (graduated for tiered per-unit terms)."""
        if self.term.kind == ChargeKind.PER_UNIT:
            return cents(graduated(quantity, self.term.unit_price, self.tiers))
        return cents(Decimal(quantity) * self.term.unit_price)


@dataclass(frozen=True)
class ExpectedBill:
    contract: object
    period: object
    charges: list[ExpectedCharge]
    service_credit: Decimal

    @property
    def charged(self) -> Decimal:
        return sum((charge.amount for charge in self.charges), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.charged - self.service_credit

    def by_category(self) -> dict[str, ExpectedCharge]:
        """The charge of each invoice line category. The pricing form keeps one term per category in
        force; should two ever share one, they are priced together as one proportional charge."""
        grouped = defaultdict(list)
        for charge in self.charges:
            grouped[charge.category].append(charge)
        return {category: _combined(charges) for category, charges in grouped.items()}


def _combined(charges):
    if len(charges) == 1:
        return charges[0]
    quantity = sum((c.quantity for c in charges), Decimal(0))
    amount = sum((c.amount for c in charges), Decimal(0))
    unit_price = amount / quantity if quantity else Decimal(0)
    first = charges[0]
    term = PriceTerm(
        kind=ChargeKind.FIXED_FEE, category=first.category, label=first.label, unit_price=unit_price
    )
    return ExpectedCharge(term, first.category, first.label, quantity, unit_price, amount)


@dataclass
class MonthContext:
    """What pricing a month depends on, for many contracts at once."""

    month: object
    terms: dict = field(default_factory=dict)  # {contract_id: [PriceTerm in force]}
    tiers: dict = field(default_factory=dict)  # {term_id: ((from_units, unit_price), …) ascending}
    volumes: dict = field(default_factory=dict)  # {(vendor_id, kpi_id): units measured in the month}
    scorecards: dict = field(default_factory=dict)  # {vendor_id: Scorecard}


def in_force(term, month) -> bool:
    """Does the term charge in `month`? A one-off only in the month it is charged in; any other term
    when it holds on the month's first day, as SLA targets do, so a term replaced mid-month is never
    charged twice."""
    if term.kind == ChargeKind.ONE_OFF:
        return term.charged_in is not None and month_start(term.charged_in) == month
    return term.effective_from <= month and (term.effective_to is None or term.effective_to > month)


def graduated(units, unit_price, tiers) -> Decimal:
    """Units priced band by band: the term's own `unit_price` up to the first tier, each tier's price
    for the units above its `from_units` (a tier from 0 replaces the term's own price)."""
    units = Decimal(units)
    starts = {0: unit_price, **dict(tiers)}
    bands = sorted(starts.items())
    total = Decimal(0)
    for index, (start, price) in enumerate(bands):
        end = bands[index + 1][0] if index + 1 < len(bands) else None
        in_band = (units if end is None else min(units, Decimal(end))) - start
        if in_band > 0:
            total += in_band * price
    return total


def month_context(contracts, month) -> MonthContext:
    """Load what `expected_bill` needs for these contracts (their vendors selected with them) in
    `month`: eight queries, however many contracts (terms, tiers, volumes, and the five of the vendors'
    scorecards). Tiers are read as plain rows: a prefetch would build a queryset per term."""
    month = month_start(month)
    context = MonthContext(month=month)
    contract_ids = [contract.pk for contract in contracts]
    vendors = list({contract.vendor_id: contract.vendor for contract in contracts}.values())
    # Every term of these contracts (a handful each, with their past versions), sorted out by
    # `in_force` so the rule lives in one place.
    terms = PriceTerm.objects.filter(contract_id__in=contract_ids).order_by(
        "contract_id", "kind", "category", "pk"
    )
    per_unit = []
    for term in terms:
        if in_force(term, month):
            context.terms.setdefault(term.contract_id, []).append(term)
            if term.kind == ChargeKind.PER_UNIT:
                per_unit.append(term.pk)
    tiers = defaultdict(list)
    rows = PriceTier.objects.filter(term_id__in=per_unit).order_by("term_id", "from_units")
    for term_id, start, price in rows.values_list("term_id", "from_units", "unit_price"):
        tiers[term_id].append((start, price))
    context.tiers = {term_id: tuple(bands) for term_id, bands in tiers.items()}
    kpi_ids = {t.volume_kpi_id for ts in context.terms.values() for t in ts if t.volume_kpi_id}
    if kpi_ids:
        rows = Measurement.objects.filter(
            vendor_id__in=[vendor.pk for vendor in vendors],
            kpi_id__in=kpi_ids,
            period__gte=month,
            period__lt=add_months(month, 1),
        ).values_list("vendor_id", "kpi_id", "volume")
        for vendor_id, kpi_id, volume in rows:
            key = (vendor_id, kpi_id)
            context.volumes[key] = context.volumes.get(key, 0) + (volume or 0)
    context.scorecards = {card.vendor.pk: card for card in vendor_scorecards(vendors, month)}
    return context


def contract_scorecard(card, contract) -> Scorecard | None:
    """The vendor's scorecard narrowed to the SLAs of this contract: their credits are this contract's."""
    if card is None:
        return None
    rows = [row for row in card.rows if row.target.sla.contract_id == contract.pk]
    return Scorecard(vendor=card.vendor, period=card.period, rows=rows)


def bonus_earned(term, card) -> bool:
    """The incentive KPI beat its SLA target this month (strictly better, in the KPI's direction)."""
    if card is None:
        return False
    return any(
        row.kpi.pk == term.incentive_kpi_id
        and row.actual is not None
        and row.kpi.is_better(row.actual, row.target.target)
        for row in card.rows
    )


def _charge(term, quantity, unit_price, amount, tiers=()):
    return ExpectedCharge(
        term, term.category, term.label, Decimal(quantity), unit_price, cents(amount), tiers
    )


def term_charge(term, *, vendor_id, context, card) -> ExpectedCharge | None:
    """What one term in force charges this month, or None (a bonus not earned)."""
    if term.kind in (ChargeKind.FIXED_FEE, ChargeKind.ONE_OFF):
        return _charge(term, 1, term.unit_price, term.unit_price)
    if term.kind == ChargeKind.PER_FTE:
        return _charge(term, term.quantity, term.unit_price, term.quantity * term.unit_price)
    if term.kind == ChargeKind.PER_UNIT:
        units = Decimal(context.volumes.get((vendor_id, term.volume_kpi_id), 0))
        tiers = context.tiers.get(term.pk, ())
        amount = graduated(units, term.unit_price, tiers)
        average = (amount / units).quantize(Decimal("0.0001")) if units else term.unit_price
        return _charge(term, units, average, amount, tiers)
    if term.kind == ChargeKind.INCENTIVE and bonus_earned(term, card):
        return _charge(term, 1, term.unit_price, term.unit_price)
    return None


def expected_bill(contract, context: MonthContext) -> ExpectedBill:
    """What the contract makes its vendor owe for the context's month: one charge per term in force,
    and the service credit due under the contract's SLAs."""
    card = contract_scorecard(context.scorecards.get(contract.vendor_id), contract)
    charges = []
    for term in context.terms.get(contract.pk, []):
        charge = term_charge(term, vendor_id=contract.vendor_id, context=context, card=card)
        if charge is not None:
            charges.append(charge)
    credit = card.service_credits if card is not None else Decimal(0)
    return ExpectedBill(contract=contract, period=context.month, charges=charges, service_credit=credit)


def contract_month_bill(contract, month) -> ExpectedBill:
    """One contract's expected bill for a month (the pricing page's preview)."""
    return expected_bill(contract, month_context([contract], month))


def exchange_rate_add(*, currency, valid_from, rate, by) -> ExchangeRate:
    """A dated rate: one unit of `currency` in the company's currency from `valid_from` on."""
    require_manager(by)
    if currency == company_currency():
        raise ValidationError(f"{currency} is the company's own currency: it needs no exchange rate.")
    return ExchangeRate.objects.create(currency=currency, valid_from=valid_from, rate=rate, entered_by=by)

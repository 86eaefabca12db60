"""A vendor's yearly budget against what it actually cost, month by month, and where the year is heading.

Actual is the approved invoices of each month, converted into the company's currency at the rate valid
on the month's last day (`costs.money`). Invoices not approved yet (received, disputed) and void ones
are not actual spend.

The forecast to year end is the actual to date plus the average of the months invoiced so far, times
the months after the latest month invoiced:

    forecast = actual + (actual / months invoiced) × (12 − number of the latest month invoiced)

It follows what the vendor really bills (volumes, credits and extras included) rather than what the
contract says it should, which is what a budget owner wants to know. A month skipped before the latest
invoiced one is not forecast: its invoice is late or there was nothing to bill, and it counts in actual
once approved. With no invoice approved yet there is no forecast. An overrun is a forecast above budget.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from bporeg.access import require_manager
from costs.models import Budget, Invoice, InvoiceStatus
from costs.money import MissingRate, Rates, cents
from kpis.periods import month_end

MONTHS = 12


@transaction.atomic
def budget_set(*, vendor, year, amount, note="", by) -> Budget:
    require_manager(by)
    budget = Budget.objects.select_for_update().filter(vendor=vendor, year=year).first()
    budget = budget or Budget(vendor=vendor, year=year)
    budget.amount, budget.note = amount, note
    budget._history_user = by
    budget.full_clean()
    budget.save()
    return budget


@dataclass
class BudgetMonth:
    month: date
    budget: Decimal | None  # the year's budget / 12
    actual: Decimal | None  # None: nothing approved for the month
    cumulative: Decimal  # actual to the end of the month
    cumulative_budget: Decimal | None
    forecast: Decimal | None  # projected cumulative, for the months after the latest invoiced

    @property
    def over(self) -> bool:
        return self.budget is not None and self.actual is not None and self.actual > self.budget


@dataclass
class BudgetYear:
    vendor: object
    year: int
    budget: Budget | None
    months: list[BudgetMonth] = field(default_factory=list)
    actual: Decimal = Decimal(0)
    months_invoiced: int = 0
    forecast: Decimal | None = None
    missing_rates: list[str] = field(default_factory=list)

    @property
    def overrun(self) -> Decimal | None:
        """How far the forecast goes above budget; None when within it or unknown."""
        if self.budget is None or self.forecast is None or self.forecast <= self.budget.amount:
            return None
        return self.forecast - self.budget.amount


def actual_by_month(invoices, rates) -> tuple[dict, list[str]]:
    """{month: total in company currency} of (period, currency, total) rows, and the missing rates' sentences.

    A month with an invoice that cannot be converted is left out: a partial month would look cheaper
    than it was.
    """
    totals, missing, broken = {}, [], set()
    for period, currency, total in invoices:
        try:
            amount = rates.convert(total, currency, month_end(period))
        except MissingRate as error:
            missing.append(str(error))
            broken.add(period)
            continue
        totals[period] = totals.get(period, Decimal(0)) + amount
    return {m: t for m, t in totals.items() if m not in broken}, list(dict.fromkeys(missing))


def budget_year(*, vendor, year) -> BudgetYear:
    """The year's budget against approved invoices, in three queries."""
    budget = Budget.objects.filter(vendor=vendor, year=year).first()
    invoices = (
        Invoice.objects.filter(vendor=vendor, status=InvoiceStatus.APPROVED, period__year=year)
        .order_by("period")
        .values_list("period", "currency", "total")
    )
    actual, missing = actual_by_month(invoices, Rates.load())
    result = BudgetYear(vendor=vendor, year=year, budget=budget, missing_rates=missing)
    result.actual = sum(actual.values(), Decimal(0))
    result.months_invoiced = len(actual)
    latest = max(actual, default=None)
    average = result.actual / len(actual) if actual else None
    if latest is not None and not missing:
        result.forecast = cents(result.actual + average * (MONTHS - latest.month))
    share = budget.amount / MONTHS if budget else None
    cumulative = Decimal(0)
    for number in range(1, MONTHS + 1):
        month = date(year, number, 1)
        cumulative += actual.get(month, Decimal(0))
        projected = None
        if result.forecast is not None and month > latest:
            projected = cents(cumulative + average * (number - latest.month))
        result.months.append(
            BudgetMonth(
                month=month,
                budget=cents(share) if share is not None else None,
                actual=actual.get(month),
                cumulative=cumulative,
                cumulative_budget=cents(share * number) if share is not None else None,
                forecast=projected,
            )
        )
    return result

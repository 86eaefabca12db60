"""Value: what a vendor's work would have cost in house, against what the vendor was paid, month by month
since outsourcing, with the quality beside it (the guides: compare costs against quality, never cost alone).

The rules:
- A vendor's baseline is the baseline of one of its services. A vendor with several services that have
  one takes the first by service name: units are measured per vendor and KPI, not per service, so
  adding two baselines up would count the same contacts twice.
- The months since outsourcing are the months with approved invoices after the baseline's last
  in-house month (`measured_until`); without a baseline, every month with approved invoices.
- Units of a month: the measured volumes (`Measurement.volume`) of the baseline's volume KPI in it.
- In-house equivalent = baseline cost per unit × units. Actual cost = the month's approved invoices in
  the company's currency, at the rate of the month's last day (costs/money.py); setup and other one-off
  fees are on those invoices, so they are in the cost.
- Savings to date = in-house equivalent to date − actual cost to date. A month whose volume is not
  measured adds its cost and no in-house equivalent, so savings are never overstated.
- ROI = savings to date ÷ actual cost to date.

Every figure for all vendors comes in `VALUE_QUERIES` queries, whatever the number of vendors.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse

from costs.models import Budget, Invoice, InvoiceStatus, ValueBaseline
from costs.money import MissingRate, Rates, cents
from kpis.models import KPI, Measurement
from kpis.periods import add_months, month_end, month_start
from kpis.selectors import monthly_values
from vendors.models import Vendor, VendorStatus

# Approved invoices, baselines of the vendors' services, units measured, exchange rates, budgets.
VALUE_QUERIES = 5
# The dashboard's tile names the vendors with the lowest ROI, up to this many.
TILE_VENDORS = 8
HUNDRED = Decimal(100)
# Quality beside the cost: KPI code and the baseline figure it is compared with (None: no in-house figure).
QUALITY = (("qa-score", None), ("error-rate", "error_rate_percent"), ("aht", "processing_time_seconds"))


@dataclass(frozen=True)
class ValueMonth:
    period: date
    actual: Decimal
    units: int | None = None
    in_house: Decimal | None = None

    @property
    def savings(self) -> Decimal | None:
        return None if self.in_house is None else self.in_house - self.actual


@dataclass(frozen=True)
class VendorValue:
    vendor_id: int
    name: str
    slug: str
    baseline: ValueBaseline | None
    months: list[ValueMonth]
    spend_this_year: Decimal = Decimal(0)
    budget: Decimal | None = None
    problem: str = ""

    @property
    def url(self):
        return reverse("costs:value", kwargs={"slug": self.slug})

    @cached_property
    def actual_to_date(self) -> Decimal:
        return sum((month.actual for month in self.months), Decimal(0))

    @cached_property
    def in_house_to_date(self) -> Decimal | None:
        measured = [month.in_house for month in self.months if month.in_house is not None]
        return sum(measured, Decimal(0)) if measured else None

    @cached_property
    def savings_to_date(self) -> Decimal | None:
        if self.in_house_to_date is None or self.problem:
            return None
        return self.in_house_to_date - self.actual_to_date

    @cached_property
    def roi_percent(self) -> Decimal | None:
        return _roi(self.savings_to_date, self.actual_to_date)

    @cached_property
    def unmeasured_months(self) -> list[date]:
        return [month.period for month in self.months if self.baseline and month.units is None]


def _roi(savings, actual):
    if savings is None or not actual:
        return None
    return (savings / actual * HUNDRED).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class PortfolioValue:
    vendors: list[VendorValue]
    year: int
    budget: Decimal | None
    budgeted_spend: Decimal
    spend_this_year: Decimal

    @cached_property
    def compared(self) -> list[VendorValue]:
        """The vendors whose savings are known: a baseline, measured volumes and every rate."""
        return [value for value in self.vendors if value.savings_to_date is not None]

    @cached_property
    def savings_to_date(self) -> Decimal | None:
        return sum((v.savings_to_date for v in self.compared), Decimal(0)) if self.compared else None

    @cached_property
    def actual_to_date(self) -> Decimal:
        return sum((value.actual_to_date for value in self.compared), Decimal(0))

    @cached_property
    def roi_percent(self) -> Decimal | None:
        return _roi(self.savings_to_date, self.actual_to_date)

    @cached_property
    def problems(self) -> list[VendorValue]:
        return [value for value in self.vendors if value.problem]


def _invoice_rows(vendors):
    """Approved totals per vendor, month and currency, summed in SQL."""
    return (
        Invoice.objects.filter(vendor__in=vendors, status=InvoiceStatus.APPROVED)
        .values("vendor_id", "vendor__name", "vendor__slug", "period", "currency")
        .annotate(amount=Sum("total"))
        .order_by("vendor__name", "vendor_id", "period")
    )


def _baselines_by_vendor(vendors):
    """{vendor id: the baseline of its first service (by name) that has one}."""
    links = (
        Vendor.services.through.objects.filter(vendor__in=vendors, service__baseline__isnull=False)
        .select_related("service__baseline__volume_kpi", "service__baseline__service")
        .order_by("service__name")
    )
    chosen = {}
    for link in links:
        chosen.setdefault(link.vendor_id, link.service.baseline)
    return chosen


def _units(vendors, since):
    """{(vendor id, KPI id, month): units} of every baseline's volume KPI, summed per month in SQL."""
    rows = (
        Measurement.objects.filter(
            vendor__in=vendors,
            kpi__in=ValueBaseline.objects.values("volume_kpi"),
            period__gte=since,
            volume__isnull=False,
        )
        .annotate(month=TruncMonth("period"))
        .values("vendor_id", "kpi_id", "month")
        .annotate(units=Sum("volume"))
        .order_by()
    )
    return {(row["vendor_id"], row["kpi_id"], row["month"]): row["units"] for row in rows}


def _vendor_value(vendor_key, rows, baseline, units, rates, year, budget):
    vendor_id, name, slug = vendor_key
    after = month_start(baseline.measured_until) if baseline else None
    actual, spend_this_year, problem = defaultdict(Decimal), Decimal(0), ""
    for row in rows:
        try:
            amount = rates.convert(row["amount"], row["currency"], month_end(row["period"]))
        except MissingRate as missing:
            problem, amount = problem or str(missing), Decimal(0)
        if row["period"].year == year:
            spend_this_year += amount
        if after is None or row["period"] > after:
            actual[row["period"]] += amount
    months = []
    for period in sorted(actual):
        count = units.get((vendor_id, baseline.volume_kpi_id, period)) if baseline else None
        in_house = cents(baseline.cost_per_unit * count) if count is not None else None
        months.append(ValueMonth(period, actual[period], count, in_house))
    return VendorValue(vendor_id, name, slug, baseline, months, spend_this_year, budget, problem)


def _values(vendors, today):
    """Each vendor's value (those with approved invoices) and this year's budgets: VALUE_QUERIES queries."""
    grouped = defaultdict(list)
    for row in _invoice_rows(vendors):
        grouped[(row["vendor_id"], row["vendor__name"], row["vendor__slug"])].append(row)
    baselines = _baselines_by_vendor(vendors)
    first = min((row["period"] for rows in grouped.values() for row in rows), default=month_start(today))
    units = _units(vendors, first)
    rates = Rates.load()
    budgets = dict(
        Budget.objects.filter(vendor__in=vendors, year=today.year).values_list("vendor_id", "amount")
    )
    values = [
        _vendor_value(key, rows, baselines.get(key[0]), units, rates, today.year, budgets.get(key[0]))
        for key, rows in grouped.items()
    ]
    return values, baselines, budgets


def portfolio_value(*, vendors, today) -> PortfolioValue:
    """Savings, ROI and this year's spend against budget across `vendors` (a queryset) but the archived."""
    values, _baselines, budgets = _values(vendors.exclude(status=VendorStatus.ARCHIVED), today)
    # Lowest ROI first: the vendors to look at; those whose savings cannot be computed after them.
    values.sort(key=lambda value: (value.roi_percent is None, value.roi_percent or 0, value.name))
    budgeted = sum((value.spend_this_year for value in values if value.vendor_id in budgets), Decimal(0))
    return PortfolioValue(
        vendors=values,
        year=today.year,
        budget=sum(budgets.values(), Decimal(0)) if budgets else None,
        budgeted_spend=budgeted,
        spend_this_year=sum((value.spend_this_year for value in values), Decimal(0)),
    )


def value_tile(value: PortfolioValue) -> dict:
    """What the dashboard's value tile shows, as JSON: the portfolio refresh keeps it in its snapshot, so
    the manager's dashboard does not go through every vendor's invoices on every view."""
    return {
        "year": value.year,
        "savings_to_date": _exact(value.savings_to_date),
        "roi_percent": _exact(value.roi_percent),
        "compared": len(value.compared),
        "spend_this_year": _exact(value.spend_this_year),
        "budget": _exact(value.budget),
        "budgeted_spend": _exact(value.budgeted_spend),
        "problems": [vendor.name for vendor in value.problems],
        "problem": value.problems[0].problem if value.problems else "",
        "vendors": [
            {
                "name": vendor.name,
                "url": vendor.url,
                "roi_percent": _exact(vendor.roi_percent),
                "problem": vendor.problem,
                "baseline": vendor.baseline is not None,
            }
            for vendor in value.vendors[:TILE_VENDORS]
        ],
        "more": max(len(value.vendors) - TILE_VENDORS, 0),
    }


def _exact(amount: Decimal | None) -> str | None:
    """A Decimal as JSON keeps it: as its text, not as a float."""
    return None if amount is None else str(amount)


@dataclass(frozen=True)
class QualityMeasure:
    """One quality KPI over the months since outsourcing, against the in-house figure when there is one."""

    kpi: KPI
    monthly: dict = field(default_factory=dict)
    in_house: Decimal | None = None

    @cached_property
    def average(self) -> Decimal | None:
        if not self.monthly:
            return None
        return (sum(self.monthly.values(), Decimal(0)) / len(self.monthly)).quantize(Decimal("0.1"))

    @cached_property
    def verdict(self) -> str:
        """'better', 'worse' or 'same' than in house; '' when either side is unknown."""
        if self.average is None or self.in_house is None:
            return ""
        if self.kpi.is_better(self.average, self.in_house):
            return "better"
        return "worse" if self.kpi.is_better(self.in_house, self.average) else "same"


def vendor_quality(value: VendorValue) -> list[QualityMeasure]:
    """The vendor's QA score, error rate and handling time in its months since outsourcing: two queries."""
    periods = [month.period for month in value.months]
    if not periods:
        return []
    kpis = {kpi.pk: kpi for kpi in KPI.objects.filter(code__in=[code for code, _ in QUALITY])}
    rows = Measurement.objects.filter(
        vendor_id=value.vendor_id, kpi__in=kpis, period__gte=periods[0], period__lt=add_months(periods[-1], 1)
    ).values_list("vendor_id", "kpi_id", "period", "value", "volume")
    monthly = monthly_values(rows, kpis)
    by_code = {kpi.code: kpi for kpi in kpis.values()}
    measures = []
    for code, baseline_field in QUALITY:
        kpi = by_code.get(code)
        if kpi is None:
            continue
        values = {p: monthly[key] for p in periods if (key := (value.vendor_id, kpi.pk, p)) in monthly}
        in_house = getattr(value.baseline, baseline_field) if value.baseline and baseline_field else None
        if values:
            measures.append(QualityMeasure(kpi, values, Decimal(in_house) if in_house is not None else None))
    return measures


def vendor_value(vendor, *, today) -> VendorValue:
    """One vendor's value, even before its first approved invoice: VALUE_QUERIES queries."""
    values, baselines, budgets = _values(Vendor.objects.filter(pk=vendor.pk), today)
    if values:
        return values[0]
    return VendorValue(
        vendor.pk, vendor.name, vendor.slug, baselines.get(vendor.pk), [], budget=budgets.get(vendor.pk)
    )

"""Scorecards and trends: how vendors did against their SLA targets, each in a fixed number of queries
whatever the number of vendors, KPIs and periods. The portfolio grid sorts and filters by the same
figures computed in SQL (kpis/grid.py), then builds its page's scorecards here.

Values are monthly. A KPI measured weekly or daily is rolled up into its month with the KPI's own
aggregation (average, sum, last value, or weighted by volume).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Q

from bporeg.access import is_internal, staff_vendor_id
from kpis.models import SLA, Aggregation, Measurement, SLATarget, Status
from kpis.periods import add_months, last_months, month_start

HUNDRED = Decimal(100)


def roll_up(kpi, values):
    """One monthly value from the period values [(period, value, volume)] of a month."""
    if len(values) == 1:
        return values[0][1]
    if kpi.aggregation == Aggregation.SUM:
        return sum(value for _, value, _ in values)
    if kpi.aggregation == Aggregation.LAST:
        return max(values, key=lambda item: item[0])[1]
    if kpi.aggregation == Aggregation.WEIGHTED:
        volume = sum(v or 0 for _, _, v in values)
        if volume:
            return (sum(value * (v or 0) for _, value, v in values) / volume).quantize(Decimal("0.0001"))
    return (sum(value for _, value, _ in values) / len(values)).quantize(Decimal("0.0001"))


def monthly_values(measurements, kpis):
    """{(vendor_id, kpi_id, month): value} from (vendor_id, kpi_id, period, value, volume) rows."""
    grouped = defaultdict(list)
    for vendor_id, kpi_id, period, value, volume in measurements:
        grouped[(vendor_id, kpi_id, month_start(period))].append((period, value, volume))
    return {key: roll_up(kpis[key[1]], values) for key, values in grouped.items() if key[1] in kpis}


def _measurements(vendor_filter, first, last):
    """Rows of every measurement from month `first` to month `last`, both included: one query."""
    return Measurement.objects.filter(
        vendor_filter, period__gte=first, period__lt=add_months(last, 1)
    ).values_list("vendor_id", "kpi_id", "period", "value", "volume")


# Frozen, so the figures are worked out once each however often a page shows them (cached_property
# writes to the instance's __dict__, which a frozen dataclass allows).
@dataclass(frozen=True)
class ScorecardRow:
    target: SLATarget
    actual: Decimal | None
    previous: Decimal | None

    @property
    def kpi(self):
        return self.target.kpi

    @cached_property
    def status(self) -> Status | None:
        return self.target.judge(self.actual) if self.actual is not None else None

    @property
    def variance(self):
        return self.target.variance(self.actual) if self.actual is not None else None

    @property
    def credit(self) -> Decimal:
        """This KPI's service credit before the SLA's cap."""
        if self.status != Status.BREACHED:
            return Decimal(0)
        return self.target.sla.contract.monthly_fee * self.target.service_credit_percent / HUNDRED

    @property
    def trend(self) -> str:
        """'up' when better than the previous period, 'down' when worse, 'flat' or '' (unknown)."""
        if self.actual is None or self.previous is None:
            return ""
        if self.kpi.is_better(self.actual, self.previous):
            return "up"
        if self.kpi.is_better(self.previous, self.actual):
            return "down"
        return "flat"


@dataclass(frozen=True)
class Scorecard:
    vendor: object
    period: object
    rows: list[ScorecardRow]

    @cached_property
    def measured(self):
        return [row for row in self.rows if row.actual is not None]

    def count(self, status):
        return sum(1 for row in self.measured if row.status == status)

    @cached_property
    def breaches(self):
        return self.count(Status.BREACHED)

    @cached_property
    def warnings(self):
        return self.count(Status.WARNING)

    @cached_property
    def score(self) -> Decimal | None:
        """Weighted attainment of the measured KPIs, 0–100."""
        measured = self.measured
        total_weight = sum((row.target.weight for row in measured), Decimal(0))
        if not total_weight:
            return None
        achieved = sum(
            (row.target.weight * row.target.attainment(row.actual) for row in measured), Decimal(0)
        )
        return (achieved / total_weight * HUNDRED).quantize(Decimal("0.1"))

    @cached_property
    def adherence(self) -> Decimal | None:
        """KPIs met / KPIs measured, in percent."""
        measured = self.measured
        if not measured:
            return None
        return (Decimal(self.count(Status.MET)) / len(measured) * HUNDRED).quantize(Decimal("0.1"))

    @cached_property
    def service_credits(self) -> Decimal:
        """Per SLA: each breached KPI's credit % of the contract's monthly fee, capped per SLA."""
        per_sla = {}
        for row in self.measured:
            if row.status == Status.BREACHED:
                sla = row.target.sla
                credit, _ = per_sla.get(sla.pk, (Decimal(0), sla))
                per_sla[sla.pk] = (credit + row.credit, sla)
        total = Decimal(0)
        for credit, sla in per_sla.values():
            total += min(credit, sla.contract.monthly_fee * sla.service_credit_cap_percent / HUNDRED)
        return total.quantize(Decimal("0.01"))

    @property
    def currency(self):
        return self.rows[0].target.sla.contract.currency if self.rows else ""

    def row_per_kpi(self, kpis):
        """One row per KPI, in the order given, None where no target is in force. A vendor may have
        several SLAs with the same KPI: the first one's row stands for it."""
        by_kpi = {}
        for row in self.rows:
            by_kpi.setdefault(row.kpi.pk, row)
        return [by_kpi.get(kpi.pk) for kpi in kpis]


def _targets_in_force(period):
    return SLATarget.objects.in_force_on(period).order_by("sla__vendor__name", "kpi__name", "sla_id")


def _cards(targets, values, vendors, period):
    previous = add_months(period, -1)
    rows = defaultdict(list)
    for target in targets:
        key = (target.sla.vendor_id, target.kpi_id)
        rows[target.sla.vendor_id].append(
            ScorecardRow(target, values.get((*key, period)), values.get((*key, previous)))
        )
    return [Scorecard(vendor=vendor, period=period, rows=rows[vendor.pk]) for vendor in vendors]


def _scorecards(vendors, period, targets) -> list[Scorecard]:
    vendor_ids = [vendor.pk for vendor in vendors]
    targets = list(targets.filter(sla__vendor_id__in=vendor_ids))
    kpis = {target.kpi_id: target.kpi for target in targets}
    values = monthly_values(_measurements(Q(vendor_id__in=vendor_ids), add_months(period, -1), period), kpis)
    return _cards(targets, values, vendors, period)


def vendor_scorecards(vendors, period) -> list[Scorecard]:
    """The scorecards of a page of vendors for one period, in the order given: five queries.

    Prefetched, not joined: a dozen KPIs and one SLA per vendor are shared by hundreds of targets, so
    each is built once instead of once per target.
    """
    return _scorecards(vendors, period, _targets_in_force(period).prefetch_related("kpi", "sla__contract"))


def vendor_scorecard(vendor, period) -> Scorecard:
    """The scorecard of one vendor for one monthly period: two queries, whatever the data size."""
    targets = _targets_in_force(period).select_related("kpi", "sla__contract")
    return _scorecards([vendor], period, targets)[0]


@dataclass(frozen=True)
class TrendPoint:
    period: object
    actual: Decimal | None
    target: SLATarget | None

    @property
    def status(self):
        if self.actual is None or self.target is None:
            return None
        return self.target.judge(self.actual)


def vendor_trends(vendor, end, months=12) -> list[tuple]:
    """[(kpi, [TrendPoint per month, oldest first])] for the KPIs in the vendor's SLAs: two queries.

    Each month is judged against the target version that held then, so a changed target shows as a step.
    """
    periods = last_months(end, months)
    first = periods[0]
    targets = list(
        SLATarget.objects.filter(sla__vendor=vendor, effective_from__lte=end)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=first))
        .select_related("kpi")
        .order_by("kpi__name", "effective_from")
    )
    kpis = {target.kpi_id: target.kpi for target in targets}
    values = monthly_values(_measurements(Q(vendor=vendor), first, end), kpis)
    versions = defaultdict(list)
    for target in targets:
        versions[target.kpi_id].append(target)
    trends = []
    for kpi_id, kpi_targets in versions.items():
        points = []
        for period in periods:
            in_force = next(
                (
                    t
                    for t in reversed(kpi_targets)
                    if t.effective_from <= period and (t.effective_to is None or t.effective_to > period)
                ),
                None,
            )
            points.append(TrendPoint(period, values.get((vendor.pk, kpi_id, period)), in_force))
        trends.append((kpis[kpi_id], points))
    return trends


def can_submit(user, vendor) -> bool:
    """Internal people may enter any vendor's values; vendor staff only their own, and only when an SLA
    of their vendor lets them (`vendor_may_submit`)."""
    if is_internal(user):
        return True
    if staff_vendor_id(user) != vendor.pk:
        return False
    return SLA.objects.filter(vendor=vendor, vendor_may_submit=True).exists()


def can_submit_any(user) -> bool:
    """May this user send values for at least one vendor (the import page)?"""
    if is_internal(user):
        return True
    vendor_id = staff_vendor_id(user)
    return vendor_id is not None and SLA.objects.filter(vendor_id=vendor_id, vendor_may_submit=True).exists()


def default_period(today):
    """The last complete month: what a scorecard opens on."""
    return add_months(month_start(today), -1)

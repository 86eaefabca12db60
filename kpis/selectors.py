"""Scorecards: how a vendor did against its SLA targets in a period, in a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from kpis.models import Measurement, SLATarget, Status
from kpis.periods import add_months

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ScorecardRow:
    target: SLATarget
    measurement: Measurement | None
    previous: Measurement | None

    @property
    def kpi(self):
        return self.target.kpi

    @property
    def actual(self):
        return self.measurement.value if self.measurement else None

    @property
    def status(self) -> Status | None:
        return self.target.judge(self.actual) if self.measurement else None

    @property
    def variance(self):
        return self.target.variance(self.actual) if self.measurement else None

    @property
    def trend(self) -> str:
        """'up' when better than the previous period, 'down' when worse, 'flat' or '' (unknown)."""
        if not (self.measurement and self.previous):
            return ""
        if self.kpi.is_better(self.actual, self.previous.value):
            return "up"
        if self.kpi.is_better(self.previous.value, self.actual):
            return "down"
        return "flat"


@dataclass(frozen=True)
class Scorecard:
    vendor: object
    period: object
    rows: list[ScorecardRow]

    @property
    def measured(self):
        return [row for row in self.rows if row.measurement]

    @property
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

    @property
    def adherence(self) -> Decimal | None:
        """KPIs met / KPIs measured, in percent."""
        measured = self.measured
        if not measured:
            return None
        met = sum(1 for row in measured if row.status == Status.MET)
        return (Decimal(met) / len(measured) * HUNDRED).quantize(Decimal("0.1"))

    @property
    def service_credits(self) -> Decimal:
        """Per SLA: each breached KPI's credit % of the contract's monthly fee, capped per SLA."""
        per_sla = {}
        for row in self.measured:
            if row.status == Status.BREACHED:
                sla = row.target.sla
                fee = sla.contract.monthly_fee
                credit, _ = per_sla.get(sla.pk, (Decimal(0), sla))
                per_sla[sla.pk] = (credit + fee * row.target.service_credit_percent / HUNDRED, sla)
        total = Decimal(0)
        for credit, sla in per_sla.values():
            total += min(credit, sla.contract.monthly_fee * sla.service_credit_cap_percent / HUNDRED)
        return total.quantize(Decimal("0.01"))


def vendor_scorecard(vendor, period) -> Scorecard:
    """The scorecard of one vendor for one monthly period: two queries, whatever the data size."""
    targets = list(
        SLATarget.objects.in_force_on(period)
        .filter(sla__vendor=vendor)
        .select_related("kpi", "sla__contract")
        .order_by("kpi__name")
    )
    previous_period = add_months(period, -1)
    values = {
        (m.kpi_id, m.period): m
        for m in Measurement.objects.filter(vendor=vendor, period__in=[period, previous_period])
    }
    rows = [
        ScorecardRow(
            target, values.get((target.kpi_id, period)), values.get((target.kpi_id, previous_period))
        )
        for target in targets
    ]
    return Scorecard(vendor=vendor, period=period, rows=rows)

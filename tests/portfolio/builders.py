"""Builders for the portfolio tests: a vendor with an SLA, values, tasks, reviews and risks."""

from datetime import date
from decimal import Decimal

from kpis.periods import add_months
from portfolio.facts import gather
from tests.kpis.factories import SLAFactory, SLATargetFactory, kpi, measure

TODAY = date(2026, 11, 20)
PERIOD = date(2026, 10, 1)  # the last complete month on TODAY

# code: (target, warning, breach)
TARGETS = {
    "csat": (85, 82, 78),
    "nps": (30, 25, 15),
    "attrition-rate": (4, 5, 6.5),
    "cost-per-contact": (3.2, 3.4, 3.7),
    "qa-score": (90, 87, 83),
}


def sla_for(vendor, codes=TARGETS, monthly_fee=20000):
    sla = SLAFactory(vendor=vendor, contract__monthly_fee=monthly_fee, contract__start_date=date(2025, 1, 1))
    for code in codes:
        target, warning, breach = (Decimal(str(n)) for n in TARGETS[code])
        SLATargetFactory(
            sla=sla, kpi=kpi(code), target=target, warning_threshold=warning, breach_threshold=breach
        )
    return sla


def on_target(vendor, months=6, codes=TARGETS):
    """Every KPI exactly on target for the last `months` months (QA slightly above, so never falling)."""
    for offset in range(months):
        period = add_months(PERIOD, -offset)
        for code in codes:
            volume = 5000 if code == "cost-per-contact" else None
            measure(vendor, code, period, TARGETS[code][0], volume=volume)


def facts_of(vendor, today=TODAY):
    return gather([vendor], today)[vendor.pk]

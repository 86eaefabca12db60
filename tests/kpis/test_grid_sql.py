"""The grid's SQL (kpis/grid.py) gives every vendor the figures its scorecard gives in Python: roll-ups of
weekly values by each aggregation, judging in both directions, the target version in force, weights,
capped service credits, and rounding a tie to the even digit as Decimal does."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from kpis.grid import figures_sql
from kpis.models import KPI, Aggregation, Direction, Frequency, Unit
from kpis.selectors import vendor_scorecard
from kpis.services import change_target
from tests.factories import VendorFactory
from tests.kpis.factories import SLAFactory, SLATargetFactory, kpi, measure
from vendors.models import Vendor

pytestmark = pytest.mark.django_db
OCT = date(2025, 10, 1)
EACH_VENDOR = "SELECT vendor_id, breaches, score, adherence, credits, kpi_value FROM figures"


def sql_figures(vendors, sort_kpi=None):
    """{vendor name: (breaches, score, adherence, credits, value of sort_kpi)} as the grid's SQL sees them."""
    sql, params = figures_sql(vendors, OCT, sort_kpi=sort_kpi)
    names = dict(vendors.values_list("pk", "name"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"{sql} SELECT vendor_id, breaches, score, adherence, credits, kpi_value FROM figures", params
        )
        return {names[vendor_id]: tuple(rest) for vendor_id, *rest in cursor.fetchall()}


def python_figures(vendor, sort_kpi=None):
    card = vendor_scorecard(vendor, OCT)
    row = card.row_per_kpi([sort_kpi])[0] if sort_kpi else None
    return (card.breaches, card.score, card.adherence, card.service_credits, row.actual if row else None)


def higher_target(sla, code, target, **fields):
    return SLATargetFactory(
        sla=sla, kpi=kpi(code), target=target, warning_threshold=target, breach_threshold=target, **fields
    )


def test_ties_round_to_the_even_digit_like_decimal():
    # Score (3 × 1 + 1 × 0.73) / 4 = 93.25 → 93.2; a half-up round would say 93.3.
    sla = SLAFactory(vendor=VendorFactory(name="Score tie"))
    higher_target(sla, "fcr", 70, weight=3)
    higher_target(sla, "csat", 100, weight=1)
    measure(sla.vendor, "fcr", OCT, 80)
    measure(sla.vendor, "csat", OCT, 73)
    # Adherence 1 met of 16 = 6.25% → 6.2: two SLAs of eight KPIs, only FCR (in the first) on target.
    vendor = VendorFactory(name="Adherence tie")
    codes = ["fcr", "csat", "nps", "qa-score", "service-level", "schedule-adherence", "sla-adherence", "aht"]
    for sla_codes in (codes, [*codes[1:], "cost-per-contact"]):
        sla = SLAFactory(vendor=vendor)
        for code in sla_codes:
            SLATargetFactory(sla=sla, kpi=kpi(code), target=50, warning_threshold=50, breach_threshold=50)
    for code in [*codes, "cost-per-contact"]:
        lower_is_better = kpi(code).direction == Direction.LOWER_IS_BETTER
        measure(vendor, code, OCT, 60 if lower_is_better or code == "fcr" else 10)
    # Credits 2.50 × 1% = 0.025 → 0.02.
    sla = SLAFactory(vendor=VendorFactory(name="Credit tie"), contract__monthly_fee=Decimal("2.50"))
    higher_target(sla, "csat", 85, service_credit_percent=1)
    measure(sla.vendor, "csat", OCT, 50)
    # A month's average of 80.0000 and 80.0001 is 80.00005 → 80.0000, just worse than 80.0001.
    sla = SLAFactory(vendor=VendorFactory(name="Roll-up tie"))
    higher_target(sla, "qa-score", Decimal("80.0001"), frequency=Frequency.WEEKLY)
    measure(sla.vendor, "qa-score", date(2025, 10, 6), "80.0000")
    measure(sla.vendor, "qa-score", date(2025, 10, 13), "80.0001")

    figures = sql_figures(Vendor.objects.all(), sort_kpi=kpi("qa-score"))

    assert figures["Score tie"][1] == Decimal("93.2")
    assert figures["Adherence tie"][2] == Decimal("6.2")
    assert figures["Credit tie"][3] == Decimal("0.02")
    assert figures["Roll-up tie"][0] == 1 and figures["Roll-up tie"][4] == Decimal("80.0000")
    for vendor in Vendor.objects.all():
        assert figures[vendor.name] == python_figures(vendor, kpi("qa-score")), vendor.name


def varied_portfolio(rng, vendors):
    """Vendors with random targets, weights, credits, caps and values: monthly, weekly or missing,
    with or without volumes; some with a second SLA on the same KPI, some with a changed target."""
    summed = KPI.objects.create(
        code="escalations",
        name="Escalations",
        unit=Unit.COUNT,
        direction=Direction.LOWER_IS_BETTER,
        aggregation=Aggregation.SUM,
    )
    kpis = [summed, *(kpi(code) for code in ("csat", "aht", "nps", "attrition-rate", "qa-score", "fcr"))]
    for number in range(vendors):
        vendor = VendorFactory(name=f"Vendor {number:02d}")
        for _ in range(rng.choice([1, 1, 2])):
            sla = SLAFactory(
                vendor=vendor,
                contract__monthly_fee=rng.choice([Decimal(0), Decimal("12345.67"), Decimal(20000)]),
                service_credit_cap_percent=rng.choice([0, 3, 10, 100]),
            )
            for measured in rng.sample(kpis, rng.randint(0, 4)):
                versioned_target(rng, sla, measured)
        for measured in kpis:
            measure_month(rng, vendor, measured)


def versioned_target(rng, sla, measured):
    higher = measured.direction == Direction.HIGHER_IS_BETTER
    target = Decimal(rng.choice([0, 40, 85, 300]))
    step = Decimal(rng.choice([0, 3, 10]))
    warning, breach = (target - step, target - 2 * step) if higher else (target + step, target + 2 * step)
    version = SLATargetFactory(
        sla=sla,
        kpi=measured,
        target=target,
        warning_threshold=warning,
        breach_threshold=breach,
        weight=rng.choice([Decimal("0.5"), 1, 3]),
        service_credit_percent=rng.choice([0, Decimal("1.5"), 2, 5]),
        effective_from=date(2025, 1, 1),
    )
    if rng.random() < 0.3:  # a new version, from October or (not yet in force) from November
        change_target(
            current=version,
            effective_from=rng.choice([OCT, date(2025, 11, 1)]),
            target=target + (1 if higher else -1),
            warning_threshold=warning,
            breach_threshold=breach,
            weight=Decimal(2),
            frequency="monthly",
            service_credit_percent=Decimal(3),
        )


def measure_month(rng, vendor, measured):
    shape = rng.choice(["none", "monthly", "weekly", "weekly"])
    if shape == "none":
        return
    weeks = 1 if shape == "monthly" else rng.randint(1, 4)
    days = [OCT + timedelta(days=7 * week) for week in range(weeks)]
    volumes = rng.choice([None, [None] * 4, [0] * 4, [rng.randint(0, 900) for _ in range(4)]])
    for index, day in enumerate(days):
        value = Decimal(rng.randint(-200, 4000)) / rng.choice([1, 10, 10000])
        measure(vendor, measured.code, day, value, volume=volumes[index] if volumes else None)


def test_sql_and_python_agree_on_a_varied_portfolio():
    varied_portfolio(random.Random(11), vendors=40)
    VendorFactory(name="No SLA")

    for sort_kpi in (None, kpi("csat"), kpi("attrition-rate"), KPI.objects.get(code="escalations")):
        figures = sql_figures(Vendor.objects.all(), sort_kpi)
        assert figures == {vendor.name: python_figures(vendor, sort_kpi) for vendor in Vendor.objects.all()}

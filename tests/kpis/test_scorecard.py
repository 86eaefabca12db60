"""Judging, weighted score, SLA adherence, service credits and trends of a vendor's scorecard."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kpis.models import Status
from kpis.selectors import vendor_scorecard, vendor_trends
from kpis.services import change_target
from tests.kpis.factories import SLAFactory, SLATargetFactory, kpi, measure

OCT, SEP = date(2025, 10, 1), date(2025, 9, 1)
pytestmark = pytest.mark.django_db


def aht_target(sla, **numbers):
    values = {"target": 300, "warning_threshold": 320, "breach_threshold": 345, **numbers}
    return SLATargetFactory(sla=sla, kpi=kpi("aht"), **values)


@pytest.mark.parametrize(
    ("value", "status"),
    [
        (90, Status.MET),
        (85, Status.MET),
        (82, Status.MET),
        (80, Status.WARNING),
        (78, Status.WARNING),
        (77.9, Status.BREACHED),
    ],
)
def test_higher_is_better_kpi_is_judged_against_its_thresholds(value, status):
    target = SLATargetFactory(kpi=kpi("csat"), target=85, warning_threshold=82, breach_threshold=78)
    assert target.judge(Decimal(str(value))) == status


@pytest.mark.parametrize(
    ("value", "status"), [(280, Status.MET), (320, Status.MET), (330, Status.WARNING), (346, Status.BREACHED)]
)
def test_lower_is_better_kpi_is_judged_the_other_way_round(value, status):
    target = aht_target(SLAFactory())
    assert target.judge(Decimal(value)) == status


def test_variance_is_positive_when_the_news_is_good_whatever_the_direction():
    sla = SLAFactory()
    assert aht_target(sla).variance(Decimal(280)) == Decimal(20)
    assert SLATargetFactory(sla=sla, kpi=kpi("csat")).variance(Decimal(80)) == Decimal(-5)


def test_thresholds_must_follow_the_kpi_direction():
    with pytest.raises(ValidationError) as error:
        SLATargetFactory.build(
            sla=SLAFactory(), kpi=kpi("aht"), target=300, warning_threshold=280, breach_threshold=345
        ).full_clean()
    assert "warning threshold cannot be better than the target" in str(error.value)
    with pytest.raises(ValidationError) as error:
        SLATargetFactory.build(
            sla=SLAFactory(), kpi=kpi("csat"), target=85, warning_threshold=80, breach_threshold=82
        ).full_clean()
    assert "breach threshold cannot be better than the warning threshold" in str(error.value)


def test_a_measurement_is_judged_by_the_target_in_force_in_its_period():
    sla = SLAFactory()
    old = SLATargetFactory(
        sla=sla,
        kpi=kpi("csat"),
        target=80,
        warning_threshold=78,
        breach_threshold=75,
        effective_from=date(2025, 1, 1),
    )
    change_target(
        current=old,
        effective_from=OCT,
        target=Decimal(90),
        warning_threshold=Decimal(88),
        breach_threshold=Decimal(85),
        weight=Decimal(1),
        frequency="monthly",
        service_credit_percent=Decimal(2),
    )
    measure(sla.vendor, "csat", SEP, 84)
    measure(sla.vendor, "csat", OCT, 84)

    september = vendor_scorecard(sla.vendor, SEP).rows[0]
    october = vendor_scorecard(sla.vendor, OCT).rows[0]

    assert (september.target.target, september.status) == (Decimal(80), Status.MET)
    assert (october.target.target, october.status) == (Decimal(90), Status.BREACHED)
    old.refresh_from_db()
    assert old.effective_to == OCT  # the old version is closed, not rewritten
    assert old.target == Decimal(80)


def test_a_new_version_must_start_after_the_current_one():
    target = SLATargetFactory(effective_from=OCT)
    with pytest.raises(ValidationError):
        change_target(
            current=target,
            effective_from=SEP,
            target=Decimal(90),
            warning_threshold=Decimal(88),
            breach_threshold=Decimal(85),
            weight=Decimal(1),
            frequency="monthly",
            service_credit_percent=Decimal(2),
        )


def test_weighted_score_adherence_and_trend():
    sla = SLAFactory()
    SLATargetFactory(sla=sla, kpi=kpi("csat"), weight=3)  # target 85
    aht_target(sla, weight=1)  # target 300
    measure(sla.vendor, "csat", OCT, 85)  # attainment 1
    measure(sla.vendor, "aht", OCT, 400)  # attainment 300/400 = 0.75, breached
    measure(sla.vendor, "csat", SEP, 80)
    measure(sla.vendor, "aht", SEP, 380)

    card = vendor_scorecard(sla.vendor, OCT)

    assert card.score == Decimal("93.8")  # (3 × 1 + 1 × 0.75) / 4
    assert card.adherence == Decimal("50.0")
    trends = {row.kpi.code: row.trend for row in card.rows}
    assert trends == {"csat": "up", "aht": "down"}  # AHT went from 380 to 400 seconds: worse


def test_service_credits_per_breach_are_capped_per_sla():
    sla = SLAFactory(contract__monthly_fee=20000, service_credit_cap_percent=5)
    for code in ("csat", "fcr", "qa-score"):
        SLATargetFactory(sla=sla, kpi=kpi(code), service_credit_percent=2)
        measure(sla.vendor, code, OCT, 50)  # all three breached: 3 × 2% = 6%, capped at 5%

    card = vendor_scorecard(sla.vendor, OCT)

    assert [row.credit for row in card.rows] == [Decimal(400)] * 3
    assert card.service_credits == Decimal("1000.00")


def test_weekly_values_roll_up_into_the_month_with_the_kpi_aggregation():
    sla = SLAFactory()
    SLATargetFactory(sla=sla, kpi=kpi("csat"), frequency="weekly")  # weighted by volume
    measure(sla.vendor, "csat", date(2025, 10, 6), 80, volume=100)
    measure(sla.vendor, "csat", date(2025, 10, 13), 90, volume=300)

    assert vendor_scorecard(sla.vendor, OCT).rows[0].actual == Decimal("87.5")


def test_trend_shows_twelve_months_each_against_its_target():
    sla = SLAFactory()
    old = SLATargetFactory(sla=sla, kpi=kpi("csat"), target=80, warning_threshold=78, breach_threshold=75)
    change_target(
        current=old,
        effective_from=date(2025, 6, 1),
        target=Decimal(90),
        warning_threshold=Decimal(88),
        breach_threshold=Decimal(85),
        weight=Decimal(1),
        frequency="monthly",
        service_credit_percent=Decimal(2),
    )
    measure(sla.vendor, "csat", date(2025, 5, 1), 84)

    [(trend_kpi, points)] = vendor_trends(sla.vendor, OCT, 12)

    assert trend_kpi.code == "csat"
    assert [p.period for p in points][0] == date(2024, 11, 1) and len(points) == 12
    by_month = {p.period: p for p in points}
    assert by_month[date(2025, 5, 1)].target.target == Decimal(80)
    assert by_month[date(2025, 5, 1)].status == Status.MET
    assert by_month[date(2025, 6, 1)].target.target == Decimal(90)
    assert by_month[date(2025, 6, 1)].actual is None

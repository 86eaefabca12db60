"""Each red-flag rule fires on the data it is about and stays quiet otherwise."""

from datetime import date, timedelta

import pytest

from kpis.models import Measurement
from portfolio.flags import red_flags
from reviews.models import ActionItemStatus, ReviewStatus, RiskStatus
from tests.factories import OnboardingPlanFactory, OnboardingTaskFactory, VendorFactory
from tests.kpis.factories import kpi, measure
from tests.portfolio.builders import PERIOD, TODAY, facts_of, on_target, sla_for
from tests.reviews.factories import ActionItemFactory, ReviewFactory, RiskFactory
from vendors.models import TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def vendor(manager):
    """A vendor on every target, with last month's review signed: no flag at all."""
    vendor = VendorFactory(name="Steady Support", owner=manager)
    sla_for(vendor)
    on_target(vendor)
    ReviewFactory(
        vendor=vendor, period_start=PERIOD, period_end=date(2026, 10, 31), status=ReviewStatus.SIGNED_OFF
    )
    return vendor


def codes(vendor, today=TODAY):
    return [flag.code for flag in red_flags(facts_of(vendor, today))]


def flag(vendor, code):
    return next(f for f in red_flags(facts_of(vendor)) if f.code == code)


def set_value(vendor, code, value, period=PERIOD, volume=None):
    Measurement.objects.filter(vendor=vendor, kpi=kpi(code), period=period).delete()
    measure(vendor, code, period, value, volume=volume)


def test_a_vendor_on_target_has_no_flag(vendor):
    assert codes(vendor) == []


def test_sla_breach_fires_on_a_breached_kpi_with_a_link_to_the_scorecard(vendor):
    set_value(vendor, "csat", 75)
    breach = flag(vendor, "sla_breach")
    assert breach.severity == "red"
    assert "Customer satisfaction (CSAT) 75.0%" in breach.explanation
    assert breach.links == [{"label": "Scorecard", "url": f"/kpis/vendors/{vendor.slug}/?period=2026-10"}]


def test_sla_breach_does_not_fire_on_a_warning(vendor):
    set_value(vendor, "csat", 80)
    assert "sla_breach" not in codes(vendor)


def test_critical_risk_fires_from_the_threshold_on_live_risks_only(vendor, manager):
    RiskFactory(vendor=vendor, owner=manager, likelihood=3, impact=4)
    RiskFactory(vendor=vendor, owner=manager, likelihood=5, impact=5, status=RiskStatus.CLOSED)
    assert "critical_risk" not in codes(vendor)
    risk = RiskFactory(vendor=vendor, owner=manager, likelihood=5, impact=3, title="Site outage")
    found = flag(vendor, "critical_risk")
    assert "“Site outage” scores 15" in found.explanation
    assert found.links[0]["url"] == f"/reviews/risks/{risk.pk}/"


def test_lack_of_transparency_fires_when_a_kpi_has_no_value_for_last_month(vendor):
    Measurement.objects.filter(vendor=vendor, kpi=kpi("nps"), period=PERIOD).delete()
    found = flag(vendor, "lack_of_transparency")
    assert "1 of the 4 KPIs" in found.explanation
    assert "Net promoter score" in found.explanation
    assert found.links[0]["url"] == f"/kpis/vendors/{vendor.slug}/values/?period=2026-10"


def test_lack_of_transparency_ignores_the_qa_score_which_comes_from_our_audits(vendor):
    Measurement.objects.filter(vendor=vendor, kpi=kpi("qa-score"), period=PERIOD).delete()
    assert "lack_of_transparency" not in codes(vendor)


@pytest.mark.parametrize(
    ("values", "fires"),
    [((95, 93, 91, 89.5), True), ((95, 93, 94, 89.5), False), ((95, 95, 93, 91), False)],
)
def test_falling_quality_needs_the_qa_score_down_three_months_in_a_row(vendor, values, fires):
    for offset, value in enumerate(reversed(values)):
        set_value(vendor, "qa-score", value, period=date(2026, 10 - offset, 1))
    assert ("falling_quality" in codes(vendor)) is fires


def test_falling_quality_explains_the_steps_and_links_the_trend(vendor):
    for offset, value in enumerate((89.5, 91, 93, 95)):
        set_value(vendor, "qa-score", value, period=date(2026, 10 - offset, 1))
    found = flag(vendor, "falling_quality")
    assert "95.0 → 93.0 → 91.0 → 89.5" in found.explanation
    assert found.links[0]["url"].endswith("#kpi-qa-score")


def test_missed_deadlines_fires_on_an_open_task_past_its_due_date(vendor, manager):
    plan = OnboardingPlanFactory(vendor=vendor, created_by=manager, go_live=TODAY)
    OnboardingTaskFactory(plan=plan, due_date=TODAY - timedelta(days=5))
    found = flag(vendor, "missed_deadlines")
    assert found.explanation.startswith("1 onboarding task overdue, the oldest 5 days late.")
    assert found.links[0]["url"] == f"/vendors/{vendor.slug}/#onboarding"


def test_missed_deadlines_ignores_done_and_future_tasks(vendor, manager):
    plan = OnboardingPlanFactory(vendor=vendor, created_by=manager, go_live=TODAY)
    OnboardingTaskFactory(
        plan=plan,
        due_date=TODAY - timedelta(days=5),
        status=TaskStatus.DONE,
        completed_at="2026-11-01T10:00Z",
        completed_by=manager,
    )
    OnboardingTaskFactory(plan=plan, due_date=TODAY + timedelta(days=5))
    assert "missed_deadlines" not in codes(vendor)


def test_missed_deadlines_counts_overdue_action_items_and_links_the_reviews(vendor):
    review = ReviewFactory(vendor=vendor, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    ActionItemFactory(review=review, due_date=TODAY - timedelta(days=2))
    ActionItemFactory(review=review, due_date=TODAY - timedelta(days=9), status=ActionItemStatus.DONE)
    found = flag(vendor, "missed_deadlines")
    assert found.explanation.startswith("1 action item overdue, the oldest 2 days late.")
    assert found.links[0]["url"] == f"/reviews/?vendor={vendor.pk}"


@pytest.mark.parametrize(
    ("code", "value", "fires"), [("csat", 84, True), ("nps", 28, True), ("csat", 85, False)]
)
def test_poor_customer_feedback_is_csat_or_nps_below_target(vendor, code, value, fires):
    set_value(vendor, code, value)
    assert ("poor_feedback" in codes(vendor)) is fires


@pytest.mark.parametrize(("value", "fires"), [(4.5, True), (4, False), (3, False)])
def test_high_turnover_is_attrition_above_target(vendor, value, fires):
    set_value(vendor, "attrition-rate", value)
    assert ("high_turnover" in codes(vendor)) is fires


def test_cost_overrun_fires_on_cost_per_contact_above_target(vendor):
    set_value(vendor, "cost-per-contact", 3.3, volume=5000)
    assert "Cost per contact 3.30 against a target of 3.20" in flag(vendor, "cost_overrun").explanation


@pytest.mark.parametrize(("volume", "fires"), [(7000, True), (6500, False)])
def test_cost_overrun_fires_on_spend_above_the_monthly_fee_beyond_the_tolerance(vendor, volume, fires):
    # 3.20 × 7,000 = 22,400 is 12% above the 20,000 fee; 3.20 × 6,500 = 20,800 is within 5%.
    set_value(vendor, "cost-per-contact", 3.2, volume=volume)
    assert ("cost_overrun" in codes(vendor)) is fires
    if fires:
        assert "is 12% above the contracts' monthly fee" in flag(vendor, "cost_overrun").explanation


def test_inconsistent_performance_fires_when_a_kpi_swings_and_links_its_trend(vendor):
    for offset, value in enumerate((10, 45, 12, 50, 15, 48)):
        set_value(vendor, "nps", value, period=date(2026, 10 - offset, 1))
    found = flag(vendor, "inconsistent_performance")
    assert "Net promoter score swung from 10.0 to 50.0" in found.explanation
    assert found.links[0]["url"].endswith("#kpi-nps")


def test_inconsistent_performance_stays_quiet_on_small_variation(vendor):
    for offset, value in enumerate((84, 86, 85, 87, 85, 86)):
        set_value(vendor, "csat", value, period=date(2026, 10 - offset, 1))
    assert "inconsistent_performance" not in codes(vendor)


def test_communication_breakdown_fires_when_last_months_review_was_not_held(vendor):
    vendor.reviews.all().delete()
    found = flag(vendor, "communication_breakdown")
    assert found.explanation.startswith("No review was held for October 2026")


@pytest.mark.parametrize("status", [ReviewStatus.DRAFT, ReviewStatus.AWAITING_VENDOR])
def test_communication_breakdown_fires_when_the_review_is_not_signed_off(vendor, status):
    review = vendor.reviews.get()
    vendor.reviews.update(status=status)
    found = flag(vendor, "communication_breakdown")
    assert found.links == [{"label": "Review", "url": f"/reviews/{review.pk}/"}]


def test_communication_breakdown_waits_for_the_grace_days_after_the_period(vendor):
    vendor.reviews.all().delete()
    # On 5 November, October's review is not due yet: the rule looks at September, not held either.
    assert "September 2026" in next(f for f in red_flags(facts_of(vendor, date(2026, 11, 5)))).explanation


def test_communication_breakdown_does_not_apply_to_vendors_not_yet_reviewed(vendor):
    vendor.reviews.all().delete()
    vendor.status = "onboarding"
    vendor.save()
    assert "communication_breakdown" not in codes(vendor)

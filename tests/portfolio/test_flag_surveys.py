"""The "falling relationship score" flag: our quarterly rating of the vendor fell 0.5 points or more, or
stands below 3.0; the vendor's rating of us, or a rating from long ago, raises nothing."""

from datetime import date

import pytest

from kpis.periods import add_months
from portfolio.flags import red_flags
from relationship.models import Direction
from relationship.surveys import survey_submit
from tests.portfolio.builders import facts_of
from tests.relationship.factories import SurveyFactory

pytestmark = pytest.mark.django_db
Q2, Q3 = date(2026, 4, 1), date(2026, 7, 1)


def rated(vendor, by, quarter, *scores, direction=Direction.COMPANY_RATES_VENDOR):
    survey = SurveyFactory(
        vendor=vendor,
        quarter=quarter,
        direction=direction,
        opened_on=add_months(quarter, 3),
    )
    names = ("communication", "responsiveness", "clarity", "collaboration")
    survey_submit(survey=survey, by=by, **dict(zip(names, scores, strict=True)))
    return survey


def relationship_flag(vendor, today=date(2026, 11, 20)):
    return next((f for f in red_flags(facts_of(vendor, today)) if f.code == "falling_relationship"), None)


def test_a_fall_of_half_a_point_raises_the_flag_with_both_scores_and_the_results_link(vendor_a, ops):
    rated(vendor_a, ops, Q2, 5, 4, 5, 4)
    rated(vendor_a, ops, Q3, 4, 4, 4, 4)
    found = relationship_flag(vendor_a)
    assert (found.severity, found.penalty, found.title) == ("amber", 10, "Falling relationship score")
    assert "went from 4.50 (Q2 2026) to 4.00 out of 5 (Q3 2026)" in found.explanation
    assert found.links == [
        {"label": "Survey results", "url": f"/relationship/vendors/{vendor_a.slug}/surveys/"}
    ]


def test_a_smaller_fall_raises_nothing(vendor_a, ops):
    rated(vendor_a, ops, Q2, 5, 4, 5, 4)
    rated(vendor_a, ops, Q3, 5, 4, 4, 4)
    assert relationship_flag(vendor_a) is None


def test_a_rating_below_three_is_flagged_even_without_a_previous_one(vendor_a, ops):
    rated(vendor_a, ops, Q3, 3, 2, 3, 3)
    assert (
        "We rated the vendor 2.75 out of 5 for Q3 2026, below 3.0." in relationship_flag(vendor_a).explanation
    )


def test_only_the_latest_two_ratings_count(vendor_a, ops):
    rated(vendor_a, ops, date(2025, 10, 1), 5, 5, 5, 5)
    rated(vendor_a, ops, date(2026, 1, 1), 4, 4, 4, 4)
    rated(vendor_a, ops, Q2, 4, 4, 4, 4)
    assert relationship_flag(vendor_a) is None  # 5.0 → 4.0 → 4.0: steady now


def test_a_rating_no_longer_recent_raises_nothing(vendor_a, ops):
    """While Q3's surveys are answered, Q2's rating stands; a Q1 rating says little about November."""
    rated(vendor_a, ops, date(2026, 1, 1), 2, 2, 2, 2)
    assert relationship_flag(vendor_a, today=date(2026, 7, 10)) is not None
    assert relationship_flag(vendor_a, today=date(2026, 11, 20)) is None


def test_the_vendors_rating_of_us_and_unanswered_surveys_raise_nothing(vendor_a, staff_a, ops):
    rated(vendor_a, staff_a, Q2, 5, 5, 5, 5, direction=Direction.VENDOR_RATES_COMPANY)
    rated(vendor_a, staff_a, Q3, 1, 1, 1, 1, direction=Direction.VENDOR_RATES_COMPANY)
    SurveyFactory(vendor=vendor_a, quarter=Q3)
    assert relationship_flag(vendor_a) is None

"""Access rules for the surveys URLs (see tests/test_access_matrix.py for the world they run in).

The world holds both surveys of vendor A for Q3 2026, unanswered. The detail rule opens our rating of
vendor A: internal users read it, and it does not exist for any vendor's staff (404), not even A's.
"""

from relationship.models import Direction
from tests.access import ANY_ROLE, INTERNAL_ONLY, Rule
from tests.relationship.factories import SurveyFactory


def setup(world):
    world.company_survey = SurveyFactory(vendor=world.vendor_a, direction=Direction.COMPANY_RATES_VENDOR)
    world.vendor_survey = SurveyFactory(vendor=world.vendor_a, direction=Direction.VENDOR_RATES_COMPANY)


RULES: dict[str, Rule] = {
    "relationship:survey_list": Rule(ANY_ROLE),
    "relationship:survey_detail": Rule(
        {**INTERNAL_ONLY, "staff_a": 404, "staff_b": 404},
        kwargs=lambda world: {"pk": world.company_survey.pk},
    ),
    "relationship:survey_results": Rule(INTERNAL_ONLY, kwargs=lambda world: {"slug": world.vendor_a.slug}),
}

"""Who may open each sourcing URL. The world has one selection being evaluated, with vendor A and vendor B
as candidates; the manager owns it, the manager and QA evaluate. Staff of B must get 404 on A's records.

Each area (selections, scoring, due diligence, award) lists its rules in its own module below.
"""

from sourcing.models import SelectionStatus
from tests.sourcing import rules_award, rules_diligence, rules_scoring, rules_selections
from tests.sourcing.factories import CandidateFactory, SelectionFactory

AREAS = (rules_selections, rules_scoring, rules_diligence, rules_award)


def setup(world):
    world.selection = SelectionFactory(
        owner=world.manager, status=SelectionStatus.EVALUATING, evaluators=[world.manager, world.qa]
    )
    world.candidate_a = CandidateFactory(selection=world.selection, vendor=world.vendor_a)
    world.candidate_b = CandidateFactory(selection=world.selection, vendor=world.vendor_b)
    for area in AREAS:
        area.setup(world)


RULES = {name: rule for area in AREAS for name, rule in area.RULES.items()}

"""Access rules for the scoring URLs (see access_rules.py for the world they run in).

The world's selection is being evaluated by the manager and QA, and neither has submitted a sheet. So both
open their own sheet; submitting an empty sheet is refused with a message and a redirect back to it; the
comparison page tells both to submit their own scores first (200, no scores), and every export is a 403
for them, as for everyone else, until they submit. The project manager, not on the team, oversees the
selection as its manager does and sees the comparison; the operations specialist sees none of it.
"""

from tests.access import INTERNAL_ONLY, Rule

BLIND = {**INTERNAL_ONLY, "manager": 403, "qa": 403, "ops": 403}
# Only the team scores: the operations specialist and the project manager are not on it.
EVALUATORS = {**INTERNAL_ONLY, "ops": 403, "pm": 403}


def setup(world):
    pass


def selection(world):
    return {"pk": world.selection.pk}


RULES: dict[str, Rule] = {
    "sourcing:score_sheet": Rule(EVALUATORS, kwargs=selection),
    "sourcing:score_submit": Rule({**EVALUATORS, "manager": 302, "qa": 302}, kwargs=selection, method="post"),
    "sourcing:compare": Rule({**INTERNAL_ONLY, "ops": 403}, kwargs=selection),
    "sourcing:compare_csv": Rule(BLIND, kwargs=selection),
    "sourcing:compare_xlsx": Rule(BLIND, kwargs=selection),
    "sourcing:compare_pdf": Rule(BLIND, kwargs=selection),
}

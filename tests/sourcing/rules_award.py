"""Access rules for the award URLs (see access_rules.py for the world they run in).

Only a manager or project manager awards; every internal user reads the decision record. Candidates'
staff never see either: the selection, its scores and the other candidates are not theirs (403: a role
that may never see the page).
"""

from tests.access import INTERNAL_ONLY, PROJECT_LEADS, Rule


def setup(world):
    pass


def _selection(world):
    return {"pk": world.selection.pk}


RULES: dict[str, Rule] = {
    "sourcing:award": Rule(PROJECT_LEADS, _selection),
    "sourcing:decision": Rule(INTERNAL_ONLY, _selection),
}

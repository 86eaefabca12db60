"""Access rules for the award URLs (see access_rules.py for the world they run in).

Only the BPO manager awards (it drafts the contract at the quoted fees); every internal user reads the
decision record. Candidates' staff never see either: the selection, its scores and the other candidates
are not theirs (403: a role that may never see the page).
"""

from tests.access import INTERNAL_ONLY, MANAGER_ONLY, Rule


def setup(world):
    pass


def _selection(world):
    return {"pk": world.selection.pk}


RULES: dict[str, Rule] = {
    "sourcing:award": Rule(MANAGER_ONLY, _selection),
    "sourcing:decision": Rule(INTERNAL_ONLY, _selection),
}

"""Access rules for the pricing URLs (see access_rules.py for the world they run in): pricing is the
manager's alone; QA sees no money, vendor staff no price terms."""

from tests.access import MANAGER_ONLY, Rule


def setup(world):
    pass


RULES: dict[str, Rule] = {
    "costs:pricing": Rule(MANAGER_ONLY, kwargs=lambda w: {"pk": w.cost_contract_a.pk}),
    "costs:rates": Rule(MANAGER_ONLY),
}

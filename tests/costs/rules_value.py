"""Access rules for the value URLs (see access_rules.py for the world they run in).

Baselines and a vendor's value are the manager's: QA sees no money, vendor staff never see them (403,
their own vendor's page included).
"""

from tests.access import MANAGER_ONLY, Rule


def setup(world):
    pass


RULES: dict[str, Rule] = {
    "costs:baselines": Rule(MANAGER_ONLY),
    "costs:value": Rule(MANAGER_ONLY, kwargs=lambda world: {"slug": world.vendor_a.slug}),
}

"""Access rules for the value URLs (see access_rules.py for the world they run in)."""

from tests.access import Rule


def setup(world):
    pass


RULES: dict[str, Rule] = {}

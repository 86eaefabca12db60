"""Access rules for the surveys URLs (see tests/test_access_matrix.py for the world they run in)."""

from tests.access import Rule


def setup(world):
    pass


RULES: dict[str, Rule] = {}

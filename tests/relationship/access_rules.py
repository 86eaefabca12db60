"""Who may open each relationship URL. Each area lists its rules in its own module below."""

from tests.relationship import rules_issues, rules_surveys

AREAS = (rules_issues, rules_surveys)


def setup(world):
    for area in AREAS:
        area.setup(world)


RULES = {name: rule for area in AREAS for name, rule in area.RULES.items()}

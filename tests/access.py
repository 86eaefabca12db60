"""The access matrix's vocabulary: personas, the statuses each expects, and a rule per URL name.

Every app lists a rule for each of its URL names in `tests/<app>/access_rules.py`; the matrix test
fails for any URL without one, so a new view cannot ship without someone deciding who may see it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

PERSONAS = ("anonymous", "outsider", "manager", "qa", "ops", "pm", "staff_a", "staff_b")
INTERNAL_PERSONAS = ("manager", "qa", "ops", "pm")

# Objects in the world belong to vendor A: staff of B must get 404, as if they did not exist.
PUBLIC = dict.fromkeys(PERSONAS, 200)
NOBODY_INSIDE = {"anonymous": 302, "outsider": 403, **dict.fromkeys(INTERNAL_PERSONAS, 403)}
INTERNAL_ONLY = {**NOBODY_INSIDE, **dict.fromkeys(INTERNAL_PERSONAS, 200), "staff_a": 403, "staff_b": 403}
MANAGER_ONLY = {**INTERNAL_ONLY, "qa": 403, "ops": 403, "pm": 403}
QA_ONLY = {**MANAGER_ONLY, "manager": 403, "qa": 200}
# The project manager runs onboarding and selections with the manager; operations runs the day-to-day.
PROJECT_LEADS = {**MANAGER_ONLY, "pm": 200}
OPERATORS = {**MANAGER_ONLY, "ops": 200}
VENDOR_A = {**INTERNAL_ONLY, "staff_a": 200, "staff_b": 404}
ANY_ROLE = {**INTERNAL_ONLY, "staff_a": 200, "staff_b": 200}
STAFF_ONLY = {**NOBODY_INSIDE, "staff_a": 200, "staff_b": 200}
STAFF_OF_A = {**NOBODY_INSIDE, "staff_a": 200, "staff_b": 404}
MANAGER_AND_STAFF_A = {**MANAGER_ONLY, "staff_a": 200, "staff_b": 404}
REDIRECT_ALL = dict.fromkeys(PERSONAS, 302)
SIGNED_IN = {**ANY_ROLE, "outsider": 200}


@dataclass(frozen=True)
class Rule:
    expect: dict
    kwargs: Callable[[SimpleNamespace], dict] = field(default=lambda world: {})
    method: str = "get"
    data: Callable[[SimpleNamespace], dict] = field(default=lambda world: {})
    query: str = ""

    def __post_init__(self):
        assert set(self.expect) == set(PERSONAS), f"a rule must name every persona: {self.expect}"

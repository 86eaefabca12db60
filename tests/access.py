"""The access matrix's vocabulary: personas, the statuses each expects, and a rule per URL name.

Every app lists a rule for each of its URL names in `tests/<app>/access_rules.py`; the matrix test
fails for any URL without one, so a new view cannot ship without someone deciding who may see it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

PERSONAS = ("anonymous", "outsider", "manager", "qa", "staff_a", "staff_b")

# Objects in the world belong to vendor A: staff of B must get 404, as if they did not exist.
PUBLIC = dict.fromkeys(PERSONAS, 200)
INTERNAL_ONLY = {"anonymous": 302, "outsider": 403, "manager": 200, "qa": 200, "staff_a": 403, "staff_b": 403}
MANAGER_ONLY = {**INTERNAL_ONLY, "qa": 403}
QA_ONLY = {**INTERNAL_ONLY, "manager": 403}
VENDOR_A = {"anonymous": 302, "outsider": 403, "manager": 200, "qa": 200, "staff_a": 200, "staff_b": 404}
ANY_ROLE = {"anonymous": 302, "outsider": 403, "manager": 200, "qa": 200, "staff_a": 200, "staff_b": 200}
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

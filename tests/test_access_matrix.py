"""Every URL × every persona gets the status the app's access rules promise.

A URL name with no rule fails `test_every_url_has_an_access_rule`: new views must declare who sees them.
"""

from importlib import import_module
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access import PERSONAS

RULE_MODULES = [
    import_module(f"tests.{path.parent.name}.access_rules")
    for path in sorted(Path(__file__).parent.glob("*/access_rules.py"))
]
RULES = {name: rule for module in RULE_MODULES for name, rule in module.RULES.items()}
# Django's admin: every page checks is_staff itself; one representative rule ("admin:index") covers it.
SELF_GUARDED_NAMESPACES = {"admin"}


def url_names(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def guarded_names():
    return sorted({name for name in url_names() if name.split(":")[0] not in SELF_GUARDED_NAMESPACES})


def test_every_url_has_an_access_rule():
    missing = [name for name in guarded_names() if name not in RULES]
    assert not missing, f"Add an access rule in tests/<app>/access_rules.py for: {missing}"


@pytest.fixture
def world(vendor_a, vendor_b, manager, qa, ops, pm, staff_a, staff_b, outsider):
    world = SimpleNamespace(
        vendor_a=vendor_a,
        vendor_b=vendor_b,
        manager=manager,
        qa=qa,
        ops=ops,
        pm=pm,
        staff_a=staff_a,
        staff_b=staff_b,
        outsider=outsider,
        anonymous=None,
    )
    for module in RULE_MODULES:
        module.setup(world)
    return world


def status_as(client, persona, user, rule, url, world):
    """The status `persona` gets; whatever the request changed is rolled back, so every persona meets
    the same world (a manager's successful POST must not change what the next persona sees)."""
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = getattr(client, rule.method)(url, rule.data(world))
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("name", sorted(RULES))
def test_access(client, world, name):
    # One world per URL, every persona in it: building the world is most of the cost.
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(world)) + rule.query
    got = {
        persona: status_as(client, persona, getattr(world, persona), rule, url, world) for persona in PERSONAS
    }
    assert got == rule.expect, f"{rule.method.upper()} {url}"

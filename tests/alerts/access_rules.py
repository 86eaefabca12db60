"""Alerts are personal: every signed-in role sees only their own; another person's alert is a 404."""

from tests.access import ANY_ROLE, Rule
from tests.alerts.factories import InAppAlertFactory

NOT_MINE = {**ANY_ROLE, "manager": 302, "qa": 404, "staff_a": 404, "staff_b": 404}
REDIRECT_ANY_ROLE = {**ANY_ROLE, "manager": 302, "qa": 302, "staff_a": 302, "staff_b": 302}


def setup(world):
    world.manager_alert = InAppAlertFactory(recipient=world.manager, vendor=world.vendor_a)


RULES = {
    "alerts:list": Rule(ANY_ROLE),
    "alerts:unread_count": Rule(ANY_ROLE),
    "alerts:preferences": Rule(ANY_ROLE),
    "alerts:mark_all_read": Rule(REDIRECT_ANY_ROLE, method="post"),
    # Only the manager owns this alert: for everyone else it does not exist.
    "alerts:mark_read": Rule(NOT_MINE, kwargs=lambda world: {"pk": world.manager_alert.pk}, method="post"),
}

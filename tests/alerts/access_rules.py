"""Alerts are personal: every signed-in role sees only their own; another person's alert is a 404."""

from tests.access import ANY_ROLE, PERSONAS, REDIRECT_ALL, Rule
from tests.alerts.factories import InAppAlertFactory

NOT_MINE = {**dict.fromkeys(PERSONAS, 404), "anonymous": 302, "outsider": 403, "manager": 302}
REDIRECT_ANY_ROLE = {**REDIRECT_ALL, "outsider": 403}


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

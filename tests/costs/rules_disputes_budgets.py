"""Access rules for the disputes and budgets URLs (see access_rules.py for the world they run in).

Vendor A's October invoice carries an open dispute whose first message has a file. QA sees no money:
403 everywhere; staff of A answer in the thread, staff of B get 404; budgets are the manager's alone.
"""

from tests.access import MANAGER_AND_STAFF_A, MANAGER_ONLY, Rule
from tests.costs.disputes_builders import disputed, pdf

# Managers and the invoice vendor's staff; QA sees no money.
DISPUTE_A = MANAGER_AND_STAFF_A
ANY_DISPUTES = {**DISPUTE_A, "staff_b": 200}
REPLY_A = {**DISPUTE_A, "manager": 302, "staff_a": 302}
RESOLVE = {**MANAGER_ONLY, "manager": 302}


def setup(world):
    world.dispute_a = disputed(world.invoice_a, by=world.manager)
    world.dispute_message_a = world.dispute_a.messages.get()
    world.dispute_message_a.attachment = pdf()
    world.dispute_message_a.save()


def _dispute(world):
    return {"pk": world.dispute_a.pk}


RULES: dict[str, Rule] = {
    "costs:dispute_list": Rule(ANY_DISPUTES),
    "costs:dispute": Rule(DISPUTE_A, kwargs=_dispute),
    "costs:dispute_reply": Rule(
        REPLY_A, kwargs=_dispute, method="post", data=lambda world: {"body": "See the attached breakdown."}
    ),
    "costs:dispute_resolve": Rule(
        RESOLVE,
        kwargs=_dispute,
        method="post",
        data=lambda world: {"outcome": "accept_charge", "resolution": "Agreed on the call."},
    ),
    "costs:dispute_attachment": Rule(DISPUTE_A, kwargs=lambda world: {"pk": world.dispute_message_a.pk}),
    "costs:budget": Rule(MANAGER_ONLY, kwargs=lambda world: {"slug": world.vendor_a.slug}),
}

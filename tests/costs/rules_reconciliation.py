"""Access rules for the reconciliation URLs (see access_rules.py for the world they run in).

The invoice page: the manager, and staff of the invoice's vendor (lines and status only); QA sees no
money; staff of B get 404. Deciding and approving are the manager's; the month page too.
"""

from tests.access import MANAGER_AND_STAFF_A, MANAGER_ONLY, Rule

INVOICE = MANAGER_AND_STAFF_A
# A manager's POST is done and redirects back to the invoice page.
MANAGER_POST = {**MANAGER_ONLY, "manager": 302}


def setup(world):
    pass


def _invoice(world):
    return {"pk": world.invoice_a.pk}


RULES: dict[str, Rule] = {
    "costs:invoice": Rule(INVOICE, kwargs=_invoice),
    "costs:decide": Rule(
        MANAGER_POST,
        kwargs=_invoice,
        method="post",
        data=lambda w: {"kind": "duplicate_invoice", "decision": "disputed", "note": "Sent twice?"},
    ),
    "costs:approve": Rule(MANAGER_POST, kwargs=_invoice, method="post"),
    "costs:void": Rule(
        MANAGER_POST, kwargs=_invoice, method="post", data=lambda w: {"reason": "Sent twice."}
    ),
    "costs:reconciliation": Rule(MANAGER_ONLY, query="?period=2026-10"),
}

"""Who may open each costs URL. The world: vendor A's contract (EUR) with a fixed fee, an October invoice
of vendor A with one line. QA sees no money (403 everywhere); staff of B get 404 on A's records.

Each area lists its rules in its own module below.
"""

from tests.costs import (
    rules_disputes_budgets,
    rules_invoices,
    rules_pricing,
    rules_reconciliation,
    rules_value,
)
from tests.costs.factories import InvoiceFactory, InvoiceLineFactory, PriceTermFactory
from tests.factories import ContractFactory

AREAS = (rules_pricing, rules_invoices, rules_reconciliation, rules_disputes_budgets, rules_value)


def setup(world):
    world.cost_contract_a = ContractFactory(vendor=world.vendor_a, reference="MSA-COSTS-A")
    world.price_term_a = PriceTermFactory(contract=world.cost_contract_a)
    world.invoice_a = InvoiceFactory(contract=world.cost_contract_a, entered_by=world.manager)
    world.invoice_line_a = InvoiceLineFactory(invoice=world.invoice_a)
    for area in AREAS:
        area.setup(world)


RULES = {name: rule for area in AREAS for name, rule in area.RULES.items()}

"""Access rules for the invoices URLs (see access_rules.py for the world they run in).

Invoices are money: managers and vendor staff (their own vendor's), never QA. Entering, importing and
attaching a PDF are the manager's.
"""

from django.core.files.base import ContentFile

from bporeg.uploads import sample_bytes
from tests.access import MANAGER_AND_STAFF_A, MANAGER_ONLY, Rule

MONEY = {**MANAGER_ONLY, "staff_a": 200, "staff_b": 200}
VENDOR_A_MONEY = MANAGER_AND_STAFF_A
# With no file uploaded first, the preview and the confirmation send the manager back to the upload.
MANAGER_REDIRECTED = {**MANAGER_ONLY, "manager": 302}


def setup(world):
    world.invoice_a.document.save("invoice.pdf", ContentFile(sample_bytes("pdf")))


def invoice_a(world):
    return {"pk": world.invoice_a.pk}


RULES: dict[str, Rule] = {
    "costs:invoice_list": Rule(MONEY),
    "costs:invoice_create": Rule(MANAGER_ONLY),
    "costs:invoice_import": Rule(MANAGER_ONLY),
    "costs:invoice_import_preview": Rule(MANAGER_REDIRECTED),
    "costs:invoice_import_confirm": Rule(MANAGER_REDIRECTED, method="post"),
    "costs:invoice_document": Rule(VENDOR_A_MONEY, kwargs=invoice_a),
    "costs:invoice_attach": Rule(MANAGER_ONLY, kwargs=invoice_a),
}

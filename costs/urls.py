"""Cost and value URLs; each list belongs to one views module."""

from django.urls import path

from costs.views import value

app_name = "costs"

# Price terms of a contract, exchange rates (views/pricing.py).
pricing_urls = []

# Invoices entered or imported, their list and files (views/invoices.py).
invoice_urls = []

# An invoice reconciled against its contract, the decisions, approval; a month for all vendors
# (views/reconciliation.py).
reconciliation_urls = []

# Disputes and their threads, budgets (views/disputes.py, views/budgets.py).
dispute_budget_urls = []

# Baselines, a vendor's value, savings and ROI (views/value.py).
value_urls = [
    path("baselines/", value.baselines, name="baselines"),
    path("vendors/<slug:slug>/value/", value.vendor_value_page, name="value"),
]

urlpatterns = [*pricing_urls, *invoice_urls, *reconciliation_urls, *dispute_budget_urls, *value_urls]

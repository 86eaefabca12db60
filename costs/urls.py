"""Cost and value URLs; each list belongs to one views module."""

from django.urls import path

from costs.views import pricing, reconciliation

app_name = "costs"

# Price terms of a contract, exchange rates (views/pricing.py).
pricing_urls = [
    path("contracts/<int:pk>/pricing/", pricing.contract_pricing, name="pricing"),
    path("exchange-rates/", pricing.exchange_rates, name="rates"),
]

# Invoices entered or imported, their list and files (views/invoices.py).
invoice_urls = []

# An invoice reconciled against its contract, the decisions, approval; a month for all vendors
# (views/reconciliation.py).
reconciliation_urls = [
    path("invoices/<int:pk>/", reconciliation.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/decide/", reconciliation.decide, name="decide"),
    path("invoices/<int:pk>/approve/", reconciliation.approve, name="approve"),
    path("reconciliation/", reconciliation.month, name="reconciliation"),
]

# Disputes and their threads, budgets (views/disputes.py, views/budgets.py).
dispute_budget_urls = []

# Baselines, a vendor's value, savings and ROI (views/value.py).
value_urls = []

urlpatterns = [*pricing_urls, *invoice_urls, *reconciliation_urls, *dispute_budget_urls, *value_urls]

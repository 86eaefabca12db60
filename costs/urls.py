"""Cost and value URLs; each list belongs to one views module."""

from django.urls import path

from costs.views import budgets, disputes, invoices, pricing, reconciliation, value

app_name = "costs"

# Price terms of a contract, exchange rates (views/pricing.py).
pricing_urls = [
    path("contracts/<int:pk>/pricing/", pricing.contract_pricing, name="pricing"),
    path("exchange-rates/", pricing.exchange_rates, name="rates"),
]

# Invoices entered or imported, their list and files (views/invoices.py).
invoice_urls = [
    path("invoices/", invoices.invoice_list, name="invoice_list"),
    path("invoices/new/", invoices.invoice_create_view, name="invoice_create"),
    path("invoices/import/", invoices.invoice_import, name="invoice_import"),
    path("invoices/import/preview/", invoices.invoice_import_preview, name="invoice_import_preview"),
    path("invoices/import/confirm/", invoices.invoice_import_confirm, name="invoice_import_confirm"),
    path("invoices/<int:pk>/document/", invoices.invoice_document, name="invoice_document"),
    path("invoices/<int:pk>/document/attach/", invoices.invoice_attach, name="invoice_attach"),
]

# An invoice reconciled against its contract, the decisions, approval; a month for all vendors
# (views/reconciliation.py).
reconciliation_urls = [
    path("invoices/<int:pk>/", reconciliation.invoice_detail, name="invoice"),
    path("invoices/<int:pk>/decide/", reconciliation.decide, name="decide"),
    path("invoices/<int:pk>/approve/", reconciliation.approve, name="approve"),
    path("invoices/<int:pk>/void/", reconciliation.void, name="void"),
    path("reconciliation/", reconciliation.month, name="reconciliation"),
]

# Disputes and their threads, budgets (views/disputes.py, views/budgets.py).
dispute_budget_urls = [
    path("disputes/", disputes.dispute_list, name="dispute_list"),
    path("disputes/<int:pk>/", disputes.dispute_detail, name="dispute"),
    path("disputes/<int:pk>/reply/", disputes.dispute_reply_view, name="dispute_reply"),
    path("disputes/<int:pk>/resolve/", disputes.dispute_resolve_view, name="dispute_resolve"),
    path("disputes/messages/<int:pk>/attachment/", disputes.dispute_attachment, name="dispute_attachment"),
    path("vendors/<slug:slug>/budget/", budgets.budget, name="budget"),
]

# Baselines, a vendor's value, savings and ROI (views/value.py).
value_urls = [
    path("baselines/", value.baselines, name="baselines"),
    path("vendors/<slug:slug>/value/", value.vendor_value_page, name="value"),
]

urlpatterns = [*pricing_urls, *invoice_urls, *reconciliation_urls, *dispute_budget_urls, *value_urls]

"""Budgets: actual from approved invoices by month, currency conversion, forecast and overrun, the budget
page, and the portfolio's cost-overrun flag reading invoices."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from costs.budgets import budget_set, budget_year
from costs.models import Budget, InvoiceStatus
from kpis.models import Measurement
from portfolio.flags import red_flags
from portfolio.services import refresh_vendor_health
from reviews.models import ReviewStatus
from tests.costs.disputes_builders import approved, rate, year_of_invoices
from tests.costs.factories import InvoiceFactory
from tests.factories import ContractFactory, VendorFactory
from tests.kpis.factories import kpi
from tests.portfolio.builders import PERIOD, TODAY, facts_of, on_target, sla_for
from tests.portfolio.test_refresh import REFRESH_QUERIES
from tests.reviews.factories import ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(vendor_a):
    return ContractFactory(vendor=vendor_a, currency="EUR")


def amounts(result, field):
    return [getattr(month, field) for month in result.months]


# Actual, forecast, overrun


def test_actual_forecast_and_overrun_on_known_numbers(vendor_a, contract, manager):
    budget_set(vendor=vendor_a, year=2026, amount=Decimal("240000"), by=manager)
    year_of_invoices(contract, by=manager, months=range(1, 11), total="25000")
    result = budget_year(vendor=vendor_a, year=2026)
    # 10 months × 25,000 invoiced; 25,000 a month for November and December.
    assert (result.actual, result.months_invoiced, result.forecast) == (250000, 10, 300000)
    assert result.overrun == 60000
    assert amounts(result, "budget") == [20000] * 12
    assert amounts(result, "cumulative")[9] == 250000
    assert amounts(result, "forecast") == [None] * 10 + [275000, 300000]
    assert all(month.over for month in result.months[:10])


def test_only_approved_invoices_of_the_year_are_actual(vendor_a, contract, manager):
    approved(contract, date(2026, 1, 1), "10000", by=manager)
    InvoiceFactory(contract=contract, period=date(2026, 2, 1), total=Decimal("99999"), entered_by=manager)
    InvoiceFactory(
        contract=contract,
        period=date(2026, 2, 1),
        total=Decimal("1"),
        status=InvoiceStatus.VOID,
        entered_by=manager,
    )
    approved(contract, date(2025, 12, 1), "50000", by=manager)
    result = budget_year(vendor=vendor_a, year=2026)
    assert (result.actual, result.months_invoiced) == (10000, 1)
    assert result.budget is None and result.overrun is None


def test_the_forecast_averages_the_months_invoiced_and_runs_from_the_latest(vendor_a, contract, manager):
    budget_set(vendor=vendor_a, year=2026, amount=Decimal("150000"), by=manager)
    for month in (1, 2, 4):
        approved(contract, date(2026, month, 1), "10000", by=manager)
    result = budget_year(vendor=vendor_a, year=2026)
    # March is late, not forecast: 30,000 + 10,000 × 8 months after April.
    assert result.forecast == 110000 and result.overrun is None
    assert amounts(result, "actual")[:4] == [10000, 10000, None, 10000]


def test_no_invoice_no_forecast(vendor_a, manager):
    budget_set(vendor=vendor_a, year=2026, amount=Decimal("120000"), by=manager)
    result = budget_year(vendor=vendor_a, year=2026)
    assert (result.actual, result.forecast, result.overrun) == (0, None, None)


def test_invoices_in_another_currency_convert_at_the_rate_valid_on_the_months_last_day(vendor_a, manager):
    contract = ContractFactory(vendor=vendor_a, currency="USD")
    rate("USD", date(2026, 1, 1), "0.90", by=manager)
    rate("USD", date(2026, 3, 31), "0.80", by=manager)
    rate("USD", date(2026, 4, 1), "0.50", by=manager)
    approved(contract, date(2026, 2, 1), "1000", by=manager)
    approved(contract, date(2026, 3, 1), "1000", by=manager)
    result = budget_year(vendor=vendor_a, year=2026)
    assert amounts(result, "actual")[1:3] == [Decimal("900.00"), Decimal("800.00")]


def test_a_missing_rate_names_itself_and_leaves_the_month_out(vendor_a, contract, manager):
    approved(contract, date(2026, 1, 1), "10000", by=manager)
    approved(ContractFactory(vendor=vendor_a, currency="GBP"), date(2026, 2, 1), "5000", by=manager)
    result = budget_year(vendor=vendor_a, year=2026)
    assert result.missing_rates == [
        "No exchange rate for GBP on 28 Feb 2026: enter one under Setup → Exchange rates."
    ]
    assert result.actual == 10000 and amounts(result, "actual")[1] is None
    assert result.forecast is None


def test_only_a_manager_sets_a_budget_and_setting_again_updates_it(vendor_a, manager, qa):
    with pytest.raises(PermissionDenied):
        budget_set(vendor=vendor_a, year=2026, amount=Decimal("1"), by=qa)
    budget_set(vendor=vendor_a, year=2026, amount=Decimal("100000"), by=manager)
    budget_set(vendor=vendor_a, year=2026, amount=Decimal("120000"), note="Q3 growth", by=manager)
    budget = Budget.objects.get(vendor=vendor_a, year=2026)
    assert (budget.amount, budget.note) == (120000, "Q3 growth")
    assert budget.history.first().history_user == manager


# The page


def test_the_page_sets_the_budget_and_shows_the_year(client_for, vendor_a, contract, manager):
    year_of_invoices(contract, by=manager, months=range(1, 11), total="25000")
    client = client_for(manager)
    url = reverse("costs:budget", kwargs={"slug": vendor_a.slug}) + "?year=2026"
    response = client.post(url, {"amount": "240000", "note": ""})
    assert response.status_code == 302 and response["Location"] == url
    page = client.get(url)
    assert page.context["result"].overrun == 60000
    html = page.content.decode()
    assert 'class="month-over"' in html and "60,000.00 EUR over" in html and "<svg" in html


def test_a_bad_budget_re_renders_with_its_error(client_for, vendor_a, manager):
    url = reverse("costs:budget", kwargs={"slug": vendor_a.slug})
    response = client_for(manager).post(url, {"amount": "-5"})
    assert response.status_code == 400 and response.context["form"].errors["amount"]
    assert not Budget.objects.exists()


def test_the_page_says_which_rate_is_missing(client_for, vendor_a, manager):
    approved(ContractFactory(vendor=vendor_a, currency="GBP"), date(2026, 2, 1), "5000", by=manager)
    url = reverse("costs:budget", kwargs={"slug": vendor_a.slug}) + "?year=2026"
    assert "No exchange rate for GBP on 28 Feb 2026" in client_for(manager).get(url).content.decode()


# session, user, profile; vendor; budget; approved invoices; exchange rates.
BUDGET_PAGE_QUERIES = 7


@pytest.mark.parametrize("months", [2, 12])
def test_the_budget_page_costs_the_same_queries_at_any_size(
    client_for, django_assert_num_queries, vendor_a, contract, manager, months
):
    budget_set(vendor=vendor_a, year=2026, amount=Decimal("240000"), by=manager)
    year_of_invoices(contract, by=manager, months=range(1, months + 1))
    client = client_for(manager)
    with django_assert_num_queries(BUDGET_PAGE_QUERIES):
        response = client.get(reverse("costs:budget", kwargs={"slug": vendor_a.slug}) + "?year=2026")
    assert response.context["result"].months_invoiced == months


# The portfolio's cost-overrun flag


@pytest.fixture
def steady(manager):
    """A vendor on every target (3.20 × 5,000 contacts = 16,000 against a 20,000 fee), review signed."""
    vendor = VendorFactory(name="Steady Support", owner=manager)
    sla_for(vendor)
    on_target(vendor)
    ReviewFactory(
        vendor=vendor, period_start=PERIOD, period_end=date(2026, 10, 31), status=ReviewStatus.SIGNED_OFF
    )
    return vendor


def cost_flag(vendor):
    return next((f for f in red_flags(facts_of(vendor)) if f.code == "cost_overrun"), None)


def test_an_approved_invoice_above_the_fee_raises_the_flag(steady, manager):
    approved(steady.contracts.get(), PERIOD, "23000", by=manager)
    found = cost_flag(steady)
    # A percentage, no amount: QA specialists read the flags and see no money.
    assert "spend (approved invoices) is 15% above the contracts' monthly fee" in found.explanation
    assert "23,000" not in found.explanation
    assert found.links[-1]["url"] == reverse("costs:budget", kwargs={"slug": steady.slug}) + "?year=2026"


def test_invoices_win_over_cost_per_contact(steady, manager):
    # Cost per contact says 3.20 × 7,000 = 22,400, but the approved invoice is within the fee.
    Measurement.objects.filter(vendor=steady, kpi=kpi("cost-per-contact"), period=PERIOD).update(volume=7000)
    assert cost_flag(steady) is not None
    approved(steady.contracts.get(), PERIOD, "20500", by=manager)
    assert cost_flag(steady) is None


def test_an_invoice_not_approved_leaves_cost_per_contact_in_charge(steady, manager):
    InvoiceFactory(contract=steady.contracts.get(), period=PERIOD, total=Decimal("90000"), entered_by=manager)
    assert cost_flag(steady) is None


def test_a_foreign_currency_invoice_is_compared_in_the_company_currency(steady, manager):
    contract = ContractFactory(
        vendor=steady, currency="USD", monthly_fee=0, start_date=date(2026, 1, 1), end_date=date(2027, 1, 1)
    )
    rate("USD", date(2026, 1, 1), "0.90", by=manager)
    approved(contract, PERIOD, "25000", by=manager)
    # 25,000 USD × 0.90 = 22,500 EUR against the 20,000 EUR fee (the USD contract's fee is 0).
    assert "spend (approved invoices) is 12% above" in cost_flag(steady).explanation


def test_without_a_rate_the_invoice_month_is_not_judged(steady, manager):
    contract = ContractFactory(vendor=steady, currency="USD", monthly_fee=0)
    approved(contract, PERIOD, "90000", by=manager)
    assert cost_flag(steady) is None


@pytest.mark.parametrize("count", [2, 12])
def test_the_refresh_with_invoices_costs_the_same_queries(manager, count):
    rate("USD", date(2026, 1, 1), "0.90", by=manager)
    for number in range(count):
        vendor = VendorFactory(name=f"Invoiced {number:02d}", owner=manager)
        sla_for(vendor)
        on_target(vendor, months=3)
        approved(vendor.contracts.get(), PERIOD, "21000", by=manager)
    with CaptureQueriesContext(connection) as queries:
        assert refresh_vendor_health(today=TODAY) == count
    assert len(queries) == REFRESH_QUERIES

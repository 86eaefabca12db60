"""Value on known numbers: savings per month and to date, ROI with one-off fees in the cost, quality
beside it, the currency rule; the portfolio summary in a fixed number of queries; who sees the tile."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from costs.models import Budget, Invoice, InvoiceStatus
from costs.value import VALUE_QUERIES, portfolio_value, vendor_quality, vendor_value
from portfolio.services import refresh_vendor_health
from tests.costs.value_builders import TODAY, baseline, invoice, outsourced_vendor, rate
from tests.factories import ContractFactory, ServiceFactory, VendorFactory
from tests.kpis.factories import kpi, measure
from tests.portfolio.test_dashboard import DASHBOARD_QUERIES
from vendors.models import Service, Vendor

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(manager):
    """A USD vendor, in house at 3.00 EUR a contact until June 2026.

    July 12,000 USD (2,000 of them a setup fee) for 4,000 contacts; August and September 10,000 USD for
    5,000 contacts each. 1 USD = 0.90 EUR, and 0.80 from 15 September: September is converted at 0.80.
    June (still in house) and a received October invoice do not count; June is in this year's spend.
    """
    service = ServiceFactory()
    baseline(service, manager)
    rate("USD", date(2026, 1, 1), "0.90", manager)
    rate("USD", date(2026, 9, 15), "0.80", manager)
    vendor = VendorFactory(name="Known Numbers")
    vendor.services.add(service)
    contract = ContractFactory(vendor=vendor, currency="USD")
    invoice(contract, date(2026, 6, 1), "5000", manager)
    invoice(contract, date(2026, 7, 1), "12000", manager)
    invoice(contract, date(2026, 8, 1), "10000", manager)
    invoice(contract, date(2026, 9, 1), "10000", manager)
    invoice(contract, date(2026, 10, 1), "10000", manager, status=InvoiceStatus.RECEIVED)
    for month, units, aht, qa in ((7, 4000, 310, 88), (8, 5000, 300, 92), (9, 5000, 290, 90)):
        measure(vendor, "aht", date(2026, month, 1), aht, volume=units)
        measure(vendor, "qa-score", date(2026, month, 1), qa)
    Budget.objects.create(vendor=vendor, year=2026, amount=Decimal("40000"))
    return vendor


def test_savings_per_month_and_to_date_in_the_company_currency(known):
    value = vendor_value(known, today=TODAY)
    assert [(m.period.month, m.units, m.in_house, m.actual, m.savings) for m in value.months] == [
        (7, 4000, Decimal("12000.00"), Decimal("10800.00"), Decimal("1200.00")),
        (8, 5000, Decimal("15000.00"), Decimal("9000.00"), Decimal("6000.00")),
        (9, 5000, Decimal("15000.00"), Decimal("8000.00"), Decimal("7000.00")),
    ]
    assert value.savings_to_date == Decimal("14200.00")
    assert value.actual_to_date == Decimal("27800.00")


def test_roi_is_savings_over_actual_cost_with_one_off_fees_in_the_cost(known):
    # 14,200 ÷ 27,800, the July setup fee included in the cost.
    assert vendor_value(known, today=TODAY).roi_percent == Decimal("51.1")


def test_spend_this_year_counts_every_approved_invoice_against_the_budget(known):
    value = vendor_value(known, today=TODAY)
    assert value.spend_this_year == Decimal("32300.00")  # June's 4,500 EUR too
    assert value.budget == Decimal("40000")


def test_quality_is_beside_the_cost(known):
    quality = {measure.kpi.code: measure for measure in vendor_quality(vendor_value(known, today=TODAY))}
    assert set(quality) == {"aht", "qa-score"}  # no error rate measured: nothing invented
    assert (quality["aht"].average, quality["aht"].in_house, quality["aht"].verdict) == (
        Decimal("300.0"),
        Decimal("330"),
        "better",
    )
    assert (quality["qa-score"].average, quality["qa-score"].verdict) == (Decimal("90.0"), "")


def test_an_error_rate_worse_than_in_house_says_so(known):
    for month in (7, 8, 9):
        measure(known, "error-rate", date(2026, month, 1), 3.5, volume=5000)
    quality = {measure.kpi.code: measure for measure in vendor_quality(vendor_value(known, today=TODAY))}
    assert (quality["error-rate"].in_house, quality["error-rate"].verdict) == (Decimal("3.0"), "worse")


def test_a_month_without_measured_volume_counts_its_cost_and_no_savings(known, manager):
    known.invoices.filter(period=date(2026, 10, 1)).update(
        status=InvoiceStatus.APPROVED, approved_by=manager, approved_at="2026-11-10T10:00Z"
    )
    value = vendor_value(known, today=TODAY)
    october = value.months[-1]
    assert (october.period, october.units, october.in_house, october.savings) == (
        date(2026, 10, 1),
        None,
        None,
        None,
    )
    assert value.unmeasured_months == [date(2026, 10, 1)]
    assert value.savings_to_date == Decimal("14200.00") - Decimal("8000.00")


def test_a_missing_exchange_rate_is_a_sentence_not_a_guess(manager):
    baseline(ServiceFactory(), manager)
    vendor, _ = outsourced_vendor("Pound Sterling", manager, currency="GBP")
    value = vendor_value(vendor, today=TODAY)
    assert value.problem.startswith("No exchange rate for GBP on 31 Jul 2026")
    assert value.savings_to_date is None and value.roi_percent is None
    assert portfolio_value(vendors=Vendor.objects.visible_to(manager), today=TODAY).problems == [value]


def test_a_vendor_with_several_services_takes_the_first_baselined_one_by_name(manager):
    support = ServiceFactory()
    back_office = Service.objects.create(code="back-office", name="Back office")
    baseline(support, manager, cost_per_unit=Decimal("3"))
    baseline(back_office, manager, cost_per_unit=Decimal("5"), volume_kpi=kpi("error-rate"))
    vendor, _ = outsourced_vendor("Two Services", manager)
    vendor.services.add(back_office)
    value = vendor_value(vendor, today=TODAY)
    assert value.baseline.service == back_office
    # Its units are the error-rate KPI's volumes, not measured here.
    assert value.in_house_to_date is None and value.savings_to_date is None


def test_a_vendor_without_a_baseline_has_costs_and_no_savings(manager):
    vendor, _ = outsourced_vendor("No Baseline", manager)
    value = vendor_value(vendor, today=TODAY)
    assert value.actual_to_date == Decimal("30000.00")
    assert value.baseline is None and value.savings_to_date is None


def test_the_portfolio_adds_up_the_vendors_with_known_savings(known, manager):
    outsourced_vendor("Euro Partner", manager)  # 3 × 5,000 contacts × 3.00 − 3 × 10,000 = 15,000
    outsourced_vendor("No Units", manager, units=None)
    summary = portfolio_value(vendors=Vendor.objects.visible_to(manager), today=TODAY)
    assert summary.savings_to_date == Decimal("14200.00") + Decimal("15000.00")
    assert summary.roi_percent == (Decimal("29200") / Decimal("57800") * 100).quantize(Decimal("0.1"))
    # Lowest ROI first (50% against 51.1%); the vendor without measured units last.
    assert [v.name for v in summary.vendors] == ["Euro Partner", "Known Numbers", "No Units"]
    assert summary.spend_this_year == Decimal("32300.00") + 2 * Decimal("30000.00")
    assert (summary.budget, summary.budgeted_spend) == (Decimal("40000"), Decimal("32300.00"))


def _portfolio(count, manager):
    baseline(ServiceFactory(), manager)
    rate("USD", date(2026, 1, 1), "0.90", manager)
    for number in range(count):
        vendor, _ = outsourced_vendor(f"Grown {number:03d}", manager, currency="USD" if number % 2 else "EUR")
        Budget.objects.create(vendor=vendor, year=2026, amount=Decimal("100000"))


@pytest.mark.parametrize("count", [3, 30])
def test_the_portfolio_summary_costs_the_same_queries_at_any_size(manager, django_assert_num_queries, count):
    _portfolio(count, manager)
    with django_assert_num_queries(VALUE_QUERIES):
        summary = portfolio_value(vendors=Vendor.objects.visible_to(manager), today=TODAY)
        assert len(summary.vendors) == count
        assert summary.savings_to_date is not None


@pytest.mark.parametrize("count", [3, 30])
def test_the_vendor_value_page_costs_the_same_queries_at_any_size(
    client_for, manager, django_assert_num_queries, count
):
    _portfolio(count, manager)
    client = client_for(manager)
    # session, user, profile, vendor, the value, and the quality KPIs and their measurements.
    with django_assert_num_queries(4 + VALUE_QUERIES + 2), time_machine.travel(TODAY, tick=False):
        response = client.get(reverse("costs:value", kwargs={"slug": "grown-001"}))
    assert response.status_code == 200
    assert len(response.context["value"].months) == 3


def test_the_value_page_shows_the_figures_the_chart_and_the_quality(client_for, manager, known):
    with time_machine.travel(TODAY, tick=False):
        response = client_for(manager).get(reverse("costs:value", kwargs={"slug": known.slug}))
    content = response.content.decode()
    assert 'data-testid="savings"' in content and "14,200" in content
    assert "51.1%" in content
    assert content.count('class="saving"') == 3
    assert "Sep 2026: actual 8,000 EUR, in house 15,000, saved 7,000" in content
    assert 'data-testid="quality-aht"' in content and "better" in content
    assert "<script" not in content.split("<main")[-1] and "style=" not in content


@pytest.mark.parametrize("count", [3, 30])
def test_the_dashboard_tile_adds_a_fixed_number_of_queries(
    client_for, manager, django_assert_num_queries, count
):
    _portfolio(count, manager)
    refresh_vendor_health(today=TODAY)
    client = client_for(manager)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("portfolio:dashboard"))
    tile = response.context["value"]
    assert len(tile["vendors"]) == min(count, 8)
    assert tile["more"] == max(count - 8, 0)


def test_the_dashboard_tile_is_the_managers_and_qa_sees_no_money(client_for, manager, qa, known):
    refresh_vendor_health(today=TODAY)
    response = client_for(manager).get(reverse("portfolio:dashboard"))
    tile = response.content.decode().split('data-testid="value-tile"')[1].split("</section>")[0]
    assert "14,200" in tile and "51.1%" in tile
    assert reverse("costs:value", kwargs={"slug": known.slug}) in tile
    response = client_for(qa).get(reverse("portfolio:dashboard"))
    assert response.context["value"] is None
    assert b"value-tile" not in response.content


def test_the_vendor_page_links_to_cost_and_value_for_managers_only(client_for, manager, qa, known):
    url = known.get_absolute_url()
    content = client_for(manager).get(url).content.decode()
    block = content.split('data-testid="cost-and-value"')[1].split("</section>")[0]
    assert reverse("costs:value", kwargs={"slug": known.slug}) in block
    assert b"cost-and-value" not in client_for(qa).get(url).content


def test_the_dashboard_tile_shows_the_last_refresh_and_is_computed_before_the_first(
    client_for, manager, known
):
    client = client_for(manager)
    # No refresh has run yet (a new install): the tile is worked out for this view.
    assert "14,200" in client.get(reverse("portfolio:dashboard")).content.decode()
    refresh_vendor_health(today=TODAY)
    # Later views read the snapshot: a change shows once a refresh has run (beat, or after the write).
    Invoice.objects.filter(vendor=known).update(status=InvoiceStatus.VOID)
    assert "14,200" in client.get(reverse("portfolio:dashboard")).content.decode()
    refresh_vendor_health(today=TODAY)
    tile = client.get(reverse("portfolio:dashboard")).context["value"]
    assert tile["savings_to_date"] is None and tile["vendors"] == []

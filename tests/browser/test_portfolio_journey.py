"""The manager's morning: the vendor with a breach is red at the top of the dashboard; opening it
shows the flag in words, and the flag's link leads to the evidence (the scorecard with the breach)."""

import pytest
from playwright.sync_api import expect

from kpis.models import Measurement
from portfolio.services import refresh_vendor_health
from tests.factories import VendorFactory
from tests.portfolio.builders import PERIOD, TODAY, on_target, sla_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portfolio(manager):
    for name in ("Alpha Steady", "Bravo Breach", "Charlie Calm"):
        vendor = VendorFactory(name=name, owner=manager)
        sla_for(vendor)
        on_target(vendor)
    Measurement.objects.filter(vendor__name="Bravo Breach", kpi__code="csat", period=PERIOD).update(value=72)
    refresh_vendor_health(today=TODAY)


def test_manager_follows_the_red_flag_to_its_evidence(portfolio, manager, page, login, csp_violations):
    login(page, manager.username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    first_row = page.locator("table.health-table tbody tr").first
    expect(first_row).to_have_attribute("data-testid", "row-bravo-breach")
    expect(first_row.locator(".health")).to_have_class("health health-red")

    first_row.get_by_role("link", name="Bravo Breach").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bravo Breach")
    breach = page.locator("[data-flag=sla_breach]")
    expect(breach).to_contain_text("Customer satisfaction (CSAT) 72.0%")

    breach.get_by_role("link", name="Scorecard").click()
    expect(page).to_have_url(f"{page.url.split('/kpis/')[0]}/kpis/vendors/bravo-breach/?period=2026-10")
    expect(page.locator("main")).to_contain_text("Breached")
    assert not [error for error in csp_violations if "Content Security Policy" in error]

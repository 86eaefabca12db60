"""A manager scans the portfolio grid: breached vendors only, worst CSAT first, on to the second page."""

import pytest
import time_machine
from playwright.sync_api import expect

from tests.kpis.grid_portfolio import graded_vendor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portfolio(manager):
    """30 vendors breaching CSAT (40% to 69%) and three on target; the grid opens on October 2025."""
    for number in range(30):
        graded_vendor(f"Vendor {number:02d}", csat=40 + number, aht=280, fcr=80)
    for name in ("Steady A", "Steady B", "Steady C"):
        graded_vendor(name, csat=90, aht=280, fcr=80)
    with time_machine.travel("2025-11-15 10:00 +01:00", tick=True):
        yield


def rows(page):
    return page.locator("table.portfolio-table tbody tr")


def test_manager_narrows_the_grid_to_breaches_sorted_by_csat(portfolio, manager, page, login, csp_violations):
    login(page, manager.username)
    page.get_by_role("link", name="Scorecards").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scorecards")
    expect(page.locator(".tile", has_text="Vendors with a breach")).to_contain_text("30")

    page.get_by_label("Breached only").check()
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".tile", has_text="Vendors").first).to_contain_text("30")
    expect(rows(page)).to_have_count(25)
    expect(page.get_by_test_id("row-steady-a")).to_have_count(0)

    page.get_by_role("link", name="CSAT").click()
    csat = page.get_by_role("columnheader", name="CSAT")
    expect(csat).to_have_attribute("aria-sort", "ascending")
    expect(rows(page).first).to_have_attribute("data-testid", "row-vendor-00")
    expect(rows(page).first).to_contain_text("40.0%")

    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    expect(rows(page)).to_have_count(5)
    expect(rows(page).first).to_have_attribute("data-testid", "row-vendor-25")
    expect(rows(page).last).to_have_attribute("data-testid", "row-vendor-29")
    expect(page.get_by_label("Breached only")).to_be_checked()
    expect(csat).to_have_attribute("aria-sort", "ascending")

    csat.get_by_role("link").click()  # again: best CSAT first, back on page 1
    expect(csat).to_have_attribute("aria-sort", "descending")
    expect(rows(page).first).to_have_attribute("data-testid", "row-vendor-29")
    assert not [error for error in csp_violations if "Content Security Policy" in error]

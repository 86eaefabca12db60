"""Each demo role logs in through the real form and lands on its own home page."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_portfolio():
    call_command("seed_demo", "--vendors", "6", "--months", "3", "--today", "2026-11-15", verbosity=0)


@pytest.mark.parametrize(
    ("username", "heading", "badge"),
    [
        ("manager", "Portfolio", "BPO manager"),
        ("qa", "Portfolio", "QA specialist"),
        ("staff-northwind-contact", "Northwind Contact", "Vendor staff"),
    ],
)
def test_demo_role_logs_in_and_sees_home(
    demo_portfolio, page, login, csp_violations, username, heading, badge
):
    login(page, username, "demo")
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("nav")).to_contain_text(badge)
    assert not [error for error in csp_violations if "Content Security Policy" in error]


def test_vendor_staff_does_not_see_other_vendors(demo_portfolio, page, login, live_server):
    login(page, "staff-northwind-contact", "demo")
    expect(page.get_by_role("link", name="Vendors")).to_have_count(0)
    response = page.goto(f"{live_server.url}/vendors/atlas-back-office/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")

"""Cost and value, end to end (issue 13): the manager imports last month's invoice, which charges a
seat rate above the contract and a fee the contract does not have; disputes the fee and accepts the
rate; the vendor's staff answer the dispute in the portal; the manager accepts the charge, approves the
invoice and sees it in the vendor's value (savings against the in-house baseline) and budget."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from bporeg.uploads import sample_bytes
from costs.budgets import budget_set
from kpis.periods import add_months, month_start
from tests.costs.invoice_builders import HEADER, contract
from tests.costs.pricing_builders import fixed_fee, per_fte
from tests.costs.value_builders import baseline
from tests.factories import ServiceFactory, VendorFactory, make_user
from tests.kpis.factories import measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENDOR = "Northwind Contact"
NUMBER = "NW-0001"
NOTE = "Reporting is part of the platform fee: please remove this charge."
ANSWER = "The weekly quality report was ordered on top; the signed order is attached."
RESOLUTION = "Accepted: the extra report was ordered by our quality team."
# 20,000 platform fee + 25 seats at 2,100 (contract: 2,000) + a 1,500 reporting fee.
TOTAL = "74,000"


def last_month():
    return add_months(month_start(timezone.localdate()), -1)


@pytest.fixture
def world():
    """Northwind in EUR: a 20,000 platform fee and 25 seats at 2,000; a budget for last month's year;
    the in-house baseline of customer support at 3.00 a contact, and 30,000 contacts measured last
    month (90,000 in house). No invoice yet."""
    month = last_month()
    manager = make_user("maya", Role.MANAGER, first_name="Maya", last_name="Brennan")
    vendor = VendorFactory(name=VENDOR, owner=manager)
    service = ServiceFactory()
    vendor.services.add(service)
    make_user("sam", Role.VENDOR_STAFF, vendor=vendor, first_name="Sam", last_name="Okafor")
    priced = contract(
        vendor,
        start_date=add_months(month, -12),
        end_date=timezone.localdate() + timedelta(days=365),
        currency="EUR",
    )
    fixed_fee(priced)
    per_fte(priced, 25, "2000")
    budget_set(vendor=vendor, year=month.year, amount=Decimal("900000"), by=manager)
    baseline(service, manager, measured_until=priced.start_date - timedelta(days=1))
    measure(vendor, "aht", month, 310, volume=30000)
    return vendor


def invoice_csv(month):
    base = [VENDOR, NUMBER, f"{month:%Y-%m}", timezone.localdate().isoformat(), "EUR"]
    rows = [
        HEADER,
        [*base, "platform-fee", "Monthly platform fee", "1", "20000", "20000"],
        [*base, "agent-seat", "Agent seats", "25", "2100", ""],
        [*base, "reporting-fee", "Weekly quality report", "1", "1500", "1500"],
    ]
    return "\n".join(";".join(row) for row in rows).encode()


def new_page(browser, errors):
    page = browser.new_context().new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return page


def discrepancy(page, label):
    """A discrepancy's card on the invoice page, named by its kind's label."""
    return page.locator(".card", has=page.locator("strong", has_text=label))


def test_an_invoice_from_import_to_value(world, page, browser, live_server, login, csp_violations):
    month = last_month()

    # 1. The manager imports last month's invoice and sees its two discrepancies.
    login(page, "maya")
    page.get_by_role("button", name="Costs").click()
    page.get_by_role("link", name="Import invoices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import invoices")
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": "northwind.csv", "mimeType": "text/csv", "buffer": invoice_csv(month)}
    )
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("northwind.csv")
    expect(page.locator("main")).to_contain_text("Every row is valid: 3 lines make 1 invoice.")
    preview = page.get_by_test_id("import-preview")
    expect(preview).to_contain_text(NUMBER)
    expect(preview).to_contain_text(f"{month:%b %Y}")
    expect(preview).to_contain_text("74000.00 EUR")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".alert-success")).to_contain_text("Imported northwind.csv: 1 invoice, 3 lines.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Invoices")

    page.get_by_role("link", name=NUMBER).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Invoice {NUMBER}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Received")
    rate = discrepancy(page, "Rate above contract")
    fee = discrepancy(page, "Fee not in the contract (hidden fee)")
    expect(rate).to_contain_text("Rate above contract · 2,500.00 EUR · line agent-seat")
    expect(fee).to_contain_text("Fee not in the contract (hidden fee) · 1,500.00 EUR · line reporting-fee")
    expect(page.get_by_role("heading", name="Discrepancies")).to_contain_text("2 · 4,000.00 EUR")

    # 2. She disputes the hidden fee with a note and accepts the rate: disputed, not approvable yet.
    fee.get_by_label("Note").fill(NOTE)
    fee.get_by_role("button", name="Dispute").click()
    expect(page.locator(".alert-success")).to_contain_text("Decision recorded.")
    rate.get_by_role("button", name="Accept").click()
    expect(page.locator(".alert-success")).to_contain_text("Decision recorded.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Disputed")
    expect(fee).to_contain_text(f"Disputed by Maya Brennan: {NOTE}")
    expect(rate).to_contain_text("Accepted by Maya Brennan")
    expect(page.locator("main")).to_contain_text("A dispute about it is still open.")
    expect(page.get_by_role("button", name="Approve for payment")).to_be_disabled()

    # 3. The vendor's staff open the dispute from their menu, read the note and answer with a file.
    staff = new_page(browser, csp_violations)
    login(staff, "sam")
    staff.get_by_role("navigation").get_by_role("link", name="Disputes").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Invoice disputes")
    row = staff.locator("tr[data-dispute]", has_text=NUMBER)
    expect(row).to_contain_text("Fee not in the contract (hidden fee)")
    expect(row).to_contain_text("1,500.00 EUR")
    row.get_by_role("link", name="Open").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(
        "Fee not in the contract (hidden fee): 1,500.00 EUR"
    )
    expect(staff.locator("li[data-message]").first).to_contain_text(NOTE)
    expect(staff.get_by_role("heading", name="Resolve")).to_have_count(0)
    staff.get_by_label("Message").fill(ANSWER)
    staff.get_by_label("Attachment").set_input_files(
        {"name": "signed-order.pdf", "mimeType": "application/pdf", "buffer": sample_bytes("pdf")}
    )
    staff.get_by_role("button", name="Send").click()
    expect(staff.locator(".alert-success")).to_contain_text("Your message is in the thread.")
    answer = staff.locator("li[data-message]").nth(1)
    expect(answer).to_contain_text(f"Sam Okafor ({VENDOR})")
    expect(answer).to_contain_text(ANSWER)
    expect(answer.get_by_role("link", name="Attachment")).to_be_visible()

    # 4. The manager reads the answer, accepts the charge, and approves the invoice.
    page.get_by_role("link", name="dispute thread").click()
    expect(page.locator("li[data-message]").nth(1)).to_contain_text(ANSWER)
    page.get_by_label("Accept the charge").check()
    page.get_by_label("What was agreed").fill(RESOLUTION)
    page.get_by_role("button", name="Resolve").click()
    expect(page.locator(".alert-success")).to_contain_text("The dispute is resolved")
    expect(page.locator("[data-resolution]")).to_contain_text(f"Accept the charge — {RESOLUTION}")
    page.get_by_role("link", name=NUMBER).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Received")
    expect(page.locator("main")).to_contain_text("Every discrepancy is decided and no dispute is open.")
    page.get_by_role("button", name="Approve for payment").click()
    expect(page.locator(".alert-success")).to_contain_text(f"{NUMBER} approved for payment.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Approved for payment")
    expect(page.locator("main")).to_contain_text("Approved for payment by Maya Brennan")

    # 5. The approved month shows in the vendor's value and budget.
    page.goto(live_server.url + reverse("costs:value", kwargs={"slug": world.slug}))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Value of {VENDOR}")
    # 30,000 contacts × 3.00 in house = 90,000, against 74,000 paid.
    expect(page.get_by_test_id("savings")).to_contain_text("16,000")
    expect(page.get_by_test_id("roi")).to_contain_text("21.6%")
    month_row = page.locator("tbody tr", has_text=f"{month:%b %Y}")
    expect(month_row).to_contain_text("30000")
    expect(month_row).to_contain_text("90,000.00")
    expect(month_row).to_contain_text("74,000.00")
    expect(month_row).to_contain_text("16,000.00")
    expect(
        page.get_by_role("img", name=f"Monthly in-house equivalent against actual cost of {VENDOR}")
    ).to_be_visible()

    page.goto(live_server.url + reverse("costs:budget", kwargs={"slug": world.slug}) + f"?year={month.year}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Budget {month.year}")
    expect(page.locator("[data-budget]")).to_have_text("900,000.00 EUR")
    expect(page.locator("[data-actual]")).to_have_text(f"{TOTAL}.00 EUR")
    expect(page.locator(f'tr[data-month="{month:%Y-%m}"] td.actual')).to_have_text(f"{TOTAL}.00")
    expect(
        page.get_by_role("img", name=f"Cumulative budget, actual and forecast for {month.year}")
    ).to_be_visible()

    assert not [error for error in csp_violations if "Content Security Policy" in error], csp_violations

"""QA logs an audit with a critical fail, the vendor disputes it, a manager signs off a monthly review."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from kpis.periods import add_months, month_start
from reviews.models import Audit, Dispute, Review, ReviewStatus
from tests.factories import VendorFactory, make_user
from tests.reviews.factories import criteria_by_label, make_scorecard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():
    vendor = VendorFactory(name="Northwind Contact")
    qa = make_user("quinn", Role.QA, first_name="Quinn", last_name="Alvarez")
    make_user("maya", Role.MANAGER, first_name="Maya", last_name="Brennan")
    make_user("sam", Role.VENDOR_STAFF, vendor=vendor, first_name="Sam", last_name="Reyes")
    return vendor, make_scorecard(qa)


def test_audit_dispute_and_monthly_review(people, browser, live_server, login, csp_violations, page):
    vendor, version = people
    criteria = criteria_by_label(version)
    today = timezone.localdate()

    # The QA specialist logs an audit with a missed critical criterion and watches the score.
    login(page, "quinn")
    page.goto(f"{live_server.url}/reviews/audits/new/")
    page.get_by_role("link", name="Voice support").click()
    page.get_by_label("Vendor").select_option(label=vendor.name)
    page.get_by_label("Channel").select_option("voice")
    page.get_by_label("Date").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Interaction or ticket reference").fill("CALL-88231")
    page.get_by_label("Agent name or id").fill("Ana R. (A-17)")
    for label, choice in [("Greeting", 0), ("Verification", 0), ("Resolution accuracy", 4), ("Tone", 3)]:
        page.locator(f"label[for='id_c{criteria[label].pk}_{choice}']").click()
    expect(page.get_by_test_id("live-score")).to_have_text("95.0%")
    page.locator(
        f"label[for='id_c{criteria['Data protection'].pk}_1']"
    ).click()  # "No" on a critical criterion
    expect(page.get_by_test_id("live-score")).to_have_text("0.0%")
    expect(page.locator("#score-preview")).to_contain_text("Critical criterion missed: Data protection")
    page.get_by_role("button", name="Save audit").click()
    expect(page.get_by_test_id("audit-score")).to_have_text("0.0%")
    expect(page.locator(".alert-success")).to_contain_text("Critical fail")
    audit = Audit.objects.get()

    # The vendor's staff disputes it.
    staff_page = browser.new_context().new_page()
    login(staff_page, "sam")
    staff_page.goto(f"{live_server.url}/reviews/audits/")
    staff_page.get_by_role("link", name="CALL-88231").click()
    staff_page.get_by_label("Reason").fill("The agent read the data-protection statement at 00:41.")
    staff_page.get_by_role("button", name="Send dispute").click()
    expect(staff_page.locator(".alert-success")).to_contain_text("Dispute sent")
    assert Dispute.objects.get().audit == audit

    # A manager prepares last month's review, adds two action items and signs it off.
    manager_page = browser.new_context().new_page()
    login(manager_page, "maya")
    manager_page.goto(f"{live_server.url}/reviews/new/")
    manager_page.get_by_label("Vendor").select_option(label=vendor.name)
    last_month = add_months(month_start(today), -1)
    manager_page.get_by_label("Period").fill(f"{last_month:%Y-%m}")
    manager_page.get_by_role("button", name="Prepare review").click()
    expect(manager_page.get_by_role("heading", level=1)).to_contain_text(f"{last_month:%B %Y} review")
    manager_page.get_by_label("Notes").fill("Volumes on forecast; one critical fail under dispute.")
    manager_page.get_by_label("Rating").select_option("3")
    manager_page.get_by_role("button", name="Save notes").click()
    for title, owner in [
        ("Refresher on data-protection statement", "vendor"),
        ("Re-listen to CALL-88231", "internal"),
    ]:
        manager_page.get_by_label("Title").fill(title)
        manager_page.locator("#id_owner").select_option(owner)
        manager_page.get_by_label("Due date").fill((today + timedelta(days=14)).isoformat())
        manager_page.get_by_role("button", name="Add", exact=True).click()
        expect(manager_page.locator("#action-items")).to_contain_text(title)
    manager_page.get_by_role("button", name="Sign off as manager").click()
    expect(manager_page.get_by_test_id("review-status")).to_have_text("Awaiting vendor sign-off")
    expect(manager_page.get_by_role("button", name="Save notes")).to_have_count(0)

    staff_page.goto(f"{live_server.url}/reviews/")
    staff_page.get_by_role("link", name=f"{last_month:%B %Y}").click()
    staff_page.get_by_role("button", name=f"Sign off for {vendor.name}").click()
    expect(staff_page.get_by_test_id("review-status")).to_have_text("Signed off")
    review = Review.objects.get()
    assert review.status == ReviewStatus.SIGNED_OFF and review.action_items.count() == 2
    assert not [error for error in csp_violations if "Content Security Policy" in error]

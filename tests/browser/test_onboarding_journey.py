"""Vendor staff complete an onboarding task with a comment and a file, without a page reload (htmx),
and the manager then sees that phase's progress move on the vendor page."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from bporeg.uploads import sample_bytes
from tests.factories import VendorFactory, make_user
from vendors.models import OnboardingTemplate
from vendors.onboarding_services import onboarding_apply_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TASK = "Share certificates and compliance evidence"


@pytest.fixture
def onboarding_vendor():
    vendor = VendorFactory(name="Acme Support", status="onboarding")
    manager = make_user("maya", Role.MANAGER, first_name="Maya", last_name="Brennan")
    make_user("staff-a", Role.VENDOR_STAFF, vendor=vendor, first_name="Ana")
    # Transactional tests flush the database between them, data migrations included: put the default
    # template back with the migration's own function (it is idempotent).
    import_module("vendors.migrations.0003_default_onboarding_template").create_default(apps, None)
    template = OnboardingTemplate.objects.get(is_default=True)
    go_live = timezone.localdate() + timedelta(days=60)
    onboarding_apply_template(vendor=vendor, template=template, go_live=go_live, by=manager)
    return vendor


def test_staff_complete_a_task_and_the_manager_sees_progress(
    onboarding_vendor, page, browser, login, live_server, csp_violations
):
    login(page, "staff-a")
    page.get_by_role("link", name="My onboarding").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My onboarding")
    page.evaluate("window.notReloaded = true")

    task = page.locator(f'details[data-task="{TASK}"]')
    task.locator("summary").click()
    task.get_by_label("Status").select_option("done")
    task.get_by_label("Comment").fill("ISO 27001 and SOC 2 reports uploaded.")
    task.get_by_label("Evidence").set_input_files(
        {"name": "certificates.pdf", "mimeType": "application/pdf", "buffer": sample_bytes("pdf")}
    )
    task.get_by_role("button", name="Save update").click()

    expect(task.locator("summary")).to_contain_text("Done")
    expect(task.get_by_role("link", name="certificates.pdf")).to_be_visible()
    expect(task).to_contain_text("ISO 27001 and SOC 2 reports uploaded.")
    expect(page.locator('[data-phase="Pre-onboarding"] .phase-count')).to_have_text("1/6")
    assert page.evaluate("window.notReloaded") is True, "the update must not reload the page"

    manager_page = browser.new_page()
    login(manager_page, "maya")
    manager_page.goto(f"{live_server.url}{onboarding_vendor.get_absolute_url()}")
    expect(manager_page.locator('[data-phase="Pre-onboarding"] .phase-count')).to_have_text("1/6")
    expect(manager_page.locator(f'details[data-task="{TASK}"] summary')).to_contain_text("Done")
    assert not [error for error in csp_violations if "Content Security Policy" in error]

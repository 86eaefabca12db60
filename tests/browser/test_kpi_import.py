"""A manager imports a file with one bad row, fixes it, previews, confirms, and sees the scorecard."""

import pytest
import time_machine
from playwright.sync_api import expect

from tests.factories import make_user
from tests.kpis.factories import SLATargetFactory, kpi

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _today():
    with time_machine.travel("2025-11-15 10:00 +01:00", tick=True):
        yield


def test_manager_fixes_a_bad_row_and_imports(_today, page, login, live_server, csp_violations, tmp_path):
    from accounts.models import Role

    make_user("maya", Role.MANAGER, first_name="Maya")
    sla = SLATargetFactory(sla__vendor__name="Acme Support", kpi=kpi("csat")).sla
    SLATargetFactory(sla=sla, kpi=kpi("aht"), target=300, warning_threshold=320, breach_threshold=345)
    bad = tmp_path / "october.csv"
    bad.write_text(
        "vendor;kpi;period;value\nAcme Support;csat;2025-10;86,5%\nAcme Support;aht;2025-10;4:3O\n"
    )

    login(page, "maya")
    page.get_by_role("button", name="Setup").click()
    page.get_by_role("link", name="Import measurements").click()
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and preview").click()

    report = page.get_by_test_id("import-report")
    expect(report).to_contain_text("Nothing was imported")
    expect(page.get_by_role("row", name="3")).to_contain_text("“4:3O” is not a duration")

    bad.write_text(
        "vendor;kpi;period;value\nAcme Support;csat;2025-10;86,5%\nAcme Support;aht;2025-10;4:30\n"
    )
    page.get_by_label("CSV or XLSX file").set_input_files(str(bad))
    page.get_by_role("button", name="Check and preview").click()
    expect(page.get_by_test_id("preview-counts")).to_contain_text("New2")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("alert")).to_contain_text("2 new, 0 changed, 0 unchanged")

    page.goto(f"{live_server.url}/kpis/vendors/acme-support/?period=2025-10")
    expect(page.get_by_test_id("actual-csat")).to_have_text("86.5%")
    expect(page.get_by_test_id("actual-aht")).to_have_text("4:30")
    assert not [error for error in csp_violations if "Content Security Policy" in error]

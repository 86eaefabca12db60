"""Choosing a provider, end to end (issue 12): the manager sends the due-diligence questionnaire, the
candidate's staff answer it, two evaluators score blind, the manager accepts the answers, compares the
candidates and awards the winner, who becomes an onboarding vendor with its certification on record."""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from bporeg.uploads import sample_bytes
from sourcing.models import Candidate, CandidateStatus, SelectionStatus
from tests.factories import VendorFactory, make_user
from tests.sourcing.builders_award import objective
from tests.sourcing.factories import CandidateFactory, SelectionFactory
from vendors.models import Certification, VendorStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WINNER, OTHER = "Northwind Contact", "Bluepeak Services"
TITLE = "Customer support 2027"
GDPR = "How do you comply with the GDPR"
PDF = {"name": "evidence.pdf", "mimeType": "application/pdf", "buffer": sample_bytes("pdf")}


@pytest.fixture
def selection():
    """A selection being evaluated, two prospects with their quotes, a CSAT objective; the manager and
    the QA specialist evaluate. The defaults data migrations ship are put back (the flush removed them)."""
    import_module("sourcing.migrations.0003_default_criteria_and_questions").add_defaults(apps, None)
    import_module("vendors.migrations.0003_default_onboarding_template").create_default(apps, None)
    manager = make_user("maya", Role.MANAGER, first_name="Maya", last_name="Brennan")
    qa = make_user("quinn", Role.QA, first_name="Quinn", last_name="Alvarez")
    selection = SelectionFactory(
        title=TITLE, owner=manager, status=SelectionStatus.EVALUATING, evaluators=[manager, qa]
    )
    for name, fee in [(WINNER, 38400), (OTHER, 35200)]:
        vendor = VendorFactory(name=name, status=VendorStatus.PROSPECT)
        CandidateFactory(selection=selection, vendor=vendor, quoted_monthly_fee=fee)
    make_user("nora", Role.VENDOR_STAFF, vendor=selection.candidates.get(vendor__name=WINNER).vendor)
    objective(selection)
    return selection


def no_csp_errors(errors):
    return not [error for error in errors if "Content Security Policy" in error]


def new_page(browser, errors):
    """A persona's own browser context; its console errors go to the same list as the first page's."""
    page = browser.new_context().new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return page


def open_selection(page):
    page.get_by_role("link", name="Selections").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Selections")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def answer_the_questionnaire(page):
    """Every card: "does not apply" where the question allows it (but the GDPR one, which applies to a
    German-speaking service), a written answer otherwise, a PDF where evidence is required."""
    cards = page.locator(".answer-card")
    total = cards.count()
    assert total == 14
    for index in range(total):
        card = cards.nth(index)
        question = card.locator("p.fw-semibold").inner_text()
        not_applicable = card.get_by_label("Does not apply to us")
        if not_applicable.count() and GDPR not in question:
            not_applicable.check()
        else:
            card.get_by_label("Your answer").fill(f"{WINNER}: {question}")
        if card.get_by_text("Evidence required").count():
            card.get_by_label("Evidence", exact=True).set_input_files(PDF)
        card.get_by_role("button", name="Save answer").click()
        expect(card.get_by_role("status")).to_have_text("Saved.")
        expect(page.get_by_test_id("answered")).to_have_text(f"{index + 1} / {total}")


def score(page, scores):
    """Fill the grid: `scores` maps (vendor, criterion) to a score, 3 for anything not listed."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Your scores")
    rows = page.locator("table.score-grid tbody th.criterion span.d-block:first-child")
    for criterion in rows.all_inner_texts():
        for vendor in (WINNER, OTHER):
            value = scores.get((vendor, criterion), scores.get(vendor, 3))
            page.get_by_label(f"{vendor} on {criterion}", exact=True).select_option(str(value))
            page.get_by_label(f"Comment on {vendor}, {criterion}", exact=True).fill(f"{value} because …")
    page.get_by_role("button", name="Submit scores").click()
    expect(page.locator(".alert-success")).to_contain_text("Your scores are submitted")
    expect(page.get_by_role("heading", level=1)).to_have_text("Comparison of the candidates")


def test_choosing_a_provider(selection, page, browser, live_server, login, csp_violations):
    today = timezone.localdate()
    go_live = today + timedelta(days=75)

    # 1. The manager opens the selection and sends the questionnaire to one candidate.
    login(page, "maya")
    open_selection(page)
    page.get_by_role("link", name="Due diligence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Due diligence")
    row = page.locator(f'tr[data-candidate="{WINNER}"]')
    expect(row).to_contain_text("Not sent yet")
    row.get_by_label("Due").fill((today + timedelta(days=10)).isoformat())
    row.get_by_role("button", name="Send").click()
    expect(page.locator(".alert-success")).to_contain_text(f"Questionnaire sent: 1 of {WINNER}'s staff told.")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Due diligence · {WINNER}")
    expect(page.get_by_test_id("questionnaire-status")).to_have_text("Sent")

    # 2. The candidate's staff answer it, add a certification and submit; they see nothing else.
    staff = new_page(browser, csp_violations)
    login(staff, "nora")
    staff.get_by_role("link", name="Due diligence").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Due diligence")
    staff.locator("tr[data-questionnaire]").filter(has_text=TITLE).get_by_role("link", name="Answer").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(f"Due diligence · {WINNER}")
    answer_the_questionnaire(staff)
    staff.locator("summary", has_text="Add a certification").click()
    staff.get_by_label("Certification").select_option(label="ISO/IEC 27001")
    staff.get_by_label("Reference").fill("ISO-27001-4471")
    staff.get_by_label("Issued on").fill((today - timedelta(days=200)).isoformat())
    staff.get_by_label("Expires on").fill((today + timedelta(days=900)).isoformat())
    staff.get_by_label("Certificate").set_input_files({**PDF, "name": "iso-27001.pdf"})
    staff.get_by_role("button", name="Add certification").click()
    expect(staff.locator(".alert-success")).to_contain_text("ISO/IEC 27001 added to your certifications.")
    expect(staff.locator('tr[data-certification="ISO/IEC 27001"]')).to_contain_text("ISO-27001-4471")
    staff.get_by_role("button", name="Submit the questionnaire").click()
    expect(staff.locator(".alert-success")).to_contain_text("Questionnaire submitted")
    expect(staff.get_by_test_id("questionnaire-status")).to_have_text("Submitted")
    expect(staff.get_by_role("button", name="Save answer")).to_have_count(0)
    expect(staff.get_by_role("link", name="Compare")).to_have_count(0)
    expect(staff.locator("body")).not_to_contain_text(OTHER)
    expect(staff.locator("main")).not_to_contain_text("score", ignore_case=True)
    refused = staff.goto(live_server.url + reverse("sourcing:compare", args=[selection.pk]))
    assert refused.status == 403

    # 3. The QA specialist may not see the comparison before submitting; both evaluators score.
    qa = new_page(browser, csp_violations)
    login(qa, "quinn")
    open_selection(qa)
    qa.get_by_role("link", name="Compare candidates").click()
    expect(qa.get_by_role("heading", name="Submit your own scores first")).to_be_visible()
    expect(qa.locator("body")).not_to_contain_text("Weighted totals")

    page.goto(f"{live_server.url}{selection.get_absolute_url()}")
    page.get_by_role("link", name="My scores").click()
    score(page, {WINNER: 4, (OTHER, "Price"): 4})

    qa.get_by_role("link", name="Open your score sheet").click()
    score(qa, {WINNER: 4, (WINNER, "Service quality and KPIs offered"): 5, (OTHER, "Price"): 4})
    expect(qa.locator("section[aria-label='Score sheets']")).to_contain_text("2 submitted score sheets")

    # 4. The manager accepts the answers, compares, awards the winner and sees the new vendor.
    page.goto(live_server.url + reverse("sourcing:questionnaire_list", args=[selection.pk]))
    page.locator(f'tr[data-candidate="{WINNER}"]').get_by_role("link", name="Open").click()
    expect(page.get_by_test_id("questionnaire-status")).to_have_text("Submitted")
    cards = page.locator(".answer-card")
    for index in range(cards.count()):
        cards.nth(index).get_by_label("Accept").check()
        cards.nth(index).get_by_role("button", name="Save review").click()
        expect(cards.nth(index).get_by_test_id("review")).to_have_text("Accepted")
    expect(page.locator(".alert-success")).to_contain_text("the due diligence is accepted")
    expect(page.get_by_test_id("questionnaire-status")).to_have_text("Accepted")

    page.get_by_role("link", name="All questionnaires of this selection").click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Compare candidates").click()
    totals = page.locator("section", has=page.get_by_role("heading", name="Weighted totals", exact=True))
    expect(totals.locator("tbody tr").first).to_contain_text(WINNER)
    expect(totals.locator("tbody tr").first).to_contain_text("4.10")
    expect(totals.locator("tbody tr").first).to_contain_text("82.0%")
    expect(totals.locator("tbody tr").nth(1)).to_contain_text("3.15")
    expect(page.get_by_role("img", name="Weighted totals of the candidates")).to_be_visible()

    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Award").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Award · {TITLE}")
    page.get_by_label(WINNER).check()
    page.get_by_label("Go-live date").fill(go_live.isoformat())
    page.get_by_label("Reason given to the other candidates").fill(
        "A higher weighted score at a close price."
    )
    page.get_by_label("Decision note").fill("Best service quality; due diligence accepted with ISO 27001.")
    page.get_by_role("button", name="Award").click()
    expect(page.locator(".alert-success")).to_contain_text(
        f"Awarded to {WINNER}: contract drafted, SLA set, onboarding started."
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Decision record · {TITLE}")
    decision = page.locator("#decision")
    expect(decision).to_contain_text("Decided by Maya Brennan")
    expect(decision).to_contain_text("Best service quality; due diligence accepted with ISO 27001.")
    outcomes = page.locator("#candidates")
    expect(outcomes.locator("tr", has_text=WINNER)).to_contain_text("Awarded")
    expect(outcomes.locator("tr", has_text=OTHER)).to_contain_text(
        "A higher weighted score at a close price."
    )

    outcomes.get_by_role("link", name=WINNER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WINNER)
    expect(page.locator(".vendor-header .badge")).to_have_text("Onboarding")
    onboarding = page.locator("#onboarding")
    expect(onboarding).to_contain_text(f"Go-live {go_live:%-d %b %Y}")
    expect(onboarding).to_contain_text("Share certificates and compliance evidence")
    expect(onboarding).to_contain_text("Go live with hypercare support")
    chosen = page.locator("#chosen")
    expect(chosen.get_by_role("heading")).to_have_text("How this vendor was chosen")
    expect(chosen.get_by_role("link", name=TITLE)).to_be_visible()
    expect(page.locator("#certifications")).to_contain_text("ISO/IEC 27001")
    expect(page.locator("#certifications")).to_contain_text("ISO-27001-4471")

    assert Candidate.objects.get(vendor__name=OTHER).status == CandidateStatus.CLOSED
    assert Certification.objects.get().vendor.name == WINNER
    assert no_csp_errors(csp_violations), csp_violations

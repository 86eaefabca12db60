"""`seed_demo` builds the demo portfolio deterministically, and a second run adds nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from accounts.models import Role
from costs.models import (
    DiscrepancyKind,
    ExchangeRate,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    PriceTerm,
    ValueBaseline,
)
from costs.reconciliation import reconcile_month
from costs.value import portfolio_value
from kpis.selectors import vendor_scorecard
from sourcing.demo import PROSPECTS
from sourcing.models import (
    CandidateStatus,
    DiligenceQuestion,
    QuestionnaireStatus,
    Selection,
    SelectionStatus,
    TemplateCriterion,
)
from vendors.models import OnboardingTemplate, Service, Vendor, VendorStatus

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 15)
User = get_user_model()


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def seed(*args):
    call_command("seed_demo", "--today", "2026-11-15", *args, verbosity=0)


def test_demo_portfolio_has_vendors_and_a_login_per_role():
    seed()
    # The portfolio, and the prospects of the demo selections (one of them won and is onboarding).
    assert Vendor.objects.count() == 6 + len(PROSPECTS)
    User = get_user_model()
    for username in ["manager", "qa", "ops", "pm", "staff-northwind-contact", "staff-clearview-moderation"]:
        assert User.objects.get(username=username).check_password("demo"), username
    assert User.objects.get(username="ops").profile.role == Role.OPERATIONS
    assert User.objects.get(username="pm").profile.role == Role.PROJECT_MANAGER
    staff = User.objects.get(username="staff-northwind-contact").profile
    assert (staff.role, staff.vendor.slug) == (Role.VENDOR_STAFF, "northwind-contact")


def test_one_selection_is_being_evaluated_and_one_is_awarded_to_an_onboarding_vendor():
    seed()
    open_selection = Selection.objects.get(status=SelectionStatus.EVALUATING)
    candidates = open_selection.candidates.select_related("vendor", "questionnaire")
    assert len(candidates) == 3
    for candidate in candidates:
        assert candidate.vendor.status == VendorStatus.PROSPECT
        assert candidate.quoted_monthly_fee > 0
        assert candidate.questionnaire.status == QuestionnaireStatus.SUBMITTED
        assert candidate.questionnaire.certifications.exists()
        assert not candidate.questionnaire.answers.filter(response="", does_not_apply=False).exists()
    sheets = open_selection.score_sheets.filter(submitted_at__isnull=False)
    assert sorted(sheets.values_list("evaluator__username", flat=True)) == ["manager", "qa"]
    for sheet in sheets:
        assert sheet.scores.count() == 3 * open_selection.criteria.count()

    awarded = Selection.objects.get(status=SelectionStatus.AWARDED)
    assert awarded.awarded_by.username == "manager" and awarded.decision_note
    winner = awarded.candidates.get(status=CandidateStatus.AWARDED)
    assert winner.vendor.status == VendorStatus.ONBOARDING
    assert winner.vendor.contracts.get().reference == awarded.reference
    assert winner.vendor.onboarding.tasks.exists()
    assert winner.vendor.certifications.exists()
    assert winner.vendor.slas.get().targets.count() == awarded.objectives.count()
    assert set(awarded.candidates.exclude(pk=winner.pk).values_list("status", flat=True)) == {"closed"}


def test_builds_on_a_database_without_the_shipped_defaults():
    """A flushed database (the browser tests') has lost what the data migrations ship: the demo puts
    back the criteria template, the question bank and the onboarding template its selections use."""
    for model in (TemplateCriterion, DiligenceQuestion, OnboardingTemplate):
        model.objects.all().delete()
    seed()
    evaluating = Selection.objects.get(status=SelectionStatus.EVALUATING)
    assert evaluating.criteria.count() == TemplateCriterion.objects.count() > 0
    assert (
        evaluating.candidates.first().questionnaire.answers.count() == DiligenceQuestion.objects.count() > 0
    )
    assert Selection.objects.get(status=SelectionStatus.AWARDED).candidates.filter(status="awarded").exists()


def test_running_twice_duplicates_nothing():
    seed()
    first = row_counts()
    seed()
    assert row_counts() == first


def test_scales_up_with_options():
    seed("--vendors", "40", "--months", "3")
    assert Vendor.objects.count() == 40 + len(PROSPECTS)
    assert Vendor.objects.filter(staff_profiles__user__username="staff-vendor-0040-ltd").exists()


def test_prints_the_logins(capsys):
    call_command("seed_demo", "--today", "2026-11-15")
    out = capsys.readouterr().out
    assert "password 'demo'" in out
    assert "manager" in out
    assert "staff-northwind-contact" in out


def test_costs_price_every_contract_and_invoice_a_year_mostly_approved():
    seed()
    vendors = Vendor.objects.filter(slas__name="Service levels").distinct()
    assert vendors.count() == 6
    kinds = {"per_fte": "per_fte", "per_transaction": "per_unit", "fixed": "fixed_fee"}
    for vendor in vendors:
        contract = vendor.invoices.first().contract
        assert contract.price_terms.filter(kind=kinds[contract.pricing_model]).exists(), vendor
        assert vendor.invoices.count() == 12
        assert vendor.invoices.filter(status=InvoiceStatus.APPROVED).count() == 11
        assert vendor.budgets.filter(year=2026).exists()
    per_unit = PriceTerm.objects.filter(kind="per_unit")
    assert per_unit.exists() and all(term.tiers.count() == 2 for term in per_unit)
    assert set(ExchangeRate.objects.values_list("currency", flat=True)) == {"USD", "GBP"}
    assert ValueBaseline.objects.count() == Service.objects.count()
    assert portfolio_value(vendors=Vendor.objects.all(), today=TODAY).savings_to_date > 0


def test_costs_hold_exactly_three_planted_problems():
    seed()
    not_priced = ~Exists(
        PriceTerm.objects.filter(contract=OuterRef("invoice__contract"), category=OuterRef("category"))
    )
    hidden_fees = InvoiceLine.objects.exclude(category="service-credit").filter(not_priced)
    assert list(hidden_fees.values_list("invoice__vendor__slug", "category")) == [
        ("atlas-back-office", "reporting-platform")
    ]
    above = Exists(
        PriceTerm.objects.filter(
            contract=OuterRef("invoice__contract"),
            category=OuterRef("category"),
            unit_price__lt=OuterRef("unit_price"),
        )
    )
    assert list(InvoiceLine.objects.filter(above).values_list("invoice__vendor__slug", "unit_price")) == [
        ("northwind-contact", Decimal("2650.00"))
    ]
    unapplied = [
        invoice
        for invoice in Invoice.objects.select_related("vendor")
        if vendor_scorecard(invoice.vendor, invoice.period).service_credits > 0
        and not invoice.lines.filter(category="service-credit").exists()
    ]
    assert len(unapplied) == 1 and unapplied[0].status == InvoiceStatus.RECEIVED
    assert InvoiceLine.objects.filter(category="service-credit").count() > 3


def test_costs_on_a_later_day_add_honest_invoices_only():
    seed()
    call_command("seed_demo", "--today", "2026-12-15", verbosity=0)
    assert InvoiceLine.objects.filter(category="reporting-platform").count() == 1
    assert Invoice.objects.filter(period="2026-11-01").count() == 6


def test_the_reconciliation_finds_exactly_the_three_planted_problems_in_a_year_of_invoices():
    """The demo builds its invoices itself; the engine must agree that every other line is honest."""
    seed()
    found = [
        (month_of.vendor.slug, discrepancy.kind)
        for period in sorted(set(Invoice.objects.values_list("period", flat=True)))
        for month_of in reconcile_month(period)
        for reconciliation in month_of.reconciliations
        for discrepancy in reconciliation.discrepancies
    ]
    assert sorted(found) == [
        ("atlas-back-office", DiscrepancyKind.FEE_NOT_IN_CONTRACT),
        ("keystroke-data-services", DiscrepancyKind.CREDIT_NOT_APPLIED),
        ("northwind-contact", DiscrepancyKind.RATE_ABOVE_CONTRACT),
    ]

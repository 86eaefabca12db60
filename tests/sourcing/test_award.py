"""The award: the winner becomes an onboarding vendor in one transaction, the others are closed, and any
failure leaves everything as it was. Then the award page, the decision record and the vendor page."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpis.models import SLA, SLATarget
from sourcing.award import add_months, selection_award
from sourcing.models import CandidateStatus, QuestionnaireStatus, Score, ScoreSheet, SelectionStatus
from tests.factories import (
    ContractFactory,
    OnboardingTemplateFactory,
    ServiceFactory,
    TemplateActivityFactory,
)
from tests.sourcing import builders_award as build
from tests.sourcing.factories import CandidateFactory, SelectionFactory
from vendors.models import Certification, OnboardingPlan, OnboardingTemplate, PricingModel, VendorStatus

pytestmark = pytest.mark.django_db
GO_LIVE = date(2027, 3, 1)
DOMAIN_APPS = {"vendors", "kpis", "reviews", "alerts", "sourcing"}


@pytest.fixture
def selection(manager, qa):
    selection = SelectionFactory(
        reference="rfp-2027-support",
        title="Customer support 2027",
        owner=manager,
        status=SelectionStatus.EVALUATING,
        contract_months=24,
        service=ServiceFactory(code="email-support", name="Email support"),
        evaluators=[manager, qa],
    )
    build.objective(selection, "csat", "85", "82", "78")
    build.objective(selection, "aht", "300", "330", "360")
    return selection


@pytest.fixture
def winner(selection, manager):
    candidate = CandidateFactory(
        selection=selection,
        vendor__name="Orbit Contact",
        vendor__slug="orbit-contact",
        pricing_model=PricingModel.PER_FTE,
        unit_price=Decimal("3200"),
        quoted_monthly_fee=Decimal("38400"),
        setup_fee=Decimal("15000"),
        currency="EUR",
    )
    questionnaire = build.questionnaire(candidate, sent_by=manager, status=QuestionnaireStatus.ACCEPTED)
    build.claim(questionnaire, added_by=manager)
    return candidate


@pytest.fixture
def others(selection):
    return [
        CandidateFactory(selection=selection, vendor__name="Pioneer BPO", vendor__slug="pioneer-bpo"),
        CandidateFactory(selection=selection, vendor__name="Quartz Services", vendor__slug="quartz-services"),
    ]


def award(selection, candidate, by, **overrides):
    arguments = {
        "go_live": GO_LIVE,
        "template": None,
        "closing_reason": "Higher price for the same service levels.",
        "note": "Best scores on quality and security; references confirmed.",
        **overrides,
    }
    return selection_award(selection=selection, candidate=candidate, by=by, **arguments)


def snapshot(selection):
    """Every domain table's row count and the states an award changes: equal before and after a failed
    one (sessions and login records are left out: the page tests log in in between)."""
    counts = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS
    }
    selection.refresh_from_db()
    candidates = sorted(selection.candidates.values_list("pk", "status", "closed_reason", "vendor__status"))
    services = sorted(selection.candidates.values_list("vendor__services__code", flat=True), key=str)
    return counts, selection.status, selection.awarded_at, selection.decision_note, candidates, services


def test_the_winner_becomes_an_onboarding_vendor_with_contract_sla_checklist_and_certifications(
    selection, winner, others, manager
):
    award(selection, winner, manager)
    vendor = winner.vendor
    vendor.refresh_from_db()
    assert vendor.status == VendorStatus.ONBOARDING
    assert list(vendor.services.values_list("code", flat=True)) == ["email-support"]

    contract = vendor.contracts.get()
    assert (contract.reference, contract.start_date, contract.end_date) == (
        "rfp-2027-support",
        GO_LIVE,
        date(2029, 3, 1),
    )
    assert (contract.pricing_model, contract.monthly_fee, contract.currency) == (
        PricingModel.PER_FTE,
        Decimal("38400"),
        "EUR",
    )
    assert contract.value == Decimal("38400") * 24 + Decimal("15000")

    sla = SLA.objects.get(vendor=vendor)
    assert sla.contract == contract
    targets = {
        t.kpi.code: (t.target, t.warning_threshold, t.breach_threshold, t.effective_from)
        for t in sla.targets.all()
    }
    assert targets == {
        "csat": (Decimal("85"), Decimal("82"), Decimal("78"), GO_LIVE),
        "aht": (Decimal("300"), Decimal("330"), Decimal("360"), GO_LIVE),
    }

    plan = OnboardingPlan.objects.get(vendor=vendor)
    default = OnboardingTemplate.objects.get(is_default=True)
    assert (plan.template, plan.go_live, plan.created_by) == (default, GO_LIVE, manager)
    assert plan.tasks.count() == default.activities.count() > 0

    [certification] = Certification.objects.filter(vendor=vendor)
    [claim] = winner.questionnaire.certifications.all()
    assert (certification.kind, certification.reference, certification.expires_on) == (
        claim.kind,
        claim.reference,
        claim.expires_on,
    )
    assert certification.evidence.name != claim.evidence.name
    assert certification.evidence.read() == claim.evidence.read() == b"%PDF-1.4 ISO cert"


def test_the_others_are_closed_with_the_reason_and_the_decision_is_recorded(
    selection, winner, others, manager
):
    closed_before = CandidateFactory(
        selection=selection, status=CandidateStatus.CLOSED, closed_reason="Withdrew in November."
    )
    award(selection, winner, manager)
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.AWARDED
    assert selection.awarded_by == manager and selection.awarded_at is not None
    assert selection.decision_note == "Best scores on quality and security; references confirmed."
    assert selection.history.first().history_user == manager
    statuses = dict(selection.candidates.values_list("pk", "status"))
    assert statuses == {
        winner.pk: CandidateStatus.AWARDED,
        others[0].pk: CandidateStatus.CLOSED,
        others[1].pk: CandidateStatus.CLOSED,
        closed_before.pk: CandidateStatus.CLOSED,
    }
    others[0].refresh_from_db()
    closed_before.refresh_from_db()
    assert others[0].closed_reason == "Higher price for the same service levels."
    assert others[0].history.first().history_user == manager
    assert closed_before.closed_reason == "Withdrew in November."
    assert winner.vendor.contracts.get().history.first().history_user == manager


def test_a_chosen_template_is_used_and_a_candidate_without_questionnaire_records_no_certification(
    selection, others, manager
):
    template = OnboardingTemplateFactory(name="Light onboarding")
    TemplateActivityFactory(template=template, title="Kick-off", due_offset_days=-7)
    award(selection, others[0], manager, template=template)
    plan = OnboardingPlan.objects.get(vendor=others[0].vendor)
    assert plan.template == template
    assert list(plan.tasks.values_list("title", "due_date")) == [("Kick-off", date(2027, 2, 22))]
    assert not Certification.objects.filter(vendor=others[0].vendor).exists()


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2027, 3, 1), 24, date(2029, 3, 1)),
        (date(2027, 1, 31), 1, date(2027, 2, 28)),
        (date(2027, 11, 15), 3, date(2028, 2, 15)),
    ],
)
def test_the_contract_term_is_counted_in_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


# Failures roll everything back


def test_a_contract_reference_the_vendor_already_uses_changes_nothing(selection, winner, others, manager):
    ContractFactory(vendor=winner.vendor, reference="rfp-2027-support")
    before = snapshot(selection)
    with pytest.raises(ValidationError, match="Reference already exists"):
        award(selection, winner, manager)
    assert snapshot(selection) == before


def test_no_onboarding_template_changes_nothing(selection, winner, others, manager):
    OnboardingTemplate.objects.update(is_default=False)
    before = snapshot(selection)
    with pytest.raises(ValidationError, match="no default onboarding template"):
        award(selection, winner, manager)
    assert snapshot(selection) == before
    assert not SLATarget.objects.exists()


def test_an_objective_whose_thresholds_contradict_its_kpi_changes_nothing(selection, winner, manager):
    build.objective(selection, "fcr", target="80", warning="85", breach="70")  # higher is better
    before = snapshot(selection)
    with pytest.raises(ValidationError, match="warning threshold"):
        award(selection, winner, manager)
    assert snapshot(selection) == before


@pytest.mark.parametrize(
    "status",
    [SelectionStatus.DRAFT, SelectionStatus.OPEN, SelectionStatus.AWARDED, SelectionStatus.CANCELLED],
)
def test_only_a_selection_being_evaluated_is_awarded(selection, winner, manager, status):
    selection.status = status
    selection.awarded_at, selection.awarded_by = (
        ("2026-12-01T10:00Z", manager) if status == "awarded" else (None, None)
    )
    selection.cancelled_reason = "Budget withdrawn." if status == "cancelled" else ""
    selection.save()
    before = snapshot(selection)
    with pytest.raises(ValidationError, match="only a selection being evaluated"):
        award(selection, winner, manager)
    assert snapshot(selection) == before


def test_a_candidate_of_another_selection_or_a_closed_one_is_refused(selection, winner, manager):
    stranger = CandidateFactory(selection=SelectionFactory(owner=manager))
    with pytest.raises(ValidationError, match="not part of this selection"):
        award(selection, stranger, manager)
    winner.status, winner.closed_reason = CandidateStatus.CLOSED, "Failed due diligence."
    winner.save()
    with pytest.raises(ValidationError, match="is closed"):
        award(selection, winner, manager)
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.EVALUATING


def test_closing_the_others_needs_a_reason(selection, winner, others, manager):
    before = snapshot(selection)
    with pytest.raises(ValidationError, match="reason the other candidates"):
        award(selection, winner, manager, closing_reason="  ")
    assert snapshot(selection) == before


def test_a_sole_candidate_needs_no_reason(selection, winner, manager):
    award(selection, winner, manager, closing_reason="")
    winner.refresh_from_db()
    assert winner.status == CandidateStatus.AWARDED


# The award page


def award_data(chosen, **overrides):
    return {
        "candidate": chosen.pk,
        "go_live": "2027-03-01",
        "template": OnboardingTemplate.objects.get(is_default=True).pk,
        "closing_reason": "Higher price.",
        "note": "Best overall.",
        **overrides,
    }


def test_the_award_page_shows_each_candidates_quote_and_questionnaire(
    client_for, selection, winner, others, manager
):
    page = client_for(manager).get(reverse("sourcing:award", kwargs={"pk": selection.pk})).content.decode()
    assert "Orbit Contact" in page and "Pioneer BPO" in page and "Quartz Services" in page
    assert "38,400 EUR/month" in page
    assert "Accepted" in page and "Not sent" in page
    assert "Standard BPO onboarding" in page


def test_only_the_manager_awards_for_the_award_drafts_the_contract_at_the_quoted_fees(
    client_for, selection, winner, others, pm
):
    with pytest.raises(PermissionDenied):
        selection_award(selection=selection, candidate=winner, by=pm, go_live=date(2027, 3, 1))
    assert (
        client_for(pm)
        .post(reverse("sourcing:award", kwargs={"pk": selection.pk}), award_data(winner))
        .status_code
        == 403
    )
    page = client_for(pm).get(reverse("sourcing:decision", kwargs={"pk": selection.pk})).content.decode()
    assert reverse("sourcing:award", kwargs={"pk": selection.pk}) not in page
    assert "38,400" not in page and "the quote is shown to the BPO manager" in page
    selection.refresh_from_db()
    winner.vendor.refresh_from_db()
    assert selection.status == SelectionStatus.EVALUATING and winner.vendor.status == VendorStatus.PROSPECT


def test_awarding_from_the_page_leads_to_the_decision_record(client_for, selection, winner, others, manager):
    client = client_for(manager)
    response = client.post(reverse("sourcing:award", kwargs={"pk": selection.pk}), award_data(winner))
    assert response.status_code == 302
    assert response.url == reverse("sourcing:decision", kwargs={"pk": selection.pk})
    winner.vendor.refresh_from_db()
    assert winner.vendor.status == VendorStatus.ONBOARDING
    page = client.get(response.url).content.decode()
    assert "Awarded to Orbit Contact" in page


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"candidate": ""}, "Choose the candidate that wins"),
        ({"go_live": ""}, "Enter the go-live date"),
        ({"closing_reason": ""}, "Give the reason the other candidates were not chosen."),
        ({"note": ""}, "Write down why this candidate was chosen."),
    ],
)
def test_bad_input_re_renders_with_errors_and_changes_nothing(
    client_for, selection, winner, others, manager, overrides, error
):
    before = snapshot(selection)
    url = reverse("sourcing:award", kwargs={"pk": selection.pk})
    response = client_for(manager).post(url, award_data(winner, **overrides))
    assert response.status_code == 200
    assert error in response.content.decode()
    assert snapshot(selection) == before


def test_a_failing_award_says_why_on_the_page(client_for, selection, winner, others, manager):
    ContractFactory(vendor=winner.vendor, reference="rfp-2027-support")
    before = snapshot(selection)
    url = reverse("sourcing:award", kwargs={"pk": selection.pk})
    response = client_for(manager).post(url, award_data(winner))
    assert response.status_code == 200
    assert "Reference already exists" in response.content.decode()
    assert snapshot(selection) == before


def test_an_awarded_selection_cannot_be_awarded_again(client_for, selection, winner, others, manager):
    award(selection, winner, manager)
    client = client_for(manager)
    url = reverse("sourcing:award", kwargs={"pk": selection.pk})
    assert "it cannot be awarded" in client.get(url).content.decode()
    before = snapshot(selection)
    response = client.post(url, award_data(others[0]))
    assert response.status_code == 200
    assert "it cannot be awarded" in response.content.decode()
    assert snapshot(selection) == before


# The decision record and the vendor page


def test_the_decision_record_shows_who_decided_when_the_outcomes_quotes_documents_and_diligence(
    client_for, selection, winner, others, manager, qa
):
    build.document(winner, uploaded_by=manager, name="orbit-proposal.pdf")
    award(selection, winner, manager)
    page = client_for(qa).get(reverse("sourcing:decision", kwargs={"pk": selection.pk})).content.decode()
    assert "Decided by <strong>Maya Brennan</strong>" in page
    assert "Best scores on quality and security" in page
    assert "Higher price for the same service levels." in page
    assert "orbit-proposal.pdf" in page
    assert "38,400" not in page  # the quote is the manager's to see
    manager_page = client_for(manager).get(reverse("sourcing:decision", kwargs={"pk": selection.pk}))
    assert "38,400 EUR/month" in manager_page.content.decode()
    assert "Accepted" in page and "ISO/IEC 27001" in page
    assert "now SLA targets" in page


def test_a_selection_not_yet_decided_says_so_and_offers_the_award_to_managers(
    client_for, selection, winner, qa, manager
):
    url = reverse("sourcing:decision", kwargs={"pk": selection.pk})
    page = client_for(qa).get(url).content.decode()
    assert "Not decided yet" in page
    assert reverse("sourcing:award", kwargs={"pk": selection.pk}) not in page
    page = client_for(manager).get(url).content.decode()
    assert reverse("sourcing:award", kwargs={"pk": selection.pk}) in page


def decision_queries(client, selection, manager, candidates):
    for _ in range(candidates):
        candidate = CandidateFactory(selection=selection)
        build.document(candidate, uploaded_by=manager)
        questionnaire = build.questionnaire(candidate, sent_by=manager, status=QuestionnaireStatus.SUBMITTED)
        build.claim(questionnaire, added_by=manager, evidence=b"")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("sourcing:decision", kwargs={"pk": selection.pk})).status_code == 200
    return len(queries)


# session, user, profile, selection, candidates (with vendor and questionnaire), documents, claims,
# objectives, and the blind rule (the viewer's sheet, whether they evaluate: here they may not see scores)
DECISION_QUERIES = 10


@pytest.mark.parametrize("candidates", [3, 30])
def test_the_decision_record_queries_do_not_grow(client_for, selection, manager, candidates):
    assert decision_queries(client_for(manager), selection, manager, candidates) == DECISION_QUERIES


def test_the_vendor_page_links_internal_users_to_how_the_vendor_was_chosen(
    client_for, selection, winner, others, manager, qa
):
    award(selection, winner, manager)
    decision_url = reverse("sourcing:decision", kwargs={"pk": selection.pk})
    for person in (manager, qa):
        page = client_for(person).get(winner.vendor.get_absolute_url()).content.decode()
        assert "How this vendor was chosen" in page and decision_url in page
    loser = client_for(manager).get(others[0].vendor.get_absolute_url()).content.decode()
    assert "How this vendor was chosen" not in loser


def test_the_vendors_own_staff_do_not_see_the_decision_record(client, selection, winner, manager):
    from tests.factories import make_user

    award(selection, winner, manager)
    staff = make_user("orbit-staff", "vendor_staff", vendor=winner.vendor)
    client.force_login(staff)
    page = client.get(winner.vendor.get_absolute_url()).content.decode()
    assert "How this vendor was chosen" not in page
    assert client.get(reverse("sourcing:decision", kwargs={"pk": selection.pk})).status_code == 403


def test_the_decision_record_links_to_the_comparison_the_documents_and_the_answers(
    client_for, selection, winner, manager
):
    document = build.document(winner, uploaded_by=manager)
    page = client_for(manager).get(reverse("sourcing:decision", kwargs={"pk": selection.pk})).content.decode()
    assert f'href="{reverse("sourcing:compare", kwargs={"pk": selection.pk})}"' in page
    assert f'href="{reverse("sourcing:document", kwargs={"pk": document.pk})}"' in page
    assert f'href="{reverse("sourcing:questionnaire", kwargs={"pk": winner.questionnaire.pk})}"' in page
    assert f'href="{reverse("sourcing:detail", kwargs={"pk": selection.pk})}"' in page


def test_claims_of_a_questionnaire_nobody_accepted_stay_claims(selection, winner, manager):
    winner.questionnaire.status = QuestionnaireStatus.SUBMITTED
    winner.questionnaire.save()
    award(selection, winner, manager)
    assert not Certification.objects.filter(vendor=winner.vendor).exists()


def test_after_the_award_the_decision_record_shows_the_weighted_totals_to_every_internal_user(
    client_for, selection, winner, others, manager, qa
):
    sheet = ScoreSheet.objects.create(selection=selection, evaluator=manager, submitted_at=timezone.now())
    Score.objects.bulk_create(
        Score(sheet=sheet, candidate=candidate, criterion=criterion, value=5 if candidate == winner else 2)
        for candidate in selection.candidates.all()
        for criterion in selection.criteria.all()
    )
    url = reverse("sourcing:decision", kwargs={"pk": selection.pk})
    assert "Weighted totals" not in client_for(qa).get(url).content.decode()
    award(selection, winner, manager)
    page = client_for(qa).get(url).content.decode()
    assert "Weighted totals from 1 submitted score sheet" in page
    assert "5.00" in page or "5.0" in page

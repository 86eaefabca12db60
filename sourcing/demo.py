"""Demo selections: one being evaluated (three prospects with quotes, the manager's and QA's submitted
score sheets, answered questionnaires with certification claims), and one awarded whose winner is
onboarding (through `selection_award`, as the award page does it).

Idempotent: each selection is built once, by its reference. Its dates sit where the daily job has
nothing to say on the reference date (decision more than REMINDER_DAYS away, go-live far enough that no
onboarding task is due), because the alerts demo runs before this one: an alert raised only on a second
run would break "running twice changes nothing".
"""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import Profile, Role
from bporeg.uploads import sample_bytes
from kpis.models import KPI
from sourcing.award import selection_award
from sourcing.models import (
    Answer,
    CandidateSource,
    CandidateStatus,
    CertificationClaim,
    Criterion,
    DiligenceQuestion,
    DocumentKind,
    Objective,
    ProposalDocument,
    Questionnaire,
    QuestionnaireStatus,
    Score,
    ScoreSheet,
    Selection,
    SelectionStatus,
    TemplateCriterion,
)
from vendors.models import CertificationKind, PricingModel, Service, Vendor, VendorStatus

# name, locations, time zone, languages
PROSPECTS = [
    ("Lumen CX", "Riga, Vilnius", "Europe/Riga", "English, Swedish, Finnish, Latvian"),
    ("Fjord Contact", "Tallinn", "Europe/Tallinn", "English, Norwegian, Danish, Estonian"),
    ("Harbor Point BPO", "Dublin, Cork", "Europe/Dublin", "English, German, French"),
    ("Solace Claims Services", "Porto", "Europe/Lisbon", "English, Portuguese, Spanish"),
]
# vendor, source, pricing model, unit price, monthly fee, setup fee, scores per criterion (template order)
NORDIC_CANDIDATES = [
    ("Lumen CX", CandidateSource.RFP, PricingModel.PER_FTE, 3400, 54400, 18000, [4, 5, 4, 5, 5, 3, 4]),
    (
        "Fjord Contact",
        CandidateSource.REFERRAL,
        PricingModel.PER_TRANSACTION,
        2.9,
        43500,
        9000,
        [3, 3, 3, 2, 4, 5, 3],
    ),
    (
        "Harbor Point BPO",
        CandidateSource.PRE_VETTED,
        PricingModel.PER_FTE,
        3100,
        49600,
        12000,
        [4, 4, 3, 4, 3, 4, 4],
    ),
]
CLAIMS_CANDIDATES = [
    (
        "Solace Claims Services",
        CandidateSource.MARKET_RESEARCH,
        PricingModel.PER_TRANSACTION,
        1.8,
        31500,
        12000,
        [5, 4, 4, 5, 4, 4, 5],
    ),
    (
        "Harbor Point BPO",
        CandidateSource.RFP,
        PricingModel.PER_FTE,
        2900,
        34800,
        15000,
        [3, 4, 3, 4, 3, 3, 4],
    ),
]
# KPI code, target, warning, breach
NORDIC_OBJECTIVES = [("csat", 88, 85, 80), ("fcr", 75, 70, 65), ("aht", 360, 390, 420)]
CLAIMS_OBJECTIVES = [("error-rate", "1.5", "2", "3"), ("service-level", 95, 92, 90)]
CLAIM_KINDS = [CertificationKind.ISO_27001, CertificationKind.GDPR_DPA, CertificationKind.PCI_DSS]


def _slug(name):
    return name.lower().replace(" ", "-")


def seed(ctx):
    _shipped_defaults()
    manager, qa = ctx.users["manager"], ctx.users["qa"]
    prospects = _seed_prospects(ctx, manager)
    _seed_nordic_selection(ctx, manager, qa, prospects)
    _seed_claims_selection(ctx, manager, qa, prospects)


def _shipped_defaults():
    """The criteria template, question bank and onboarding template the migrations ship, which the demo
    selections and their award build on. A flushed database (the browser tests') has lost them; both
    functions are idempotent, as kpis' demo installing the standard KPIs is."""
    import_module("sourcing.migrations.0003_default_criteria_and_questions").add_defaults(apps, None)
    import_module("vendors.migrations.0003_default_onboarding_template").create_default(apps, None)


def _seed_prospects(ctx, manager):
    vendors = {}
    for name, locations, time_zone, languages in PROSPECTS:
        vendors[name], _ = Vendor.objects.get_or_create(
            slug=_slug(name),
            defaults={
                "name": name,
                "locations": locations,
                "time_zone": time_zone,
                "languages": languages,
                "status": VendorStatus.PROSPECT,
                "owner": manager,
            },
        )
        username = f"staff-{vendors[name].slug}"
        user, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={
                "email": f"{username}@vendor.example",
                "password": ctx.password_hash,
                "first_name": "Bid",
                "last_name": name.split()[0],
            },
        )
        Profile.objects.get_or_create(
            user=user,
            defaults={"role": Role.VENDOR_STAFF, "vendor": vendors[name], "job_title": "Bid manager"},
        )
        ctx.users[username] = user
    ctx.logins.append(f"{'staff-lumen-cx':<28} Vendor staff, Lumen CX (a candidate)")
    return vendors


def _selection(ctx, manager, qa, *, reference, service_code, days_to_decision, objectives, **fields):
    """The selection with the template's criteria and its objectives; None when it exists already."""
    if Selection.objects.filter(reference=reference).exists():
        return None
    decision = ctx.today + timedelta(days=days_to_decision)
    selection = Selection.objects.create(
        reference=reference,
        service=Service.objects.get(code=service_code),
        questions_due=decision - timedelta(days=35),
        proposals_due=decision - timedelta(days=20),
        decision_date=decision,
        owner=manager,
        status=SelectionStatus.EVALUATING,
        **fields,
    )
    selection.evaluators.set([manager, qa])
    Criterion.objects.bulk_create(
        Criterion.from_template(selection, template) for template in TemplateCriterion.objects.all()
    )
    kpis = KPI.objects.in_bulk([code for code, *_ in objectives], field_name="code")
    Objective.objects.bulk_create(
        Objective(
            selection=selection,
            kpi=kpis[code],
            target=Decimal(str(target)),
            warning_threshold=Decimal(str(warning)),
            breach_threshold=Decimal(str(breach)),
        )
        for code, target, warning, breach in objectives
    )
    return selection


def _candidate(selection, vendor, source, pricing_model, unit_price, monthly, setup, manager):
    candidate = selection.candidates.create(
        vendor=vendor,
        source=source,
        status=CandidateStatus.PROPOSAL_RECEIVED,
        industry_experience=f"{vendor.name} has served retail and travel brands across Europe for years.",
        references="Two clients called: both praised the onboarding and the weekly reporting.",
        case_studies="Moved a 60-agent email and chat team in eight weeks without a dip in CSAT.",
        pricing_model=pricing_model,
        unit_price=Decimal(str(unit_price)),
        quoted_monthly_fee=Decimal(monthly),
        setup_fee=Decimal(setup),
        quote_notes="Prices fixed for the first twelve months, then indexed to local inflation.",
    )
    document = ProposalDocument(candidate=candidate, kind=DocumentKind.PROPOSAL, uploaded_by=manager)
    document.name = f"{vendor.slug}-proposal.pdf"
    document.file.name = default_storage.save(
        f"proposals/demo/{selection.reference}/{document.name}", ContentFile(sample_bytes("pdf"))
    )
    document.save()
    return candidate


def _answered_questionnaire(ctx, candidate, manager, claim_kind, expires_in_days):
    """Every question of the bank answered by the candidate's staff, submitted, one certification claimed."""
    staff = ctx.users[f"staff-{candidate.vendor.slug}"]
    now = timezone.now()
    questionnaire = Questionnaire.objects.create(
        candidate=candidate,
        due_date=candidate.selection.proposals_due,
        status=QuestionnaireStatus.SUBMITTED,
        sent_by=manager,
        submitted_at=now,
        submitted_by=staff,
    )
    answers = []
    for question in DiligenceQuestion.objects.filter(retired=False):
        answer = Answer.from_question(
            questionnaire,
            question,
            does_not_apply=question.may_not_apply and "HIPAA" in question.text,
            response="" if question.may_not_apply and "HIPAA" in question.text else _response(question),
            answered_at=now,
            answered_by=staff,
        )
        if question.evidence_required:
            answer.evidence_name = f"{question.topic}.pdf"
            answer.evidence.name = default_storage.save(
                f"diligence/demo/{candidate.vendor.slug}/{question.topic}.pdf",
                ContentFile(sample_bytes("pdf")),
            )
        answers.append(answer)
    Answer.objects.bulk_create(answers)
    claim = CertificationClaim(
        questionnaire=questionnaire,
        kind=claim_kind,
        reference=f"{candidate.vendor.name.split()[0].upper()}-{claim_kind.upper()}-2025",
        issued_on=ctx.today - timedelta(days=300),
        expires_on=ctx.today + timedelta(days=expires_in_days),
        added_by=staff,
    )
    claim.evidence.name = default_storage.save(
        f"diligence/demo/{candidate.vendor.slug}/{claim_kind}.pdf", ContentFile(sample_bytes("pdf"))
    )
    claim.save()
    return questionnaire


def _response(question):
    return {
        "data_protection": "Role-based access, reviewed monthly; data stays in EU data centres.",
        "encryption": "TLS 1.2+ in transit; AES-256 at rest with keys in a managed HSM.",
        "security_testing": "Yearly external penetration test and ISO 27001 surveillance audit.",
        "incident_response": "A 24/7 incident desk; clients hear of a data breach within 24 hours.",
        "background_checks": "Identity, criminal record and reference checks before the first shift.",
        "regulation": "Covered by our data processing agreement and the yearly compliance review.",
        "certifications": "See the certificates attached.",
    }[question.topic]


def _submitted_sheet(selection, evaluator, candidates, scores_of, lean):
    """The evaluator's scores, submitted: QA leans a point stricter on a few criteria, so the comparison
    shows where the evaluators disagree."""
    sheet = ScoreSheet.objects.create(selection=selection, evaluator=evaluator, submitted_at=timezone.now())
    criteria = list(selection.criteria.all())
    Score.objects.bulk_create(
        Score(
            sheet=sheet,
            candidate=candidate,
            criterion=criterion,
            value=max(1, min(5, scores_of[candidate.pk][index] - (lean if index % 3 == 0 else 0))),
            comment=""
            if index % 2
            else f"{criterion.name}: as seen in the proposal and the reference calls.",
        )
        for candidate in candidates
        for index, criterion in enumerate(criteria)
    )


def _seed_nordic_selection(ctx, manager, qa, prospects):
    selection = _selection(
        ctx,
        manager,
        qa,
        reference="rfp-nordic-support",
        title="Customer support for the Nordic launch",
        service_code="customer-support",
        days_to_decision=12,
        objectives=NORDIC_OBJECTIVES,
        scope="Email and chat support in Swedish, Norwegian, Danish and Finnish; complaints stay in house.",
        monthly_volume=9000,
        volume_notes="Launch peak of 14,000 contacts in the first two months.",
        languages="Swedish, Norwegian, Danish, Finnish, English",
        time_zones="Europe/Stockholm, Europe/Helsinki",
        budget=Decimal("650000"),
        contract_months=24,
    )
    if selection is None:
        return
    candidates, scores_of = [], {}
    for index, (name, source, pricing, unit, monthly, setup, scores) in enumerate(NORDIC_CANDIDATES):
        candidate = _candidate(selection, prospects[name], source, pricing, unit, monthly, setup, manager)
        _answered_questionnaire(ctx, candidate, manager, CLAIM_KINDS[index], expires_in_days=500)
        candidates.append(candidate)
        scores_of[candidate.pk] = scores
    _submitted_sheet(selection, manager, candidates, scores_of, lean=0)
    _submitted_sheet(selection, qa, candidates, scores_of, lean=1)


def _seed_claims_selection(ctx, manager, qa, prospects):
    selection = _selection(
        ctx,
        manager,
        qa,
        reference="rfp-claims-processing",
        title="Back-office claims processing",
        service_code="back-office",
        days_to_decision=-20,
        objectives=CLAIMS_OBJECTIVES,
        scope="Insurance claims intake, validation and data entry; payment approval stays in house.",
        monthly_volume=22000,
        languages="English, Portuguese",
        time_zones="Europe/Lisbon",
        budget=Decimal("420000"),
        contract_months=36,
    )
    if selection is None:
        return
    candidates, scores_of = [], {}
    for name, source, pricing, unit, monthly, setup, scores in CLAIMS_CANDIDATES:
        candidate = _candidate(selection, prospects[name], source, pricing, unit, monthly, setup, manager)
        candidates.append(candidate)
        scores_of[candidate.pk] = scores
    _submitted_sheet(selection, manager, candidates, scores_of, lean=0)
    _submitted_sheet(selection, qa, candidates, scores_of, lean=1)
    winner = candidates[0]
    # Far from expiry: the certification the award records raises no alert on the reference date.
    questionnaire = _answered_questionnaire(
        ctx, winner, manager, CertificationKind.ISO_27001, expires_in_days=700
    )
    questionnaire.status, questionnaire.reviewed_at, questionnaire.reviewed_by = (
        QuestionnaireStatus.ACCEPTED,
        timezone.now(),
        manager,
    )
    questionnaire.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    selection_award(
        selection=selection,
        candidate=winner,
        by=manager,
        # Every task of the default template is due after the alert horizon (the earliest is 60 days
        # before go-live, and "due soon" starts ALERT_DUE_SOON_DAYS before that).
        go_live=ctx.today + timedelta(days=90),
        closing_reason="Higher cost per claim, and no Portuguese-speaking team leads.",
        note="Best accuracy in the pilot batch, accepted due diligence, within budget over 36 months.",
    )

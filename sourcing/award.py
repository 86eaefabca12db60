"""The award: the chosen candidate becomes an onboarding vendor, the others are closed, in one transaction.

`selection_award` drafts the contract from the winner's quote, turns the selection's objectives into the
targets of an SLA under it, starts onboarding from a template, adds the selection's service to the
vendor and records the certifications the candidate claimed in its due-diligence questionnaire. Any
failure (a contract reference the vendor already uses, no onboarding template, a target whose
thresholds contradict its KPI) rolls all of it back: the selection stays as it was, still to decide.
"""

import calendar
import os
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from bporeg.access import require_manager
from kpis.models import SLA, SLATarget
from sourcing.models import (
    Candidate,
    CandidateStatus,
    ProposalDocument,
    QuestionnaireStatus,
    Selection,
    SelectionStatus,
)
from vendors.models import Certification, Contract, OnboardingPlan, OnboardingTemplate
from vendors.onboarding_services import onboarding_apply_template

# Awarded after the evaluation: an open selection is still collecting proposals and has no scores yet.
AWARDABLE = (SelectionStatus.EVALUATING,)
OPEN_CANDIDATES = (CandidateStatus.INVITED, CandidateStatus.PROPOSAL_RECEIVED)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def may_award(selection) -> bool:
    return selection.status in AWARDABLE


def _refuse_unless_awardable(selection, candidate, closing_reason):
    if not may_award(selection):
        raise ValidationError(
            f"This selection is {selection.get_status_display().lower()}: only a selection being "
            "evaluated can be awarded."
        )
    if candidate.selection_id != selection.pk:
        raise ValidationError("This candidate is not part of this selection.")
    if candidate.status not in OPEN_CANDIDATES:
        raise ValidationError(
            f"{candidate.vendor} is {candidate.get_status_display().lower()}: choose another."
        )
    if candidate.quoted_monthly_fee is None:
        raise ValidationError(f"{candidate.vendor} has no monthly fee in its quote: record the quote first.")
    others = selection.candidates.filter(status__in=OPEN_CANDIDATES).exclude(pk=candidate.pk)
    if not closing_reason.strip() and others.exists():
        raise ValidationError("Give the reason the other candidates were not chosen.")
    if OnboardingPlan.objects.filter(vendor_id=candidate.vendor_id).exists():
        raise ValidationError(f"{candidate.vendor}'s onboarding has already started.")


def _saved(record, by):
    """Validate (the model's constraints and clean(), with their messages) and save, recording who."""
    record.full_clean()
    record._history_user = by
    record.save()
    return record


def _draft_contract(selection, candidate, go_live, by):
    months = selection.contract_months
    contract = Contract(
        vendor=candidate.vendor,
        reference=selection.reference,
        start_date=go_live,
        end_date=add_months(go_live, months),
        pricing_model=candidate.pricing_model,
        monthly_fee=candidate.quoted_monthly_fee,
        currency=candidate.currency,
        value=candidate.quoted_monthly_fee * months + (candidate.setup_fee or Decimal(0)),
    )
    return _saved(contract, by)


def _sla_from_objectives(selection, contract, go_live, by):
    sla = _saved(SLA(vendor=contract.vendor, contract=contract, name=selection.title[:120]), by)
    for objective in selection.objectives.select_related("kpi"):
        target = SLATarget(
            sla=sla,
            kpi=objective.kpi,
            target=objective.target,
            warning_threshold=objective.warning_threshold,
            breach_threshold=objective.breach_threshold,
            effective_from=go_live,
        )
        _saved(target, by)
    return sla


def _record_certifications(candidate, by):
    """The claims of an accepted questionnaire become the vendor's certifications, each with its own copy
    of the file (the claim keeps its evidence: the due-diligence record must not change with the registry).
    Claims nobody reviewed, or in a rejected questionnaire, stay claims."""
    questionnaire = getattr(candidate, "questionnaire", None)
    if questionnaire is None or questionnaire.status != QuestionnaireStatus.ACCEPTED:
        return
    for claim in questionnaire.certifications.all():
        certification = Certification(
            vendor=candidate.vendor,
            kind=claim.kind,
            reference=claim.reference,
            issued_on=claim.issued_on,
            expires_on=claim.expires_on,
        )
        if claim.evidence:
            with claim.evidence.open("rb") as source:
                certification.evidence.save(
                    os.path.basename(claim.evidence.name), ContentFile(source.read()), save=False
                )
        # The claim passed the same checks (dates, the file's content) when the candidate added it.
        certification._history_user = by
        certification.save()


def _close_candidates(selection, winner, closing_reason, by):
    winner.status = CandidateStatus.AWARDED
    winner._history_user = by
    winner.save(update_fields=["status"])
    for other in selection.candidates.filter(status__in=OPEN_CANDIDATES).exclude(pk=winner.pk):
        other.status, other.closed_reason = CandidateStatus.CLOSED, closing_reason.strip()
        other._history_user = by
        other.save(update_fields=["status", "closed_reason"])


@transaction.atomic
def selection_award(*, selection, candidate, by, go_live, template=None, closing_reason="", note=""):
    """Award `selection` to `candidate`, all or nothing; raises ValidationError saying why it cannot.

    `template` is the onboarding template (the default one when None). Returns the awarded selection.
    The award drafts the contract at the quoted fees, a commitment of money: only a BPO manager awards.
    """
    require_manager(by)
    selection = Selection.objects.select_for_update().get(pk=selection.pk)
    candidate = Candidate.objects.select_related("vendor").get(pk=candidate.pk)
    _refuse_unless_awardable(selection, candidate, closing_reason)
    template = template or OnboardingTemplate.objects.filter(is_default=True).first()
    if template is None:
        raise ValidationError("There is no default onboarding template: choose one, or make one the default.")

    contract = _draft_contract(selection, candidate, go_live, by)
    _sla_from_objectives(selection, contract, go_live, by)
    onboarding_apply_template(vendor=candidate.vendor, template=template, go_live=go_live, by=by)
    candidate.vendor.services.add(selection.service_id)
    _record_certifications(candidate, by)
    _close_candidates(selection, candidate, closing_reason, by)

    selection.status = SelectionStatus.AWARDED
    selection.awarded_at, selection.awarded_by = timezone.now(), by
    selection.decision_note = note.strip()
    selection._history_user = by
    selection.save(update_fields=["status", "awarded_at", "awarded_by", "decision_note", "updated_at"])
    return selection


def with_selection_won(vendors):
    """Annotate each vendor with the selection it last won (`won_selection_id`, `won_selection_title`),
    inside the vendor query itself: the vendor page links to the decision record at no extra query."""
    won = Selection.objects.filter(
        candidates__vendor=OuterRef("pk"), candidates__status=CandidateStatus.AWARDED
    ).order_by("-awarded_at")
    return vendors.annotate(
        won_selection_id=Subquery(won.values("pk")[:1]),
        won_selection_title=Subquery(won.values("title")[:1]),
    )


def award_candidates(selection, user):
    """The selection's candidates as the award and decision pages show them: vendor, quote, outcome,
    questionnaire and the certifications it claims, documents; a fixed number of queries."""
    return (
        Candidate.objects.visible_to(user)
        .filter(selection=selection)
        .select_related("vendor", "questionnaire")
        .prefetch_related(
            Prefetch("documents", ProposalDocument.objects.visible_to(user)), "questionnaire__certifications"
        )
        .order_by("vendor__name")
    )

"""Writes to a selection project: create and edit it, its criteria and objectives, its status, its candidates.

Views, the demo data and the other sourcing areas call these. Refusals are `ValidationError`s with a
sentence the manager can act on; nothing is written when one is raised.

The award (status "awarded") is not set here: `sourcing/award.py` records it with everything it creates.
"""

import os
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils.text import slugify

from bporeg.access import is_manager, require_project_lead
from kpis.models import SLATarget
from sourcing.models import (
    Candidate,
    CandidateStatus,
    Criterion,
    DocumentKind,
    ProposalDocument,
    Selection,
    SelectionStatus,
    TemplateCriterion,
)
from vendors.forms import RESERVED_SLUGS
from vendors.models import Vendor, VendorStatus

WEIGHTS_TOTAL = 100
# The deferred triggers of migration 0002, by the table they guard.
SELECTION_WEIGHTS_TRIGGER = "selection_criteria_weights_100"
TEMPLATE_WEIGHTS_TRIGGER = "template_criteria_weights_100"
# Criteria and objectives are what evaluators score against: once scoring starts they stay as agreed.
FROZEN = (SelectionStatus.EVALUATING, SelectionStatus.AWARDED, SelectionStatus.CANCELLED)
# Where each status may move here; "awarded" is the award area's, with the contract it drafts.
MOVES = {
    SelectionStatus.DRAFT: (SelectionStatus.OPEN, SelectionStatus.CANCELLED),
    SelectionStatus.OPEN: (SelectionStatus.EVALUATING, SelectionStatus.CANCELLED),
    SelectionStatus.EVALUATING: (SelectionStatus.CANCELLED,),
}
# Candidates join while proposals are being collected; a sheet submitted in evaluation must stay complete.
OPEN_TO_CANDIDATES = (SelectionStatus.DRAFT, SelectionStatus.OPEN)


# Weights ---------------------------------------------------------------------------------------------


def criteria_weights_valid(weights) -> str | None:
    """None when the weights add up to 100; otherwise the sentence to show the manager."""
    total = sum(weights)
    if total != WEIGHTS_TOTAL:
        return f"Weights add up to {total}; they must add up to {WEIGHTS_TOTAL}."
    return None


def _weights_refusal(error: IntegrityError, trigger: str) -> str | None:
    """The weights message for an error raised by `trigger`; None for any other integrity error."""
    diagnostics = getattr(error.__cause__, "diag", None)
    if getattr(diagnostics, "constraint_name", None) != trigger:
        return None
    total = re.search(r"add up to (\d+);", diagnostics.message_primary or "")
    return criteria_weights_valid([int(total.group(1))]) if total else str(error)


def _check_weights_now(trigger: str):
    """Run the deferred weights trigger before the service returns, not at some later commit.

    The form already checked its own rows; this catches what it could not see (a criterion another
    request added meanwhile). Switching the trigger to IMMEDIATE checks the pending rows at once;
    switching it back keeps any enclosing transaction's own rebalancing deferred.
    """
    if connection.vendor != "postgresql":
        return  # the embedded SQLite has no constraint triggers; the form's check is the rule there
    with connection.cursor() as cursor:
        cursor.execute(f"SET CONSTRAINTS {trigger} IMMEDIATE")
        cursor.execute(f"SET CONSTRAINTS {trigger} DEFERRED")


def _save_weighted_rows(formset, *, trigger):
    """Save a criteria formset (add, remove, reweigh) in one go, numbering the rows in their order."""
    try:
        with transaction.atomic():
            formset.save(commit=False)
            for criterion in formset.deleted_objects:
                criterion.delete()
            for position, form in enumerate(formset.kept_forms(), start=1):
                form.instance.position = position
                form.instance.save()
            _check_weights_now(trigger)
    except IntegrityError as error:
        message = _weights_refusal(error, trigger)
        if message is None:
            raise
        raise ValidationError(message) from error


def criteria_template_save(*, formset):
    """The manager's criteria template; selections created later start from a copy of it."""
    _save_weighted_rows(formset, trigger=TEMPLATE_WEIGHTS_TRIGGER)


def criteria_editable(selection) -> bool:
    return selection.status not in FROZEN


def refuse_if_frozen(selection, what):
    """Raise the refusal to show when `what` (criteria, objectives) may no longer change."""
    if not criteria_editable(selection):
        raise ValidationError(
            f"The {what} are frozen: the selection is {selection.get_status_display().lower()}."
        )


def criteria_save(*, selection, formset):
    """A selection's own criteria, while it is draft or open."""
    with transaction.atomic():
        refuse_if_frozen(_locked(selection), "criteria")
        _save_weighted_rows(formset, trigger=SELECTION_WEIGHTS_TRIGGER)


# The selection itself ---------------------------------------------------------------------------------


def _locked(selection):
    """The selection's row, locked until the transaction ends, so two requests never interleave."""
    return Selection.objects.select_for_update().get(pk=selection.pk)


def _refuse_money_unless_manager(by, data, model):
    if not is_manager(by) and set(data) & set(model.MONEY_FIELDS):
        raise PermissionDenied("Only a BPO manager sets money: a selection's budget, a candidate's quote.")


@transaction.atomic
def selection_create(*, by, data, evaluators):
    """A draft selection whose criteria start as a copy of the template (later edits stay separate)."""
    require_project_lead(by)
    _refuse_money_unless_manager(by, data, Selection)
    selection = Selection(**{"owner": by, **data})
    selection._history_user = by
    selection.save()
    selection.evaluators.set(evaluators)
    Criterion.objects.bulk_create(
        Criterion.from_template(selection, template) for template in TemplateCriterion.objects.all()
    )
    return selection


@transaction.atomic
def selection_update(*, selection, by, data, evaluators):
    """Edit what the selection is about, its timeline and its team; a closed selection stays as it was."""
    require_project_lead(by)
    _refuse_money_unless_manager(by, data, Selection)
    current = _locked(selection)
    if current.is_closed:
        raise ValidationError("This selection is closed; it can no longer be edited.")
    # Changing the team mid-evaluation would let someone step out, read the scores and step back in.
    if current.status in FROZEN and {user.pk for user in evaluators} != set(
        current.evaluators.values_list("pk", flat=True)
    ):
        raise ValidationError("The evaluators cannot change once scoring has started.")
    for name, value in data.items():
        setattr(selection, name, value)
    selection.status = current.status  # a move made meanwhile by someone else stands
    selection._history_user = by
    selection.save(update_fields=[*data, "updated_at"])
    selection.evaluators.set(evaluators)
    return selection


def opening_problems(selection) -> list[str]:
    """What still stops a draft from opening; the draft's page lists it so nobody is surprised."""
    problems = []
    weights = list(selection.criteria.values_list("weight", flat=True))
    if not weights:
        problems.append("Add the criteria the candidates will be scored on.")
    elif message := criteria_weights_valid(weights):
        problems.append(message)
    if not selection.objectives.exists():
        problems.append("Agree at least one objective (a KPI with its target).")
    if not selection.evaluators.exists():
        problems.append("Name at least one evaluator.")
    # The dates need no check here: the form and the `selection_timeline_in_order` constraint keep
    # questions, proposals and decision in order on every saved selection.
    return problems


@transaction.atomic
def selection_move(*, selection, to, by, reason=""):
    """Move the selection along draft → open → evaluating, or cancel it (with a reason) before it closes."""
    require_project_lead(by)
    current = _locked(selection)
    if to == SelectionStatus.AWARDED:
        raise ValidationError("A selection is awarded from its award page, with the chosen candidate.")
    if to not in MOVES.get(current.status, ()):
        raise ValidationError(
            f"A selection that is {current.get_status_display().lower()} cannot move to "
            f"{SelectionStatus(to).label.lower()}."
        )
    reason = reason.strip()
    if to == SelectionStatus.OPEN:
        problems = opening_problems(current)
        if problems:
            raise ValidationError(problems)
    elif to == SelectionStatus.EVALUATING and not current.candidates.exists():
        raise ValidationError("Add at least one candidate before the evaluation starts.")
    elif to == SelectionStatus.CANCELLED and not reason:
        raise ValidationError("Say why the selection is cancelled.")
    selection.status = to
    if to == SelectionStatus.CANCELLED:
        selection.cancelled_reason = reason[:300]
    selection._history_user = by
    selection.save(update_fields=["status", "cancelled_reason", "updated_at"])
    return selection


# Objectives -------------------------------------------------------------------------------------------


def objective_thresholds_check(*, kpi, target, warning_threshold, breach_threshold):
    """An objective becomes an SLA target at award, so its thresholds obey the SLA target's rule:
    the warning on the worse side of the target, the breach on the worse side of the warning."""
    SLATarget(
        kpi=kpi, target=target, warning_threshold=warning_threshold, breach_threshold=breach_threshold
    ).clean()


@transaction.atomic
def objectives_save(*, selection, formset):
    """Add, change and remove objectives in one save, while the selection is draft or open."""
    refuse_if_frozen(_locked(selection), "objectives")
    formset.save()


# Candidates -------------------------------------------------------------------------------------------


def _unique_vendor_slug(name):
    base = slugify(name)[:55] or "vendor"
    taken = set(Vendor.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _prospect(*, selection, by, vendor, new_vendor_name):
    if vendor is not None:
        if vendor.status != VendorStatus.PROSPECT:
            raise ValidationError(f"{vendor} is {vendor.get_status_display().lower()}, not a prospect.")
        return vendor
    name = new_vendor_name.strip()
    if Vendor.objects.filter(name__iexact=name).exists():
        raise ValidationError(f"A vendor named {name} is already in the registry: pick it from the list.")
    vendor = Vendor(name=name, slug=_unique_vendor_slug(name), status=VendorStatus.PROSPECT, owner=by)
    vendor._history_user = by
    vendor.save()
    vendor.services.add(selection.service)
    return vendor


@transaction.atomic
def candidate_add(*, selection, by, data, vendor=None, new_vendor_name=""):
    """Add a prospect to the selection: a vendor in the registry, or a new prospect created here."""
    require_project_lead(by)
    if _locked(selection).status not in OPEN_TO_CANDIDATES:
        raise ValidationError("Candidates join while the selection is draft or open.")
    _refuse_money_unless_manager(by, data, Candidate)
    vendor = _prospect(selection=selection, by=by, vendor=vendor, new_vendor_name=new_vendor_name)
    if selection.candidates.filter(vendor=vendor).exists():
        raise ValidationError(f"{vendor} is already a candidate in this selection.")
    candidate = Candidate(selection=selection, vendor=vendor, **data)
    candidate._history_user = by
    candidate.save()
    return candidate


@transaction.atomic
def candidate_update(*, candidate, by, data):
    """The candidate's proposal, quote and references; the award area decides awarded and closed."""
    require_project_lead(by)
    _refuse_money_unless_manager(by, data, Candidate)
    if _locked(candidate.selection).is_closed:
        raise ValidationError("This selection is closed; its candidates stay as they were.")
    for name, value in data.items():
        setattr(candidate, name, value)
    candidate._history_user = by
    candidate.save(update_fields=list(data))
    return candidate


@transaction.atomic
def document_add(*, candidate, by, kind, file):
    """Keep one proposal file; the first proposal document marks the proposal as received."""
    require_project_lead(by)
    if kind == DocumentKind.PRICING and not is_manager(by):
        raise PermissionDenied("Only a BPO manager files a price quote: it is money.")
    if candidate.selection.is_closed:
        raise ValidationError("This selection is closed; no more documents can be added.")
    document = ProposalDocument.objects.create(
        candidate=candidate, kind=kind, file=file, name=os.path.basename(file.name)[:200], uploaded_by=by
    )
    if kind == DocumentKind.PROPOSAL and candidate.status == CandidateStatus.INVITED:
        candidate.status = CandidateStatus.PROPOSAL_RECEIVED
        candidate._history_user = by
        candidate.save(update_fields=["status"])
    return document

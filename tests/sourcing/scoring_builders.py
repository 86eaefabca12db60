"""Selections being evaluated, and score sheets filled in through the services, for the scoring tests."""

from sourcing.models import Criterion, SelectionStatus
from sourcing.scoring import ScoreRow, candidates_to_score, score_save, sheet_submit
from tests.sourcing.factories import CandidateFactory, SelectionFactory


def evaluating_selection(*, evaluators, candidates=2, weights=None):
    """A selection being evaluated, with `candidates` candidates named "Candidate 00", "Candidate 01", …

    `weights` ({name: weight}, adding up to 100) replaces the template's seven criteria.
    """
    selection = SelectionFactory(
        owner=evaluators[0], status=SelectionStatus.EVALUATING, evaluators=evaluators
    )
    if weights:
        selection.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(selection=selection, name=name, weight=weight, position=position)
            for position, (name, weight) in enumerate(weights.items())
        )
    for number in range(candidates):
        CandidateFactory(selection=selection, vendor__name=f"Candidate {number:02d}")
    return selection


def fill_sheet(selection, evaluator, value=lambda candidate, criterion: 3, *, submit=True):
    """Score every candidate on every criterion with `value(candidate, criterion)`, then submit."""
    rows = [
        ScoreRow(
            candidate.pk,
            criterion.pk,
            value(candidate, criterion),
            f"{evaluator.username} on {criterion.name}",
        )
        for candidate in candidates_to_score(selection)
        for criterion in selection.criteria.all()
    ]
    sheet = score_save(selection=selection, evaluator=evaluator, rows=rows)
    if submit:
        sheet_submit(selection=selection, evaluator=evaluator)
    return sheet

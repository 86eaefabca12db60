"""Blind scoring: the evaluators' own sheets, submitting them, who may see scores, and the comparison.

Scoring happens only while a selection is "evaluating": while it is "open" proposals are still coming
in and candidates may still be added, so a sheet submitted then could not cover every candidate.

Nobody sees the others' scores before submitting their own sheet (`may_see_scores`); the comparison
counts submitted sheets only, so a draft never leaks into the totals.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.utils import timezone

from bporeg.access import is_internal, leads_projects
from sourcing.models import CandidateStatus, Criterion, Score, ScoreSheet, SelectionStatus

SCALE = range(1, 6)
TOP_SCORE = 5
DISAGREEMENT_SPREAD = 2  # Evaluators two or more points apart should talk before the decision.
CENT = Decimal("0.01")


def is_evaluator(user, selection):
    return selection.evaluators.filter(pk=user.pk).exists()


def scoring_open(selection):
    return selection.status == SelectionStatus.EVALUATING


def candidates_to_score(selection):
    """Every candidate still in the running; a closed one needs no more scores."""
    return selection.candidates.exclude(status=CandidateStatus.CLOSED).select_related("vendor")


def _check_may_score(selection, evaluator):
    if not is_evaluator(evaluator, selection):
        raise PermissionDenied("Only the selection's evaluators score it.")
    if not scoring_open(selection):
        raise ValidationError(
            "Scores are given while the selection is being evaluated; "
            f"it is {selection.get_status_display().lower()}."
        )


@dataclass(frozen=True)
class ScoreRow:
    """One cell of a sheet. A value of None clears the cell (the draft has no score there yet)."""

    candidate_id: int
    criterion_id: int
    value: int | None
    comment: str = ""


def _check_rows(selection, rows):
    candidates = set(candidates_to_score(selection).values_list("pk", flat=True))
    criteria = set(selection.criteria.values_list("pk", flat=True))
    for row in rows:
        if row.candidate_id not in candidates or row.criterion_id not in criteria:
            raise ValidationError("A score is for a candidate still in the running on one of its criteria.")
        if row.value is not None and row.value not in SCALE:
            raise ValidationError(f"Scores go from 1 to 5; {row.value} is not one of them.")
        if row.value is None and row.comment.strip():
            raise ValidationError("A comment goes with a score: choose a score from 1 to 5 for it.")


@transaction.atomic
def score_save(*, selection, evaluator, rows):
    """Save the evaluator's draft: the sheet is created on the first save, refused once submitted.

    Returns the sheet.
    """
    _check_may_score(selection, evaluator)
    rows = list(rows)
    _check_rows(selection, rows)
    sheet, _ = ScoreSheet.objects.get_or_create(selection=selection, evaluator=evaluator)
    # The lock orders this save against `sheet_submit`, so a cell cannot empty after the sheet is checked.
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if sheet.is_submitted:
        raise ValidationError("Your scores are submitted; they can no longer change.")
    cleared = [
        Q(candidate_id=row.candidate_id, criterion_id=row.criterion_id) for row in rows if row.value is None
    ]
    if cleared:
        sheet.scores.filter(reduce(or_, cleared)).delete()
    Score.objects.bulk_create(
        [
            Score(
                sheet=sheet,
                candidate_id=row.candidate_id,
                criterion_id=row.criterion_id,
                value=row.value,
                comment=row.comment.strip(),
            )
            for row in rows
            if row.value is not None
        ],
        update_conflicts=True,
        unique_fields=["sheet", "candidate", "criterion"],
        update_fields=["value", "comment", "updated_at"],
    )
    return sheet


def missing_scores(sheet, selection):
    """What the evaluator has still to score (`sheet` is None before the first save):
    [(candidate, [criterion names])], in the sheet's order."""
    criteria = list(selection.criteria.all())
    scored = set()
    if sheet is not None:
        scored = set(sheet.scores.values_list("candidate_id", "criterion_id"))
    missing = []
    for candidate in candidates_to_score(selection):
        names = [c.name for c in criteria if (candidate.pk, c.pk) not in scored]
        if names:
            missing.append((candidate, names))
    return missing


def _missing_message(missing, criteria_count):
    parts = [
        f"{candidate.vendor.name}: {'every criterion' if len(names) == criteria_count else ', '.join(names)}"
        for candidate, names in missing
    ]
    return (
        "Score every candidate on every criterion before submitting. Still to score — "
        + "; ".join(parts)
        + "."
    )


@transaction.atomic
def sheet_submit(*, selection, evaluator):
    """Submit the evaluator's sheet once it is complete. Returns True if this call submitted it,
    False if it was already submitted (a second click changes nothing)."""
    _check_may_score(selection, evaluator)
    sheet = ScoreSheet.objects.select_for_update().filter(selection=selection, evaluator=evaluator).first()
    if sheet is not None and sheet.is_submitted:
        return False
    if not candidates_to_score(selection).exists() or not selection.criteria.exists():
        raise ValidationError("There is nothing to score yet: the selection needs candidates and criteria.")
    missing = missing_scores(sheet, selection)
    if missing:
        raise ValidationError(_missing_message(missing, selection.criteria.count()))
    # The claim: only the UPDATE that finds submitted_at still empty submits (the lock above keeps a
    # draft save from emptying a cell between the check and here).
    claimed = ScoreSheet.objects.filter(pk=sheet.pk, submitted_at__isnull=True).update(
        submitted_at=timezone.now()
    )
    return claimed == 1


def may_see_scores(user, selection):
    """The blind rule: an evaluator once their own sheet is submitted; a manager who does not evaluate
    at any time; a QA specialist who does not evaluate never; anyone outside the company never. Once the
    selection is decided (awarded or cancelled) the scores are the decision record: every internal user
    sees them. Whoever has a sheet counts as an evaluator, even if taken off the team since."""
    if not is_internal(user):
        return False
    if selection.is_closed:
        return True
    sheet = ScoreSheet.objects.filter(selection=selection, evaluator=user).first()
    if sheet is not None or is_evaluator(user, selection):
        return sheet is not None and sheet.is_submitted
    return leads_projects(user)


@dataclass
class Cell:
    """One candidate on one criterion, across the submitted sheets."""

    criterion: Criterion
    average: Decimal | None = None
    low: int | None = None
    high: int | None = None
    scores: int = 0

    @property
    def spread(self):
        return None if self.low is None else self.high - self.low

    @property
    def disagreement(self):
        return self.spread is not None and self.spread >= DISAGREEMENT_SPREAD


@dataclass
class CandidateResult:
    candidate: object
    cells: list[Cell]
    weighted_total: Decimal | None = None  # on the 1–5 scale
    percent: Decimal | None = None  # of the best possible total (5)
    rank: int | None = None

    @property
    def disagreements(self):
        return sum(cell.disagreement for cell in self.cells)


@dataclass
class Comparison:
    selection: object
    criteria: list[Criterion]
    candidates: list[CandidateResult]  # best weighted total first; not yet scored last
    submitted: list[ScoreSheet] = field(default_factory=list)
    pending: list[object] = field(default_factory=list)  # evaluators who have not submitted

    @property
    def sheets_submitted(self):
        return len(self.submitted)

    def by_criterion(self):
        """Criteria as rows, the ranked candidates as columns: [(criterion, [cell, ...])]."""
        return [
            (criterion, [result.cells[index] for result in self.candidates])
            for index, criterion in enumerate(self.criteria)
        ]


def _decimal(value):
    """A Fraction as a Decimal: the averages stay exact until the figure is rounded for display."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _result(candidate, criteria, figures):
    cells, total = [], Fraction(0)
    for criterion in criteria:
        figure = figures.get((candidate.pk, criterion.pk))
        if figure is None:
            cells.append(Cell(criterion))
            total = None
            continue
        average = Fraction(figure["total"], figure["count"])
        cells.append(
            Cell(
                criterion,
                _decimal(average).quantize(CENT, ROUND_HALF_UP),
                figure["low"],
                figure["high"],
                figure["count"],
            )
        )
        if total is not None:
            total += criterion.weight * average / 100
    result = CandidateResult(candidate, cells)
    if total is not None and criteria:
        result.weighted_total = _decimal(total).quantize(CENT, ROUND_HALF_UP)
        result.percent = _decimal(total * 100 / TOP_SCORE).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return result


def _ranked(results):
    results.sort(key=lambda r: (r.weighted_total is None, -(r.weighted_total or 0), r.candidate.vendor.name))
    for position, result in enumerate(results, start=1):
        if result.weighted_total is None:
            break
        previous = results[position - 2] if position > 1 else None
        tied = previous is not None and previous.weighted_total == result.weighted_total
        result.rank = previous.rank if tied else position
    return results


def comparison(selection):
    """The candidates side by side from the submitted sheets, in five queries whatever their number:
    criteria, candidates, the per-cell aggregates, the sheets, the evaluators."""
    criteria = list(selection.criteria.all())
    candidates = list(selection.candidates.select_related("vendor"))
    figures = {
        (row["candidate_id"], row["criterion_id"]): row
        for row in Score.objects.filter(sheet__selection=selection, sheet__submitted_at__isnull=False)
        .values("candidate_id", "criterion_id")
        .annotate(total=Sum("value"), count=Count("pk"), low=Min("value"), high=Max("value"))
        .order_by()
    }
    sheets = list(
        selection.score_sheets.filter(submitted_at__isnull=False)
        .select_related("evaluator")
        .order_by("submitted_at")
    )
    submitted = {sheet.evaluator_id for sheet in sheets}
    pending = [
        user for user in selection.evaluators.order_by("first_name", "username") if user.pk not in submitted
    ]
    results = _ranked([_result(candidate, criteria, figures) for candidate in candidates])
    return Comparison(selection, criteria, results, sheets, pending)

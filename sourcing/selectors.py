"""Reads of selection projects that need care: the list, the page's team and candidates, the changes.

Each costs a fixed number of queries however many selections, candidates or evaluators there are.
"""

from dataclasses import dataclass
from datetime import datetime

from django.core.paginator import Paginator
from django.db.models import Count

from sourcing.models import Candidate, ScoreSheet, Selection
from vendors.history import history_entries

PAGE_SIZE = 25


def selection_list_rows(selections, *, page):
    """One page of selections with their service, owner and head counts, in one query plus the count."""
    selections = (
        selections.select_related("service", "owner")
        .annotate(
            candidate_count=Count("candidates", distinct=True),
            evaluator_count=Count("evaluators", distinct=True),
        )
        # Counting drops the model's ordering from the query; pages need a stable one.
        .order_by("-decision_date", "title", "pk")
    )
    return Paginator(selections, PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class EvaluatorProgress:
    evaluator: object
    submitted_at: datetime | None


def evaluator_progress(selection) -> list[EvaluatorProgress]:
    """Each evaluator, and whether their score sheet is submitted (nobody's scores are shown here)."""
    submitted = dict(
        ScoreSheet.objects.filter(selection=selection).values_list("evaluator_id", "submitted_at")
    )
    return [
        EvaluatorProgress(evaluator, submitted.get(evaluator.pk))
        for evaluator in selection.evaluators.order_by("first_name", "username")
    ]


def selection_candidates(selection):
    return selection.candidates.select_related("vendor").annotate(document_count=Count("documents"))


def selection_changes(selection, *, money, limit=20):
    """The latest changes to the selection and to its candidates, newest first; budget and quotes only
    with `money`."""
    order = ("history_date", "history_id")
    selection_rows = Selection.history.filter(id=selection.pk).select_related(
        "history_user", "owner", "service"
    )
    candidate_rows = Candidate.history.filter(selection_id=selection.pk).select_related(
        "history_user", "vendor"
    )
    entries = [
        *history_entries(selection_rows.order_by(*order), lambda record: "Selection", Selection, money=money),
        *history_entries(
            candidate_rows.order_by(*order),
            lambda record: f"Candidate {record.vendor.name}",
            Candidate,
            money=money,
        ),
    ]
    entries.sort(key=lambda entry: (entry.when, entry.order), reverse=True)
    return entries[:limit]

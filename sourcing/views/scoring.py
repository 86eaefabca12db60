"""The evaluator's score sheet, the comparison of the candidates and its exports (CSV, XLSX, PDF).

The rules live in sourcing/scoring.py; these views parse input, call them and say what happened.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bporeg.access import INTERNAL, role_required
from sourcing.models import ScoreSheet, Selection
from sourcing.scoring import (
    candidates_to_score,
    comparison,
    is_evaluator,
    may_see_scores,
    score_save,
    scoring_open,
    sheet_submit,
)
from sourcing.scoring_chart import totals_chart
from sourcing.scoring_exports import comparison_csv, comparison_pdf, comparison_xlsx
from sourcing.scoring_forms import ScoreSheetForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _selection(request, pk):
    return get_object_or_404(Selection.objects.visible_to(request.user), pk=pk)


def _sheet_form(request, selection):
    """The evaluator's own sheet (None before the first save) and the form over it.

    A sheet that can still change lists the candidates in the running; a read-only one lists every
    candidate, so a sheet read after the award still shows the scores of those closed since.
    """
    if not is_evaluator(request.user, selection):
        raise PermissionDenied("Only the selection's evaluators have a score sheet.")
    sheet = ScoreSheet.objects.filter(selection=selection, evaluator=request.user).first()
    editable = scoring_open(selection) and not (sheet and sheet.is_submitted)
    candidates = candidates_to_score(selection) if editable else selection.candidates.select_related("vendor")
    form = ScoreSheetForm(
        request.POST if request.method == "POST" else None,
        candidates=list(candidates),
        criteria=list(selection.criteria.all()),
        scores=sheet.scores.all() if sheet else (),
    )
    return sheet, form, editable


def _sheet_page(request, selection, sheet, form, editable):
    context = {"selection": selection, "sheet": sheet, "form": form, "editable": editable}
    return render(request, "sourcing/scoring_sheet.html", context)


@role_required(*INTERNAL)
def score_sheet(request, pk):
    selection = _selection(request, pk)
    sheet, form, editable = _sheet_form(request, selection)
    if request.method == "POST" and form.is_valid():
        try:
            score_save(selection=selection, evaluator=request.user, rows=form.rows())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Draft saved. Submit when every candidate has every criterion scored.")
            return redirect("sourcing:score_sheet", pk=selection.pk)
    return _sheet_page(request, selection, sheet, form, editable)


@require_POST
@role_required(*INTERNAL)
def score_submit(request, pk):
    """Save what the grid holds, then submit; an incomplete sheet stays a saved draft that says
    what is missing."""
    selection = _selection(request, pk)
    sheet, form, editable = _sheet_form(request, selection)
    if not form.is_valid():
        return _sheet_page(request, selection, sheet, form, editable)
    try:
        if editable and form.rows():
            score_save(selection=selection, evaluator=request.user, rows=form.rows())
        submitted = sheet_submit(selection=selection, evaluator=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("sourcing:score_sheet", pk=selection.pk)
    if submitted:
        messages.success(request, "Your scores are submitted. The comparison is open to you now.")
        return redirect("sourcing:compare", pk=selection.pk)
    messages.info(request, "Your scores were already submitted; nothing changed.")
    return redirect("sourcing:score_sheet", pk=selection.pk)


def _visible_comparison(request, pk):
    selection = _selection(request, pk)
    if not may_see_scores(request.user, selection):
        raise PermissionDenied(
            "Scores are shown to evaluators who have submitted their own, and to managers."
        )
    return comparison(selection)


@role_required(*INTERNAL)
def compare(request, pk):
    selection = _selection(request, pk)
    if may_see_scores(request.user, selection):
        result = comparison(selection)
        context = {"selection": selection, "comparison": result, "chart": totals_chart(result)}
    elif is_evaluator(request.user, selection):
        context = {"selection": selection, "blind": True}
    else:
        raise PermissionDenied(
            "Scores are shown to evaluators who have submitted their own, and to managers."
        )
    return render(request, "sourcing/scoring_compare.html", context)


def _download(content, content_type, selection, extension):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="comparison-{selection.reference}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*INTERNAL)
def compare_csv(request, pk):
    result = _visible_comparison(request, pk)
    return _download(comparison_csv(result), "text/csv; charset=utf-8", result.selection, "csv")


@role_required(*INTERNAL)
def compare_xlsx(request, pk):
    result = _visible_comparison(request, pk)
    return _download(comparison_xlsx(result), XLSX, result.selection, "xlsx")


@role_required(*INTERNAL)
def compare_pdf(request, pk):
    result = _visible_comparison(request, pk)
    return _download(comparison_pdf(result), "application/pdf", result.selection, "pdf")

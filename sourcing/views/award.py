"""The award (manager: choose the winner, go-live, template, reasons) and the decision record (internal)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Role
from bporeg.access import INTERNAL, role_required
from sourcing.award import award_candidates, may_award, selection_award
from sourcing.award_forms import AwardForm
from sourcing.models import Selection
from sourcing.scoring import comparison, may_see_scores


def _selection(request, pk):
    return get_object_or_404(Selection.objects.visible_to(request.user).select_related("service"), pk=pk)


@role_required(Role.MANAGER)
def award(request, pk):
    selection = _selection(request, pk)
    form = AwardForm(request.POST or None, selection=selection)
    awardable = may_award(selection)
    if request.method == "POST" and not awardable:
        form.add_error(
            None, f"This selection is {selection.get_status_display().lower()}: it cannot be awarded."
        )
    elif form.is_valid():
        data = form.cleaned_data
        try:
            selection_award(
                selection=selection,
                candidate=data["candidate"],
                by=request.user,
                go_live=data["go_live"],
                template=data["template"],
                closing_reason=data["closing_reason"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            vendor = data["candidate"].vendor
            messages.success(request, f"Awarded to {vendor}: contract drafted, SLA set, onboarding started.")
            return redirect("sourcing:decision", pk=selection.pk)
    context = {
        "selection": selection,
        "form": form,
        "awardable": awardable,
        "candidates": award_candidates(selection, request.user),
    }
    return render(request, "sourcing/award_form.html", context)


@role_required(*INTERNAL)
def decision(request, pk):
    selection = get_object_or_404(
        Selection.objects.visible_to(request.user).select_related("service", "owner", "awarded_by"), pk=pk
    )
    context = {
        "selection": selection,
        "awardable": may_award(selection),
        "candidates": award_candidates(selection, request.user),
        "objectives": selection.objectives.select_related("kpi"),
        # The scores are part of the record once they may be seen (after the decision, by everyone inside).
        "comparison": comparison(selection) if may_see_scores(request.user, selection) else None,
    }
    return render(request, "sourcing/award_decision.html", context)

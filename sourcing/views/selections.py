"""Selection projects: the list, the project page, its forms (project, criteria, objectives, status),
its candidates and their proposal documents, and the manager's criteria template.

Internal users see all of it; only managers change it. Candidates' own staff never reach these pages.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bporeg.access import INTERNAL, PROJECT_LEADS, is_manager, role_required
from bporeg.uploads import attachment_response
from sourcing import services
from sourcing.filters import SelectionFilter
from sourcing.models import Candidate, ProposalDocument, Selection, SelectionStatus, TemplateCriterion
from sourcing.scoring import may_see_scores
from sourcing.selection_forms import (
    CandidateAddForm,
    CandidateEditForm,
    DocumentForm,
    ObjectiveFormSet,
    SelectionCriteriaFormSet,
    SelectionForm,
    SelectionMoveForm,
    TemplateCriteriaFormSet,
)
from sourcing.selectors import (
    evaluator_progress,
    selection_candidates,
    selection_changes,
    selection_list_rows,
)
from vendors.views import form_page


def _selection(request, pk):
    selections = Selection.objects.visible_to(request.user).select_related("service", "owner")
    return get_object_or_404(selections, pk=pk)


def _candidate(request, pk):
    candidates = Candidate.objects.visible_to(request.user).select_related(
        "vendor", "selection__service", "selection__owner"
    )
    return get_object_or_404(candidates, pk=pk)


def _refused(request, error, to):
    messages.error(request, " ".join(error.messages))
    return redirect(to)


@role_required(*INTERNAL)
def selection_list(request):
    selection_filter = SelectionFilter(request.GET, queryset=Selection.objects.visible_to(request.user))
    page = selection_list_rows(selection_filter.qs, page=request.GET.get("page"))
    return render(request, "sourcing/selection_list.html", {"filter": selection_filter, "page": page})


@role_required(*PROJECT_LEADS)
def selection_create(request):
    form = SelectionForm(request.POST or None, initial={"owner": request.user}, user=request.user)
    if form.is_valid():
        selection = services.selection_create(
            by=request.user, data=form.service_data(), evaluators=form.cleaned_data["evaluators"]
        )
        messages.success(request, "Selection created as a draft, with the criteria template's weights.")
        return redirect(selection)
    intro = "It starts as a draft. Its criteria are copied from the criteria template; adjust them after."
    return form_page(request, form, heading="New selection", back=reverse("sourcing:list"), intro=intro)


@role_required(*PROJECT_LEADS)
def selection_edit(request, pk):
    selection = _selection(request, pk)
    if selection.is_closed:
        return _refused(
            request, ValidationError("This selection is closed; it can no longer be edited."), selection
        )
    form = SelectionForm(request.POST or None, instance=selection, user=request.user)
    if form.is_valid():
        try:
            services.selection_update(
                selection=selection,
                by=request.user,
                data=form.service_data(),
                evaluators=form.cleaned_data["evaluators"],
            )
        except ValidationError as error:
            return _refused(request, error, selection)
        messages.success(request, "Selection saved.")
        return redirect(selection)
    return form_page(request, form, heading=f"Edit {selection}", back=selection.get_absolute_url())


@require_POST
@role_required(*PROJECT_LEADS)
def selection_status(request, pk):
    selection = _selection(request, pk)
    form = SelectionMoveForm(request.POST)
    if not form.is_valid():
        return _refused(request, ValidationError("Choose the status to move to."), selection)
    try:
        services.selection_move(
            selection=selection,
            to=form.cleaned_data["to"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        return _refused(request, error, selection)
    messages.success(request, f"The selection is {selection.get_status_display().lower()}.")
    return redirect(selection)


@role_required(*INTERNAL)
def selection_detail(request, pk):
    selection = _selection(request, pk)
    moves = [SelectionStatus(status) for status in services.MOVES.get(selection.status, ())]
    evaluators = evaluator_progress(selection)
    context = {
        "selection": selection,
        "objectives": selection.objectives.select_related("kpi"),
        "criteria": selection.criteria.all(),
        "evaluators": evaluators,
        "is_evaluator": any(row.evaluator.pk == request.user.pk for row in evaluators),
        "may_see_scores": may_see_scores(request.user, selection),
        "candidates": selection_candidates(selection),
        "changes": selection_changes(selection, money=is_manager(request.user)),
        "editable": services.criteria_editable(selection),
        "open_to_candidates": selection.status in services.OPEN_TO_CANDIDATES,
        "moves": moves,
    }
    if selection.status == SelectionStatus.DRAFT:
        context["opening_problems"] = services.opening_problems(selection)
    return render(request, "sourcing/selection_detail.html", context)


def _rows_page(request, selection, *, what, formset_class, save, template):
    """The criteria and objectives pages: one formset, saved whole, read-only once frozen."""
    editable = services.criteria_editable(selection)
    refusal = []
    if request.method == "POST":
        try:
            services.refuse_if_frozen(selection, what)
        except ValidationError as error:
            return _refused(request, error, selection)
        formset = formset_class(request.POST, instance=selection, prefix="rows")
        if formset.is_valid():
            try:
                save(selection=selection, formset=formset)
            except ValidationError as error:
                refusal = error.messages
            else:
                messages.success(request, "Saved.")
                return redirect(selection)
    else:
        formset = formset_class(instance=selection, prefix="rows")
    context = {"selection": selection, "formset": formset, "editable": editable, "refusal": refusal}
    return render(request, template, context)


@role_required(*PROJECT_LEADS)
def selection_criteria(request, pk):
    return _rows_page(
        request,
        _selection(request, pk),
        what="criteria",
        formset_class=SelectionCriteriaFormSet,
        save=services.criteria_save,
        template="sourcing/selection_criteria.html",
    )


@role_required(*PROJECT_LEADS)
def selection_objectives(request, pk):
    return _rows_page(
        request,
        _selection(request, pk),
        what="objectives",
        formset_class=ObjectiveFormSet,
        save=services.objectives_save,
        template="sourcing/selection_objectives.html",
    )


@role_required(*PROJECT_LEADS)
def criteria_template(request):
    refusal = []
    rows = TemplateCriterion.objects.all()
    formset = TemplateCriteriaFormSet(request.POST or None, queryset=rows, prefix="rows")
    if request.method == "POST" and formset.is_valid():
        try:
            services.criteria_template_save(formset=formset)
        except ValidationError as error:
            refusal = error.messages
        else:
            messages.success(
                request, "Criteria template saved. Selections created from now on start from it."
            )
            return redirect("sourcing:criteria_template")
    return render(request, "sourcing/selection_template.html", {"formset": formset, "refusal": refusal})


# Candidates -----------------------------------------------------------------------------------------------


@role_required(*PROJECT_LEADS)
def candidate_add(request, pk):
    selection = _selection(request, pk)
    if selection.status not in services.OPEN_TO_CANDIDATES:
        return _refused(
            request, ValidationError("Candidates join while the selection is draft or open."), selection
        )
    form = CandidateAddForm(request.POST or None, selection=selection, user=request.user)
    if form.is_valid():
        try:
            candidate = services.candidate_add(
                selection=selection,
                by=request.user,
                data=form.service_data(),
                vendor=form.cleaned_data["vendor"],
                new_vendor_name=form.cleaned_data["new_vendor_name"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{candidate.vendor} is a candidate.")
            return redirect("sourcing:candidate", pk=candidate.pk)
    return form_page(
        request, form, heading=f"Add a candidate to {selection}", back=selection.get_absolute_url()
    )


def _candidate_page(request, candidate, document_form=None, status=200):
    context = {
        "candidate": candidate,
        "selection": candidate.selection,
        "questionnaire": getattr(candidate, "questionnaire", None),
        "documents": ProposalDocument.objects.visible_to(request.user)
        .filter(candidate=candidate)
        .select_related("uploaded_by"),
        "document_form": document_form or DocumentForm(user=request.user),
    }
    return render(request, "sourcing/selection_candidate.html", context, status=status)


@role_required(*INTERNAL)
def candidate_detail(request, pk):
    return _candidate_page(request, _candidate(request, pk))


@role_required(*PROJECT_LEADS)
def candidate_edit(request, pk):
    candidate = _candidate(request, pk)
    if candidate.selection.is_closed:
        return _refused(
            request,
            ValidationError("This selection is closed; its candidates stay as they were."),
            candidate.selection,
        )
    form = CandidateEditForm(request.POST or None, instance=candidate, user=request.user)
    back = reverse("sourcing:candidate", kwargs={"pk": candidate.pk})
    if form.is_valid():
        try:
            services.candidate_update(candidate=candidate, by=request.user, data=form.service_data())
        except ValidationError as error:
            return _refused(request, error, back)
        messages.success(request, "Candidate saved.")
        return redirect(back)
    return form_page(request, form, heading=f"Edit {candidate.vendor} in {candidate.selection}", back=back)


@require_POST
@role_required(*PROJECT_LEADS)
def document_upload(request, pk):
    candidate = _candidate(request, pk)
    form = DocumentForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _candidate_page(request, candidate, document_form=form)
    try:
        document = services.document_add(
            candidate=candidate,
            by=request.user,
            kind=form.cleaned_data["kind"],
            file=form.cleaned_data["file"],
        )
    except ValidationError as error:
        return _refused(request, error, reverse("sourcing:candidate", kwargs={"pk": candidate.pk}))
    messages.success(request, f"{document.name} is kept with the proposal.")
    return redirect("sourcing:candidate", pk=candidate.pk)


@role_required(*INTERNAL)
def document_download(request, pk):
    document = get_object_or_404(ProposalDocument.objects.visible_to(request.user), pk=pk)
    return attachment_response(document.file)

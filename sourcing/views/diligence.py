"""Due-diligence pages: the question bank, sending, a selection's questionnaires, the candidate's staff
answering theirs (htmx per answer, or a plain form post), the manager's review, evidence downloads.

Every object is looked up in its scoped queryset first, so another vendor's questionnaire, answer or
file is a 404; the services in `sourcing.diligence` decide what may change.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import EVERYONE, INTERNAL, PROJECT_LEADS, leads_projects, role_required
from bporeg.uploads import attachment_response
from sourcing import diligence
from sourcing.diligence_alerts import candidate_staff_ids
from sourcing.diligence_forms import (
    AnswerForm,
    CertificationClaimForm,
    QuestionFormSet,
    ReviewForm,
    SendForm,
)
from sourcing.diligence_selectors import (
    answers_by_topic,
    questionnaire_for_page,
    questionnaires_visible_to,
    selection_questionnaires,
    with_progress,
)
from sourcing.models import (
    Answer,
    AnswerReview,
    Candidate,
    CertificationClaim,
    DiligenceQuestion,
    QuestionnaireStatus,
    Selection,
)

DEFAULT_DAYS_TO_ANSWER = 14


def _errors(error):
    return " ".join(error.messages)


@role_required(*PROJECT_LEADS)
def questions(request):
    """The question bank: every question on one page, with an empty row to add one."""
    formset = QuestionFormSet(request.POST or None, queryset=DiligenceQuestion.objects.all())
    if formset.is_valid():
        formset.save()
        messages.success(request, "Question bank saved. Questionnaires already sent keep their questions.")
        return redirect("sourcing:questions")
    return render(request, "sourcing/diligence_questions.html", {"formset": formset})


def _send_form():
    return SendForm(initial={"due_date": timezone.localdate() + timedelta(days=DEFAULT_DAYS_TO_ANSWER)})


@role_required(*INTERNAL)
def questionnaire_list(request, pk):
    """A selection's candidates and where each one's due diligence stands; managers send from here."""
    selection = get_object_or_404(Selection.objects.visible_to(request.user), pk=pk)
    context = {
        "selection": selection,
        "candidates": selection_questionnaires(selection),
        "send_form": _send_form() if leads_projects(request.user) and not selection.is_closed else None,
    }
    return render(request, "sourcing/diligence_questionnaire_list.html", context)


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@require_POST
@role_required(*PROJECT_LEADS)
def questionnaire_send(request, pk):
    candidate = get_object_or_404(
        Candidate.objects.visible_to(request.user).select_related("vendor", "selection"), pk=pk
    )
    form = SendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(ValidationError(form.errors)))
    else:
        try:
            questionnaire = diligence.questionnaire_send(
                candidate=candidate, due_date=form.cleaned_data["due_date"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            staff = len(candidate_staff_ids(candidate.vendor_id))
            if staff:
                messages.success(request, f"Questionnaire sent: {staff} of {candidate.vendor}'s staff told.")
            else:
                messages.warning(
                    request,
                    f"Questionnaire sent, but {candidate.vendor} has no staff account yet: "
                    "create one so they can answer.",
                )
            return redirect(questionnaire)
    return redirect(_back(request, reverse("sourcing:questionnaire_list", args=[candidate.selection_id])))


@role_required(Role.VENDOR_STAFF)
def my_questionnaires(request):
    questionnaires = with_progress(questionnaires_visible_to(request.user)).order_by("due_date", "pk")
    return render(request, "sourcing/diligence_my_questionnaires.html", {"questionnaires": questionnaires})


def _progress(answers):
    return {
        "total": len(answers),
        "answered": sum(a.is_answered for a in answers),
        "missing_evidence": sum(a.is_missing_evidence for a in answers),
        **{review: sum(a.review == review for a in answers) for review in AnswerReview.values},
    }


def _page(request, questionnaire, *, bound=None, claim_form=None, status=200):
    """The questionnaire as the person asking may see it; `bound` is a refused form to show again."""
    answers = list(questionnaire.answers.all())
    may_answer = questionnaire.may_answer(request.user)
    may_review = leads_projects(request.user) and questionnaire.is_under_review
    for answer in answers:
        mine = bound if bound is not None and bound.answer.pk == answer.pk else None
        answer.form = answer.review_form = None
        if may_answer and answer.is_open:
            answer.form = mine if isinstance(mine, AnswerForm) else AnswerForm(answer=answer)
        if may_review:
            answer.review_form = mine if isinstance(mine, ReviewForm) else ReviewForm(answer=answer)
    context = {
        "questionnaire": questionnaire,
        "candidate": questionnaire.candidate,
        "topics": answers_by_topic(answers),
        "progress": _progress(answers),
        "may_answer": may_answer,
        "may_review": may_review,
        "claim_form": (claim_form or CertificationClaimForm()) if may_answer else None,
        "next_url": request.get_full_path(),
    }
    return render(request, "sourcing/diligence_questionnaire.html", context, status=status)


def _questionnaire(request, pk):
    return get_object_or_404(questionnaire_for_page(request.user, pk))


@role_required(*EVERYONE)
def questionnaire(request, pk):
    return _page(request, _questionnaire(request, pk))


@require_POST
@role_required(Role.VENDOR_STAFF)
def answer_save(request, pk):
    """One answer. htmx gets the answer's card back (and the progress, out of band); a plain post is
    redirected to it, or gets the page again with the errors."""
    answer = get_object_or_404(
        Answer.objects.visible_to(request.user).select_related("questionnaire__candidate"), pk=pk
    )
    form = AnswerForm(request.POST, request.FILES, answer=answer)
    if form.is_valid():
        try:
            answer = diligence.answer_save(answer=answer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not request.htmx:
                messages.success(request, "Answer saved.")
                return redirect(f"{answer.questionnaire.get_absolute_url()}#answer-{answer.pk}")
            form = AnswerForm(answer=answer)
    if not request.htmx:
        return _page(request, _questionnaire(request, answer.questionnaire_id), bound=form)
    answer.form, answer.review_form = (form if answer.is_open else None), None
    questionnaire = answer.questionnaire
    context = {
        "answer": answer,
        "saved": not form.is_bound,
        "progress": _progress(list(questionnaire.answers.all())),
        "questionnaire": questionnaire,
        "may_answer": True,
    }
    return render(request, "sourcing/_diligence_answer_response.html", context)


@require_POST
@role_required(Role.VENDOR_STAFF)
def questionnaire_submit(request, pk):
    questionnaire = get_object_or_404(questionnaires_visible_to(request.user), pk=pk)
    try:
        diligence.questionnaire_submit(questionnaire=questionnaire, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Questionnaire submitted: the BPO manager reviews your answers now.")
    return redirect(questionnaire)


@require_POST
@role_required(Role.VENDOR_STAFF)
def questionnaire_certification_add(request, pk):
    questionnaire = get_object_or_404(questionnaires_visible_to(request.user), pk=pk)
    form = CertificationClaimForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            claim = diligence.certification_claim_add(
                questionnaire=questionnaire, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{claim} added to your certifications.")
            return redirect(f"{questionnaire.get_absolute_url()}#certifications")
    return _page(request, _questionnaire(request, pk), claim_form=form)


@require_POST
@role_required(Role.VENDOR_STAFF)
def questionnaire_certification_remove(request, pk):
    claim = get_object_or_404(
        CertificationClaim.objects.visible_to(request.user).select_related("questionnaire"), pk=pk
    )
    try:
        diligence.certification_claim_remove(claim=claim, by=request.user)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, f"{claim} removed.")
    return redirect(f"{claim.questionnaire.get_absolute_url()}#certifications")


REVIEWED = {
    QuestionnaireStatus.CLARIFICATION: "Every answer is reviewed: the candidate is asked to clarify.",
    QuestionnaireStatus.ACCEPTED: "Every answer is reviewed: the due diligence is accepted.",
    QuestionnaireStatus.REJECTED: "Every answer is reviewed: the due diligence is rejected.",
}


@require_POST
@role_required(*PROJECT_LEADS)
def answer_review(request, pk):
    answer = get_object_or_404(Answer.objects.visible_to(request.user), pk=pk)
    form = ReviewForm(request.POST, answer=answer)
    if form.is_valid():
        try:
            questionnaire = diligence.answer_review(answer=answer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, REVIEWED.get(questionnaire.status, "Review saved."))
            return redirect(f"{questionnaire.get_absolute_url()}#answer-{answer.pk}")
    return _page(request, _questionnaire(request, answer.questionnaire_id), bound=form)


@role_required(*EVERYONE)
def answer_evidence(request, pk):
    answer = get_object_or_404(Answer.objects.visible_to(request.user).exclude(evidence=""), pk=pk)
    return attachment_response(answer.evidence)


@role_required(*EVERYONE)
def questionnaire_certification_evidence(request, pk):
    claim = get_object_or_404(CertificationClaim.objects.visible_to(request.user).exclude(evidence=""), pk=pk)
    return attachment_response(claim.evidence)

"""Due-diligence rules: sending a questionnaire, the candidate's staff answering it, the manager's review.

The life of a questionnaire: sent → (the candidate's staff answer and submit) → submitted → the manager
reviews every answer. Once no answer is left unreviewed the questionnaire settles by itself: if any
answer was asked for clarification it goes to "clarification" (the staff answer those again and
resubmit, and the manager reviews them again); otherwise it is accepted when no answer was rejected,
rejected when one was. Clarification questions are thus sent as one round, in one message.

Every function checks who is acting again, whatever door the call came through, and refuses bad input
with a ValidationError whose message says why.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.utils import bulk_create_with_history

from bporeg.access import require_project_lead
from bporeg.uploads import validate_upload
from sourcing import diligence_alerts
from sourcing.models import (
    Answer,
    AnswerReview,
    Candidate,
    CandidateStatus,
    CertificationClaim,
    DiligenceQuestion,
    Questionnaire,
    QuestionnaireStatus,
    SelectionStatus,
)

DECISIONS = (AnswerReview.ACCEPTED, AnswerReview.CLARIFICATION, AnswerReview.REJECTED)


def _quoted(answers):
    return "; ".join(f"“{answer.text}”" for answer in answers)


def _locked(questionnaire):
    """The questionnaire, locked against a concurrent answer, submission or review, fresh from the row."""
    return (
        Questionnaire.objects.select_for_update(of=("self",))
        .select_related("candidate__vendor", "candidate__selection")
        .get(pk=questionnaire.pk)
    )


def _require_answerable(questionnaire, user):
    if not questionnaire.may_answer(user):
        if questionnaire.is_answerable:
            raise PermissionDenied("Only the candidate's own staff answer its questionnaire.")
        raise ValidationError(
            f"This questionnaire is {questionnaire.get_status_display().lower()}: "
            "its answers can no longer be changed."
        )


@transaction.atomic
def questionnaire_send(*, candidate, due_date, by):
    """Send the candidate its questionnaire: a copy of every question of the bank not retired.

    Later edits to the bank never change what was asked. One questionnaire per candidate.
    """
    require_project_lead(by)
    candidate = (
        Candidate.objects.select_for_update(of=("self",))
        .select_related("vendor", "selection")
        .get(pk=candidate.pk)
    )
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": "The due date is in the past: give the candidate time to answer."})
    if candidate.selection.is_closed or candidate.status == CandidateStatus.CLOSED:
        raise ValidationError(f"{candidate.vendor} is no longer a candidate in an open selection.")
    if candidate.selection.status == SelectionStatus.DRAFT:
        raise ValidationError("The selection is still a draft: open it before candidates hear about it.")
    existing = Questionnaire.objects.filter(candidate=candidate).first()
    if existing is not None:
        sent_on = date_format(timezone.localtime(existing.sent_at), "j F Y")
        raise ValidationError(f"{candidate.vendor} already has its questionnaire, sent on {sent_on}.")
    questions = list(DiligenceQuestion.objects.filter(retired=False))
    if not questions:
        raise ValidationError("The question bank has no question in use: add or restore some first.")
    questionnaire = Questionnaire(candidate=candidate, due_date=due_date, sent_by=by)
    questionnaire._history_user = by
    questionnaire.save()
    answers = [Answer.from_question(questionnaire, question) for question in questions]
    bulk_create_with_history(answers, Answer, default_user=by)
    diligence_alerts.questionnaire_sent(questionnaire)
    return questionnaire


@transaction.atomic
def answer_save(*, answer, by, response, does_not_apply, evidence=None):
    """The candidate's staff answer one question; a new file replaces the evidence, None keeps it."""
    questionnaire = _locked(answer.questionnaire)
    _require_answerable(questionnaire, by)
    answer = Answer.objects.select_for_update().get(pk=answer.pk, questionnaire=questionnaire)
    if not answer.is_open:
        raise ValidationError(f"This answer was {answer.get_review_display().lower()}: it is locked.")
    if does_not_apply and not answer.may_not_apply:
        raise ValidationError({"does_not_apply": "This question applies to every candidate: answer it."})
    if evidence is not None:
        try:
            validate_upload(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
        answer.evidence = evidence
        answer.evidence_name = evidence.name[:200]
    answer.response = response.strip()
    answer.does_not_apply = does_not_apply
    answer.answered_at, answer.answered_by = timezone.now(), by
    # Answered again: back in the manager's queue, with the clarification note kept for context.
    answer.review = AnswerReview.PENDING
    answer._history_user = by
    answer.save()
    return answer


def _check_expiry(issued_on, expires_on):
    if expires_on is not None and expires_on <= issued_on:
        raise ValidationError({"expires_on": "A certification expires after the day it was issued."})


@transaction.atomic
def certification_claim_add(
    *, questionnaire, by, kind, issued_on, reference="", expires_on=None, evidence=None
):
    """A certification the candidate says it holds; at award it is recorded in the vendor registry."""
    questionnaire = _locked(questionnaire)
    _require_answerable(questionnaire, by)
    _check_expiry(issued_on, expires_on)
    if evidence is not None:
        try:
            validate_upload(evidence)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error
    return CertificationClaim.objects.create(
        questionnaire=questionnaire,
        kind=kind,
        reference=reference.strip(),
        issued_on=issued_on,
        expires_on=expires_on,
        evidence=evidence or "",
        added_by=by,
    )


@transaction.atomic
def certification_claim_remove(*, claim, by):
    questionnaire = _locked(claim.questionnaire)
    _require_answerable(questionnaire, by)
    claim.delete()


@transaction.atomic
def questionnaire_submit(*, questionnaire, by):
    """Hand the answers to the manager; refused, naming the questions, while any is incomplete."""
    questionnaire = _locked(questionnaire)
    _require_answerable(questionnaire, by)
    answers = list(questionnaire.answers.all())
    problems = []
    unanswered = [a for a in answers if a.review == AnswerReview.PENDING and not a.is_answered]
    if unanswered:
        problems.append(f"Answer these questions: {_quoted(unanswered)}.")
    missing = [a for a in answers if a.is_open and a.is_missing_evidence]
    if missing:
        problems.append(f"Attach the evidence asked for: {_quoted(missing)}.")
    asked = [a for a in answers if a.review == AnswerReview.CLARIFICATION]
    if asked:
        problems.append(f"Answer again where clarification was asked: {_quoted(asked)}.")
    if problems:
        raise ValidationError(["The questionnaire is not submitted yet.", *problems])
    questionnaire.status = QuestionnaireStatus.SUBMITTED
    questionnaire.submitted_at, questionnaire.submitted_by = timezone.now(), by
    questionnaire._history_user = by
    questionnaire.save(update_fields=["status", "submitted_at", "submitted_by"])
    diligence_alerts.questionnaire_submitted(questionnaire)
    return questionnaire


def _settle(questionnaire, by):
    """Move the questionnaire on once every answer is reviewed; returns how many need clarification."""
    reviews = list(questionnaire.answers.values_list("review", flat=True))
    if AnswerReview.PENDING in reviews:
        return 0
    asked = reviews.count(AnswerReview.CLARIFICATION)
    if asked:
        questionnaire.status = QuestionnaireStatus.CLARIFICATION
    elif AnswerReview.REJECTED in reviews:
        questionnaire.status = QuestionnaireStatus.REJECTED
    else:
        questionnaire.status = QuestionnaireStatus.ACCEPTED
    questionnaire.reviewed_at, questionnaire.reviewed_by = timezone.now(), by
    questionnaire._history_user = by
    questionnaire.save(update_fields=["status", "reviewed_at", "reviewed_by"])
    if asked:
        diligence_alerts.clarification_asked(questionnaire, count=asked)
    return asked


@transaction.atomic
def answer_review(*, answer, by, decision, note=""):
    """The manager accepts an answer, asks for clarification, or rejects it (those two with a note).

    Returns the questionnaire, settled once its last unreviewed answer is decided.
    """
    require_project_lead(by)
    questionnaire = _locked(answer.questionnaire)
    if not questionnaire.is_under_review:
        raise ValidationError(
            f"This questionnaire is {questionnaire.get_status_display().lower()}: "
            "answers are reviewed once the candidate has submitted them."
        )
    if decision not in DECISIONS:
        raise ValidationError({"decision": "Accept the answer, ask for clarification, or reject it."})
    note = note.strip()
    if decision != AnswerReview.ACCEPTED and not note:
        raise ValidationError({"note": "Say what is missing, or why the answer is rejected."})
    answer = Answer.objects.select_for_update().get(pk=answer.pk, questionnaire=questionnaire)
    answer.review, answer.review_note = decision, note
    answer._history_user = by
    answer.save(update_fields=["review", "review_note"])
    _settle(questionnaire, by)
    return questionnaire

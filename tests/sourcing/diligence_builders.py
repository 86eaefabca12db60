"""Questionnaires in each state, built through the services so they hold what a real one would."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bporeg.uploads import sample_bytes
from sourcing import diligence


def pdf(name="evidence.pdf"):
    return SimpleUploadedFile(name, sample_bytes("pdf"), content_type="application/pdf")


def due_in(days=14):
    return timezone.localdate() + timedelta(days=days)


def sent(candidate, *, by, due_date=None):
    return diligence.questionnaire_send(candidate=candidate, due_date=due_date or due_in(), by=by)


def answer_everything(questionnaire, *, by):
    """Answer every open question, with a PDF where evidence is required."""
    for answer in questionnaire.answers.all():
        if answer.is_open:
            diligence.answer_save(
                answer=answer,
                by=by,
                response=f"Our answer to: {answer.text}",
                does_not_apply=False,
                evidence=pdf() if answer.evidence_required and not answer.evidence else None,
            )
    return questionnaire


def submitted(candidate, *, manager, staff):
    questionnaire = answer_everything(sent(candidate, by=manager), by=staff)
    return diligence.questionnaire_submit(questionnaire=questionnaire, by=staff)


def review_all(questionnaire, *, by, decision="accepted", note=""):
    for answer in questionnaire.answers.filter(review="pending"):
        questionnaire = diligence.answer_review(answer=answer, by=by, decision=decision, note=note)
    return questionnaire

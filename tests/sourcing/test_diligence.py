"""Due-diligence rules, through the services: sending, answering, submitting, reviewing, and who may."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.formats import date_format

from alerts.models import Alert, Channel
from alerts.services import deliver_pending
from sourcing import diligence
from sourcing.diligence_alerts import (
    QUESTIONNAIRE_CLARIFICATION,
    QUESTIONNAIRE_SENT,
    QUESTIONNAIRE_SUBMITTED,
)
from sourcing.models import (
    Answer,
    AnswerReview,
    CandidateStatus,
    DiligenceQuestion,
    Questionnaire,
    QuestionnaireStatus,
    SelectionStatus,
)
from tests.sourcing.diligence_builders import answer_everything, due_in, pdf, review_all, sent, submitted
from tests.sourcing.factories import CandidateFactory, SelectionFactory


@pytest.fixture
def candidate_a(manager, vendor_a):
    return CandidateFactory(selection=SelectionFactory(owner=manager), vendor=vendor_a)


def messages_of(error):
    return " ".join(error.value.messages)


# Sending


def test_sending_copies_every_question_in_use(candidate_a, manager):
    retired = DiligenceQuestion.objects.order_by("pk").first()
    retired.retired = True
    retired.save()
    questionnaire = sent(candidate_a, by=manager)
    in_use = DiligenceQuestion.objects.filter(retired=False)
    answers = list(questionnaire.answers.all())
    assert [a.question_id for a in answers] == [q.pk for q in in_use]
    assert retired.pk not in {a.question_id for a in answers}
    first, question = answers[0], in_use[0]
    assert (first.text, first.topic, first.evidence_required, first.may_not_apply) == (
        question.text,
        question.topic,
        question.evidence_required,
        question.may_not_apply,
    )
    assert questionnaire.status == QuestionnaireStatus.SENT and questionnaire.sent_by == manager
    assert all(a.review == AnswerReview.PENDING for a in answers)


def test_later_edits_to_the_bank_do_not_change_what_was_asked(candidate_a, manager):
    questionnaire = sent(candidate_a, by=manager)
    question = DiligenceQuestion.objects.order_by("pk").first()
    original = question.text
    question.text = "Something else entirely?"
    question.save()
    assert questionnaire.answers.get(question=question).text == original


def test_sending_twice_is_refused(candidate_a, manager):
    sent(candidate_a, by=manager)
    with pytest.raises(ValidationError) as error:
        sent(candidate_a, by=manager)
    assert "already has its questionnaire, sent on" in messages_of(error)
    assert Questionnaire.objects.count() == 1


def test_a_due_date_in_the_past_is_refused(candidate_a, manager):
    with pytest.raises(ValidationError) as error:
        sent(candidate_a, by=manager, due_date=due_in(-1))
    assert "in the past" in messages_of(error)
    assert not Questionnaire.objects.exists() and not Answer.objects.exists()
    assert sent(candidate_a, by=manager, due_date=due_in(0)).due_date == due_in(0)


def test_nothing_is_sent_in_a_closed_selection_or_from_an_empty_bank(candidate_a, manager):
    DiligenceQuestion.objects.update(retired=True)
    with pytest.raises(ValidationError, match="no question in use"):
        sent(candidate_a, by=manager)
    DiligenceQuestion.objects.update(retired=False)
    candidate_a.selection.status = SelectionStatus.CANCELLED
    candidate_a.selection.cancelled_reason = "Budget withdrawn."
    candidate_a.selection.save()
    with pytest.raises(ValidationError, match="no longer a candidate"):
        sent(candidate_a, by=manager)
    assert not Questionnaire.objects.exists()


@pytest.mark.parametrize("persona", ["qa", "staff_a"])
def test_only_a_manager_sends(request, candidate_a, persona):
    with pytest.raises(PermissionDenied):
        sent(candidate_a, by=request.getfixturevalue(persona))


# Answering


def test_the_candidates_staff_answer_with_evidence(candidate_a, manager, staff_a):
    questionnaire = sent(candidate_a, by=manager)
    answer = questionnaire.answers.filter(evidence_required=True).first()
    saved = diligence.answer_save(
        answer=answer,
        by=staff_a,
        response="  In March, by Example Sec.  ",
        does_not_apply=False,
        evidence=pdf(),
    )
    saved.refresh_from_db()
    assert saved.response == "In March, by Example Sec."
    assert saved.answered_by == staff_a and saved.answered_at is not None
    assert saved.evidence.name.endswith(".pdf") and saved.evidence_name == "evidence.pdf"
    # Saving again without a file keeps the evidence.
    diligence.answer_save(answer=saved, by=staff_a, response="In March.", does_not_apply=False)
    saved.refresh_from_db()
    assert saved.evidence and saved.response == "In March."


def test_a_fake_pdf_is_refused(candidate_a, manager, staff_a):
    answer = sent(candidate_a, by=manager).answers.first()
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an executable", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        diligence.answer_save(
            answer=answer, by=staff_a, response="See file.", does_not_apply=False, evidence=fake
        )
    assert "not an accepted type" in messages_of(error)
    answer.refresh_from_db()
    assert not answer.evidence and answer.response == ""


@pytest.mark.parametrize("persona", ["manager", "qa", "staff_b"])
def test_only_the_candidates_own_staff_answer(request, candidate_a, manager, persona):
    answer = sent(candidate_a, by=manager).answers.first()
    with pytest.raises(PermissionDenied):
        diligence.answer_save(
            answer=answer, by=request.getfixturevalue(persona), response="Ours.", does_not_apply=False
        )
    answer.refresh_from_db()
    assert answer.response == ""


def test_a_closed_candidates_staff_no_longer_answer(candidate_a, manager, staff_a):
    answer = sent(candidate_a, by=manager).answers.first()
    candidate_a.status, candidate_a.closed_reason = CandidateStatus.CLOSED, "Another provider was chosen."
    candidate_a.save()
    with pytest.raises(PermissionDenied):
        diligence.answer_save(answer=answer, by=staff_a, response="Late answer.", does_not_apply=False)
    answer.refresh_from_db()
    assert answer.response == ""


def test_does_not_apply_only_where_the_question_allows_it(candidate_a, manager, staff_a):
    questionnaire = sent(candidate_a, by=manager)
    hipaa = questionnaire.answers.get(text__contains="HIPAA")
    diligence.answer_save(answer=hipaa, by=staff_a, response="", does_not_apply=True)
    hipaa.refresh_from_db()
    assert hipaa.does_not_apply and hipaa.is_answered
    encryption = questionnaire.answers.get(text__contains="in transit")
    with pytest.raises(ValidationError) as error:
        diligence.answer_save(answer=encryption, by=staff_a, response="", does_not_apply=True)
    assert "applies to every candidate" in messages_of(error)


def test_answers_are_locked_once_submitted_and_once_accepted(candidate_a, manager, staff_a):
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    answer = questionnaire.answers.first()
    with pytest.raises(ValidationError, match="submitted: its answers can no longer be changed"):
        diligence.answer_save(answer=answer, by=staff_a, response="Changed.", does_not_apply=False)
    diligence.answer_review(answer=answer, by=manager, decision="accepted")
    other = questionnaire.answers.exclude(pk=answer.pk).first()
    diligence.answer_review(answer=other, by=manager, decision="clarification", note="Which TLS versions?")
    review_all(questionnaire, by=manager)
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.CLARIFICATION
    with pytest.raises(ValidationError, match="accepted: it is locked"):
        diligence.answer_save(answer=answer, by=staff_a, response="Changed.", does_not_apply=False)
    diligence.answer_save(answer=other, by=staff_a, response="TLS 1.2 and 1.3 only.", does_not_apply=False)
    other.refresh_from_db()
    assert other.review == AnswerReview.PENDING and other.review_note == "Which TLS versions?"


# Certification claims


def test_certification_claims_are_added_and_removed_by_the_staff(candidate_a, manager, staff_a):
    questionnaire = sent(candidate_a, by=manager)
    claim = diligence.certification_claim_add(
        questionnaire=questionnaire,
        by=staff_a,
        kind="iso_27001",
        reference=" ISO-123 ",
        issued_on=due_in(-365),
        expires_on=due_in(700),
        evidence=pdf("iso.pdf"),
    )
    assert (claim.reference, claim.added_by) == ("ISO-123", staff_a)
    with pytest.raises(ValidationError, match="expires after the day it was issued"):
        diligence.certification_claim_add(
            questionnaire=questionnaire, by=staff_a, kind="soc_2", issued_on=due_in(0), expires_on=due_in(0)
        )
    with pytest.raises(PermissionDenied):
        diligence.certification_claim_remove(claim=claim, by=manager)
    diligence.certification_claim_remove(claim=claim, by=staff_a)
    assert not questionnaire.certifications.exists()


# Submitting


def test_submitting_names_the_unanswered_questions_and_the_missing_evidence(candidate_a, manager, staff_a):
    questionnaire = sent(candidate_a, by=manager)
    answers = list(questionnaire.answers.all())
    needs_file = next(a for a in answers if a.evidence_required)
    for answer in answers[:-1]:
        diligence.answer_save(answer=answer, by=staff_a, response="Answered.", does_not_apply=False)
    last = answers[-1]
    with pytest.raises(ValidationError) as error:
        diligence.questionnaire_submit(questionnaire=questionnaire, by=staff_a)
    text = messages_of(error)
    assert f"Answer these questions: “{last.text}”." in text
    assert "Attach the evidence asked for:" in text and f"“{needs_file.text}”" in text
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.SENT and questionnaire.submitted_at is None


def test_a_complete_questionnaire_is_submitted_and_the_owner_told(candidate_a, manager, staff_a):
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    questionnaire.refresh_from_db()
    assert questionnaire.status == QuestionnaireStatus.SUBMITTED
    assert questionnaire.submitted_by == staff_a and questionnaire.submitted_at is not None
    alert = Alert.objects.get(kind=QUESTIONNAIRE_SUBMITTED, channel=Channel.EMAIL)
    assert alert.recipient == manager and alert.link == questionnaire.get_absolute_url()
    with pytest.raises(ValidationError, match="submitted: its answers can no longer be changed"):
        diligence.questionnaire_submit(questionnaire=questionnaire, by=staff_a)


def test_only_the_candidates_staff_submit(candidate_a, manager, staff_a, staff_b):
    questionnaire = answer_everything(sent(candidate_a, by=manager), by=staff_a)
    for person in (manager, staff_b):
        with pytest.raises(PermissionDenied):
            diligence.questionnaire_submit(questionnaire=questionnaire, by=person)


# Reviewing


def test_all_accepted_accepts_the_questionnaire(candidate_a, manager, staff_a):
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    first, *rest = questionnaire.answers.all()
    assert diligence.answer_review(answer=first, by=manager, decision="accepted").status == "submitted"
    for answer in rest:
        questionnaire = diligence.answer_review(answer=answer, by=manager, decision="accepted")
    assert questionnaire.status == QuestionnaireStatus.ACCEPTED
    questionnaire.refresh_from_db()
    assert questionnaire.reviewed_by == manager and questionnaire.reviewed_at is not None
    assert first.history.first().history_user == manager


def test_one_rejected_answer_rejects_the_questionnaire(candidate_a, manager, staff_a):
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    answer = questionnaire.answers.first()
    diligence.answer_review(answer=answer, by=manager, decision="rejected", note="No encryption at rest.")
    assert review_all(questionnaire, by=manager).status == QuestionnaireStatus.REJECTED


def test_clarification_goes_back_to_the_staff_and_round_trips(candidate_a, manager, staff_a):
    questionnaire = submitted(candidate_a, manager=manager, staff=staff_a)
    asked = questionnaire.answers.first()
    diligence.answer_review(answer=asked, by=manager, decision="clarification", note="Which key manager?")
    questionnaire = review_all(questionnaire, by=manager)
    assert questionnaire.status == QuestionnaireStatus.CLARIFICATION
    email = Alert.objects.get(kind=QUESTIONNAIRE_CLARIFICATION, channel=Channel.EMAIL)
    assert email.recipient == staff_a and "1 answer" in email.title
    # Resubmitting before answering again is refused, naming the question.
    with pytest.raises(ValidationError) as error:
        diligence.questionnaire_submit(questionnaire=questionnaire, by=staff_a)
    assert f"Answer again where clarification was asked: “{asked.text}”." in messages_of(error)
    diligence.answer_save(answer=asked, by=staff_a, response="AWS KMS, rotated yearly.", does_not_apply=False)
    questionnaire = diligence.questionnaire_submit(questionnaire=questionnaire, by=staff_a)
    assert questionnaire.status == QuestionnaireStatus.SUBMITTED
    questionnaire = diligence.answer_review(answer=asked, by=manager, decision="accepted")
    assert questionnaire.status == QuestionnaireStatus.ACCEPTED


def test_a_review_other_than_accepting_needs_a_note(candidate_a, manager, staff_a):
    answer = submitted(candidate_a, manager=manager, staff=staff_a).answers.first()
    for decision in ("clarification", "rejected"):
        with pytest.raises(ValidationError) as error:
            diligence.answer_review(answer=answer, by=manager, decision=decision, note="  ")
        assert "Say what is missing" in messages_of(error)
    with pytest.raises(ValidationError, match="Accept the answer"):
        diligence.answer_review(answer=answer, by=manager, decision="pending")
    answer.refresh_from_db()
    assert answer.review == AnswerReview.PENDING


def test_answers_are_reviewed_only_once_submitted_and_only_by_a_manager(candidate_a, manager, qa, staff_a):
    questionnaire = sent(candidate_a, by=manager)
    answer = questionnaire.answers.first()
    with pytest.raises(ValidationError, match="once the candidate has submitted"):
        diligence.answer_review(answer=answer, by=manager, decision="accepted")
    answer_everything(questionnaire, by=staff_a)
    diligence.questionnaire_submit(questionnaire=questionnaire, by=staff_a)
    for person in (qa, staff_a):
        with pytest.raises(PermissionDenied):
            diligence.answer_review(answer=answer, by=person, decision="accepted")
    review_all(questionnaire, by=manager)
    with pytest.raises(ValidationError, match="accepted: answers are reviewed once"):
        diligence.answer_review(answer=answer, by=manager, decision="rejected", note="Changed my mind.")


# Telling people


def test_sending_emails_the_candidates_staff_only(candidate_a, manager, staff_a, staff_b):
    questionnaire = sent(candidate_a, by=manager, due_date=due_in(10))
    recipients = set(Alert.objects.filter(kind=QUESTIONNAIRE_SENT).values_list("recipient", "channel"))
    assert recipients == {(staff_a.pk, Channel.IN_APP), (staff_a.pk, Channel.EMAIL)}
    deliver_pending()
    [message] = mail.outbox
    assert message.to == [staff_a.email]
    assert questionnaire.get_absolute_url() in message.body
    assert date_format(due_in(10), "j F Y") in message.subject


def test_a_refused_change_tells_nobody(candidate_a, manager):
    with pytest.raises(ValidationError):
        sent(candidate_a, by=manager, due_date=due_in(-3))
    assert not Alert.objects.exists()

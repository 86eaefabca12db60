"""Selection reminders: questionnaire deadlines to the candidate's staff, pending scores to the evaluators
who have not submitted, the decision date to the owner; each once per person, none for a closed selection."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts import services
from sourcing.models import CandidateStatus, QuestionnaireStatus, SelectionStatus
from sourcing.reminders import (
    DECISION_DUE,
    DECISION_PASSED,
    QUESTIONNAIRE_DUE,
    QUESTIONNAIRE_OVERDUE,
    SCORES_DUE,
    SCORES_OVERDUE,
    due_decision_passed,
    due_decision_soon,
    due_questionnaire_overdue,
    due_questionnaire_soon,
    due_scores_overdue,
    due_scores_soon,
)
from tests.alerts.days import emails, recipients, run_on
from tests.sourcing import builders_award as build
from tests.sourcing.factories import CandidateFactory, SelectionFactory

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
ANSWERS_DUE = date(2026, 12, 1)
DECISION = date(2027, 1, 15)
KINDS = {
    due_questionnaire_soon: QUESTIONNAIRE_DUE,
    due_questionnaire_overdue: QUESTIONNAIRE_OVERDUE,
    due_scores_soon: SCORES_DUE,
    due_scores_overdue: SCORES_OVERDUE,
    due_decision_soon: DECISION_DUE,
    due_decision_passed: DECISION_PASSED,
}


@pytest.fixture
def selection(manager, qa):
    return SelectionFactory(
        title="Support RFP",
        owner=manager,
        status=SelectionStatus.EVALUATING,
        decision_date=DECISION,
        evaluators=[manager, qa],
    )


@pytest.fixture
def questionnaire_a(selection, vendor_a, staff_a, manager):
    candidate = CandidateFactory(selection=selection, vendor=vendor_a)
    return build.questionnaire(candidate, sent_by=manager, due_date=ANSWERS_DUE)


@pytest.fixture
def questionnaire_b(selection, vendor_b, staff_b, manager):
    candidate = CandidateFactory(selection=selection, vendor=vendor_b)
    return build.questionnaire(candidate, sent_by=manager, due_date=ANSWERS_DUE)


def sourcing_emails():
    return [e for e in emails() if e[0] in KINDS.values()]


def everything_due(today):
    return [due for find_due in KINDS for due in find_due(today)]


# Questionnaire deadlines


def test_each_candidates_staff_get_their_own_questionnaires_reminders_once(
    questionnaire_a, questionnaire_b, staff_a, staff_b, manager
):
    """Three weeks of daily runs, with the clock stopped at the job's hour each day."""
    questionnaire_b.status, questionnaire_b.submitted_at = QuestionnaireStatus.SUBMITTED, "2026-11-25T10:00Z"
    questionnaire_b.save()
    for day in range(-10, 11):
        run_on(ANSWERS_DUE + day * DAY)
    assert sourcing_emails() == [
        (QUESTIONNAIRE_DUE, questionnaire_a.pk, ANSWERS_DUE, staff_a.pk),
        (QUESTIONNAIRE_OVERDUE, questionnaire_a.pk, ANSWERS_DUE, staff_a.pk),
    ]


def test_the_questionnaire_reminders_fire_a_few_days_before_and_after_the_deadline(questionnaire_a, staff_a):
    assert list(due_questionnaire_soon(ANSWERS_DUE - 4 * DAY)) == []
    [due] = due_questionnaire_soon(ANSWERS_DUE - 3 * DAY)
    assert due.title == "Support RFP: the due-diligence questionnaire is due on 1 December 2026"
    assert (due.recipients, due.vendor_id) == ([staff_a.pk], questionnaire_a.candidate.vendor_id)
    assert due.link == f"/sourcing/questionnaires/{questionnaire_a.pk}/"
    [due] = due_questionnaire_soon(ANSWERS_DUE)
    assert due.title.endswith("is due today")
    assert list(due_questionnaire_overdue(ANSWERS_DUE)) == []
    [due] = due_questionnaire_overdue(ANSWERS_DUE + DAY)
    assert due.title == "Support RFP: the due-diligence questionnaire deadline passed on 1 December 2026"
    assert len(list(due_questionnaire_overdue(ANSWERS_DUE + 8 * DAY))) == 1  # caught up for a week
    assert list(due_questionnaire_overdue(ANSWERS_DUE + 9 * DAY)) == []


@pytest.mark.parametrize(
    ("status", "reminded"),
    [
        (QuestionnaireStatus.SENT, True),
        (QuestionnaireStatus.CLARIFICATION, True),
        (QuestionnaireStatus.SUBMITTED, False),
        (QuestionnaireStatus.ACCEPTED, False),
        (QuestionnaireStatus.REJECTED, False),
    ],
)
def test_only_a_questionnaire_waiting_for_answers_is_reminded(questionnaire_a, status, reminded):
    questionnaire_a.status = status
    questionnaire_a.submitted_at = None if status == QuestionnaireStatus.SENT else "2026-11-25T10:00Z"
    questionnaire_a.save()
    dues = list(due_questionnaire_soon(ANSWERS_DUE)) + list(due_questionnaire_overdue(ANSWERS_DUE + DAY))
    assert len(dues) == (2 if reminded else 0)
    if status == QuestionnaireStatus.CLARIFICATION:
        assert dues[0].message.startswith("We asked for clarification")


def test_a_closed_candidate_is_not_reminded(questionnaire_a):
    candidate = questionnaire_a.candidate
    candidate.status, candidate.closed_reason = CandidateStatus.CLOSED, "Withdrew."
    candidate.save()
    assert list(due_questionnaire_soon(ANSWERS_DUE)) == []


def test_the_reminder_email_speaks_to_the_candidate(questionnaire_a, staff_a):
    services.run_job("daily", today=ANSWERS_DUE)
    services.deliver_pending()
    [message] = [m for m in mail.outbox if m.to == [staff_a.email]]
    assert "due-diligence questionnaire is due today" in message.subject
    assert "never by the other candidates" in message.body
    assert f"/sourcing/questionnaires/{questionnaire_a.pk}/" in message.body
    assert "never by the other candidates" in message.alternatives[0][0]


# Pending scores


def test_only_the_evaluators_who_have_not_submitted_are_reminded_once_each(selection, manager, qa):
    build.sheet(selection, manager, submitted=True)
    build.sheet(selection, qa)
    for day in range(-6, 12):
        services.run_job("daily", today=DECISION + day * DAY)
    scores = [e for e in sourcing_emails() if e[0] in (SCORES_DUE, SCORES_OVERDUE)]
    assert scores == [
        (SCORES_DUE, selection.pk, DECISION, qa.pk),
        (SCORES_OVERDUE, selection.pk, DECISION, qa.pk),
    ]


def test_scores_are_reminded_a_few_days_before_the_decision_and_after_it(selection, manager, qa):
    assert list(due_scores_soon(DECISION - 4 * DAY)) == []
    [due] = due_scores_soon(DECISION - 3 * DAY)
    assert due.title == "Support RFP: your scores are due by the decision on 15 January 2027"
    assert sorted(due.recipients) == sorted([manager.pk, qa.pk])
    assert due.link == f"/sourcing/{selection.pk}/scores/"
    assert list(due_scores_overdue(DECISION)) == []
    [due] = due_scores_overdue(DECISION + DAY)
    assert due.title == "Support RFP: your scores are missing: the decision date passed on 15 January 2027"


def test_nobody_is_reminded_when_every_sheet_is_in_or_the_selection_is_not_being_evaluated(
    selection, manager, qa
):
    build.sheet(selection, manager, submitted=True)
    build.sheet(selection, qa, submitted=True)
    assert list(due_scores_soon(DECISION)) == []
    selection.score_sheets.update(submitted_at=None)
    selection.status = SelectionStatus.OPEN
    selection.save()
    assert list(due_scores_soon(DECISION)) == []


# The decision date


def test_the_owner_is_reminded_of_the_decision_date_once_before_and_once_after(selection, manager):
    for day in range(-6, 12):
        services.run_job("daily", today=DECISION + day * DAY)
    decision = [e for e in sourcing_emails() if e[0] in (DECISION_DUE, DECISION_PASSED)]
    assert decision == [
        (DECISION_DUE, selection.pk, DECISION, manager.pk),
        (DECISION_PASSED, selection.pk, DECISION, manager.pk),
    ]


def test_the_decision_reminders_say_when_and_what_to_do(selection, manager, qa):
    selection.owner = qa
    selection.save()
    assert list(due_decision_soon(DECISION - 4 * DAY)) == []
    assert recipients(due_decision_soon(DECISION - 3 * DAY)) == {selection.pk: [qa.pk]}
    [due] = due_decision_soon(DECISION)
    assert due.title == "Support RFP: the decision is due today"
    assert due.link == f"/sourcing/{selection.pk}/"
    [due] = due_decision_passed(DECISION + DAY)
    assert due.title == "Support RFP: the decision date passed on 15 January 2027"
    assert due.message.startswith("It is still evaluating: award it")


# Closed selections


@pytest.mark.parametrize("status", [SelectionStatus.AWARDED, SelectionStatus.CANCELLED])
def test_a_closed_selection_sends_nothing(selection, questionnaire_a, manager, status):
    selection.status = status
    selection.awarded_at, selection.awarded_by = (
        ("2026-11-30T10:00Z", manager) if status == "awarded" else (None, None)
    )
    selection.cancelled_reason = "Budget withdrawn." if status == "cancelled" else ""
    selection.save()
    for day in (ANSWERS_DUE, ANSWERS_DUE + DAY, DECISION, DECISION + DAY):
        assert everything_due(day) == []
    for day in range(-4, 12):
        services.run_job("daily", today=DECISION + day * DAY)
        services.run_job("daily", today=ANSWERS_DUE + day * DAY)
    assert sourcing_emails() == []


# Queries


def selections_due(count, today, manager, qa):
    """`count` selections, half decided in two days and half two days ago, each with a questionnaire
    due tomorrow or yesterday and one evaluator's sheet in: every kind has something to say."""
    for number in range(count):
        offset = 2 if number % 2 else -2
        selection = SelectionFactory(
            owner=manager,
            status=SelectionStatus.EVALUATING,
            questions_due=today - 30 * DAY,
            proposals_due=today - 20 * DAY,
            decision_date=today + offset * DAY,
            evaluators=[manager, qa],
        )
        build.sheet(selection, manager, submitted=True)
        candidate = CandidateFactory(selection=selection)
        build.questionnaire(candidate, sent_by=manager, due_date=today + (offset // 2) * DAY)


@pytest.mark.parametrize("count", [3, 30])
def test_the_reminders_make_the_same_number_of_queries_for_3_or_30_selections(count, manager, qa):
    today = date(2026, 12, 1)
    selections_due(count, today, manager, qa)
    with CaptureQueriesContext(connection) as queries:
        dues = everything_due(today)
    assert {due.kind for due in dues} == set(KINDS.values())
    # Questionnaires: the questionnaires and the directory, twice; scores: the selections, their
    # evaluators and the submitted sheets, twice; the decision date: the selections, twice.
    assert len(queries) == 2 * 2 + 3 * 2 + 1 * 2

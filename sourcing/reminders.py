"""Selection reminders run by the daily alert job: questionnaire deadlines, pending scores, decision date.

Each date gets two alerts, keyed on it (a moved date is a new pair):

- due soon: from REMINDER_DAYS before the date until the date itself;
- overdue (passed): from the day after, caught up for ALERT_CATCH_UP_DAYS if runs were missed.

Who hears: a questionnaire's deadline goes to the candidate's own staff while it waits for their answers
(sent, or clarification asked); pending scores go to the evaluators who have not submitted their sheet,
while the selection is being evaluated (the decision date is their deadline); the decision date goes to
the selection's owner until it is awarded or cancelled. A closed selection, or a closed candidate, sends
nothing. Each function makes the same few queries whatever the number of selections.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.formats import date_format

from alerts import registry
from alerts.due import when
from alerts.recipients import Directory
from alerts.registry import Due
from sourcing.award import OPEN_CANDIDATES
from sourcing.models import Questionnaire, QuestionnaireStatus, ScoreSheet, Selection, SelectionStatus

QUESTIONNAIRE_DUE = "questionnaire_due"
QUESTIONNAIRE_OVERDUE = "questionnaire_overdue"
SCORES_DUE = "selection_scores_due"
SCORES_OVERDUE = "selection_scores_overdue"
DECISION_DUE = "selection_decision_due"
DECISION_PASSED = "selection_decision_passed"
# "A few days before": a selection's dates are weeks apart, so two weeks' notice would overlap them.
REMINDER_DAYS = 3
AWAITING_ANSWERS = (QuestionnaireStatus.SENT, QuestionnaireStatus.CLARIFICATION)
CLOSED = (SelectionStatus.AWARDED, SelectionStatus.CANCELLED)


def soon_range(today):
    return today, today + timedelta(days=REMINDER_DAYS)


def passed_range(today):
    """Dates whose "passed" alert is due: yesterday, and the catch-up days before it."""
    return today - timedelta(days=1 + settings.ALERT_CATCH_UP_DAYS), today - timedelta(days=1)


def _passed(day) -> str:
    return f"passed on {date_format(day, 'j F Y')}"


# Questionnaire deadlines, to the candidate's staff


def _awaiting_answers(due_range):
    return (
        Questionnaire.objects.filter(
            status__in=AWAITING_ANSWERS, due_date__range=due_range, candidate__status__in=OPEN_CANDIDATES
        )
        .exclude(candidate__selection__status__in=CLOSED)
        .select_related("candidate__vendor", "candidate__selection")
        .order_by("pk")
    )


def _questionnaire_due(kind, questionnaire, people, title):
    vendor = questionnaire.candidate.vendor
    if questionnaire.status == QuestionnaireStatus.CLARIFICATION:
        message = "We asked for clarification on some answers: answer them again and resubmit."
    else:
        message = "Answer every question, attach the evidence asked for, and submit the questionnaire."
    return Due(
        kind=kind,
        subject=questionnaire,
        due_on=questionnaire.due_date,
        recipients=people.vendor_staff(vendor.pk),
        title=f"{questionnaire.candidate.selection.title}: the due-diligence questionnaire {title}",
        message=f"{message} It is due on {date_format(questionnaire.due_date, 'j F Y')}.",
        link=questionnaire.get_absolute_url(),
        vendor_id=vendor.pk,
    )


@registry.due(QUESTIONNAIRE_DUE, label="Due-diligence questionnaire due soon", job="daily")
def due_questionnaire_soon(today):
    people = Directory.load()
    for questionnaire in _awaiting_answers(soon_range(today)):
        title = f"is due {when(questionnaire.due_date, today)}"
        yield _questionnaire_due(QUESTIONNAIRE_DUE, questionnaire, people, title)


@registry.due(QUESTIONNAIRE_OVERDUE, label="Due-diligence questionnaire overdue", job="daily")
def due_questionnaire_overdue(today):
    people = Directory.load()
    for questionnaire in _awaiting_answers(passed_range(today)):
        title = f"deadline {_passed(questionnaire.due_date)}"
        yield _questionnaire_due(QUESTIONNAIRE_OVERDUE, questionnaire, people, title)


# Pending scores, to the evaluators who have not submitted


def _being_evaluated(decision_range):
    submitted = ScoreSheet.objects.filter(submitted_at__isnull=False).only("selection_id", "evaluator_id")
    return (
        Selection.objects.filter(status=SelectionStatus.EVALUATING, decision_date__range=decision_range)
        .prefetch_related(
            Prefetch("evaluators", queryset=get_user_model().objects.only("pk")),
            Prefetch("score_sheets", queryset=submitted, to_attr="submitted_sheets"),
        )
        .order_by("pk")
    )


def _pending_evaluators(decision_range):
    """(selection, evaluators who have not submitted their sheet) for each selection that waits for some."""
    for selection in _being_evaluated(decision_range):
        done = {sheet.evaluator_id for sheet in selection.submitted_sheets}
        pending = [user.pk for user in selection.evaluators.all() if user.pk not in done]
        if pending:
            yield selection, pending


def _scores_due(kind, selection, pending, title, message):
    return Due(
        kind=kind,
        subject=selection,
        due_on=selection.decision_date,
        recipients=pending,
        title=f"{selection.title}: your scores {title}",
        message=message,
        link=reverse("sourcing:score_sheet", kwargs={"pk": selection.pk}),
    )


@registry.due(SCORES_DUE, label="Selection scores due soon", job="daily")
def due_scores_soon(today):
    for selection, pending in _pending_evaluators(soon_range(today)):
        yield _scores_due(
            SCORES_DUE,
            selection,
            pending,
            f"are due by the decision {when(selection.decision_date, today)}",
            "Score every candidate on every criterion and submit your sheet before the decision.",
        )


@registry.due(SCORES_OVERDUE, label="Selection scores overdue", job="daily")
def due_scores_overdue(today):
    for selection, pending in _pending_evaluators(passed_range(today)):
        yield _scores_due(
            SCORES_OVERDUE,
            selection,
            pending,
            f"are missing: the decision date {_passed(selection.decision_date)}",
            "The selection waits for your sheet: submit your scores so the comparison is complete.",
        )


# The decision date, to the owner


def _undecided(decision_range):
    return (
        Selection.objects.filter(decision_date__range=decision_range)
        .exclude(status__in=CLOSED)
        .order_by("pk")
    )


def _decision_due(kind, selection, title, message):
    return Due(
        kind=kind,
        subject=selection,
        due_on=selection.decision_date,
        recipients=[selection.owner_id],
        title=f"{selection.title}: {title}",
        message=message,
        link=selection.get_absolute_url(),
    )


@registry.due(DECISION_DUE, label="Selection decision date", job="daily")
def due_decision_soon(today):
    for selection in _undecided(soon_range(today)):
        yield _decision_due(
            DECISION_DUE,
            selection,
            f"the decision is due {when(selection.decision_date, today)}",
            "Compare the candidates, then award the selection, or move its decision date.",
        )


@registry.due(DECISION_PASSED, label="Selection decision date passed", job="daily")
def due_decision_passed(today):
    for selection in _undecided(passed_range(today)):
        yield _decision_due(
            DECISION_PASSED,
            selection,
            f"the decision date {_passed(selection.decision_date)}",
            f"It is still {selection.get_status_display().lower()}: award it, set a new decision date, "
            "or cancel it with the reason.",
        )

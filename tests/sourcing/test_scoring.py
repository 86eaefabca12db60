"""Blind scoring: who scores, what a sheet refuses, submitting once, and who may see the scores."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import Role
from sourcing.models import CandidateStatus, Score, ScoreSheet, SelectionStatus
from sourcing.scoring import ScoreRow, may_see_scores, score_save, sheet_submit
from sourcing.services import selection_update
from tests.factories import make_user
from tests.sourcing.scoring_builders import evaluating_selection, fill_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def selection(manager, qa):
    return evaluating_selection(evaluators=[manager, qa])


def first_cell(selection, value=4, comment=""):
    candidate = selection.candidates.order_by("vendor__name").first()
    return ScoreRow(candidate.pk, selection.criteria.first().pk, value, comment)


# Saving a draft


def test_first_save_creates_the_evaluators_own_sheet(selection, qa):
    sheet = score_save(selection=selection, evaluator=qa, rows=[first_cell(selection, 4, "Solid references")])
    assert sheet.evaluator == qa and not sheet.is_submitted
    assert list(sheet.scores.values_list("value", "comment")) == [(4, "Solid references")]


def test_saving_again_updates_the_cell_and_a_blank_value_clears_it(selection, qa):
    score_save(selection=selection, evaluator=qa, rows=[first_cell(selection, 2)])
    score_save(selection=selection, evaluator=qa, rows=[first_cell(selection, 5, "Better on a second read")])
    assert list(Score.objects.values_list("value", "comment")) == [(5, "Better on a second read")]
    score_save(selection=selection, evaluator=qa, rows=[first_cell(selection, None)])
    assert not Score.objects.exists()
    assert ScoreSheet.objects.count() == 1


def test_someone_who_is_not_an_evaluator_may_not_score(selection):
    other_manager = make_user("mark", Role.MANAGER)
    with pytest.raises(PermissionDenied):
        score_save(selection=selection, evaluator=other_manager, rows=[first_cell(selection)])
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize("status", [SelectionStatus.DRAFT, SelectionStatus.OPEN, SelectionStatus.CANCELLED])
def test_scores_are_given_only_while_the_selection_is_being_evaluated(selection, qa, status):
    selection.status, selection.cancelled_reason = status, "Budget frozen"
    selection.save(update_fields=["status", "cancelled_reason"])
    with pytest.raises(ValidationError, match="while the selection is being evaluated"):
        score_save(selection=selection, evaluator=qa, rows=[first_cell(selection)])


@pytest.mark.parametrize("value", [0, 6])
def test_a_value_outside_1_to_5_is_refused_by_the_service(selection, qa, value):
    with pytest.raises(ValidationError, match="from 1 to 5"):
        score_save(selection=selection, evaluator=qa, rows=[first_cell(selection, value)])


def test_a_value_outside_1_to_5_is_refused_by_the_database(selection, qa):
    sheet = fill_sheet(selection, qa, submit=False)
    with pytest.raises(IntegrityError, match="score_value_1_to_5"), transaction.atomic():
        sheet.scores.update(value=6)


def test_a_comment_needs_a_score(selection, qa):
    with pytest.raises(ValidationError, match="A comment goes with a score"):
        score_save(selection=selection, evaluator=qa, rows=[first_cell(selection, None, "Hmm")])


def test_a_closed_candidate_takes_no_more_scores(selection, qa):
    candidate = selection.candidates.first()
    candidate.status, candidate.closed_reason = CandidateStatus.CLOSED, "Withdrew"
    candidate.save()
    row = ScoreRow(candidate.pk, selection.criteria.first().pk, 3)
    with pytest.raises(ValidationError, match="still in the running"):
        score_save(selection=selection, evaluator=qa, rows=[row])


def test_a_submitted_sheet_is_not_changed(selection, qa):
    fill_sheet(selection, qa)
    with pytest.raises(ValidationError, match="submitted; they can no longer change"):
        score_save(selection=selection, evaluator=qa, rows=[first_cell(selection, 1)])
    assert not Score.objects.filter(value=1).exists()


# Submitting


def test_an_incomplete_sheet_is_refused_with_what_is_missing(selection, qa):
    candidate_00, candidate_01 = selection.candidates.order_by("vendor__name")
    criteria = list(selection.criteria.all())
    rows = [ScoreRow(candidate_00.pk, criterion.pk, 4) for criterion in criteria[1:]]
    score_save(selection=selection, evaluator=qa, rows=rows)
    with pytest.raises(ValidationError) as refusal:
        sheet_submit(selection=selection, evaluator=qa)
    assert refusal.value.messages == [
        "Score every candidate on every criterion before submitting. Still to score — "
        f"Candidate 00: {criteria[0].name}; Candidate 01: every criterion."
    ]
    assert not ScoreSheet.objects.get(evaluator=qa).is_submitted


def test_submitting_before_any_save_names_everything_missing(selection, qa):
    with pytest.raises(ValidationError, match="Candidate 00: every criterion; Candidate 01: every criterion"):
        sheet_submit(selection=selection, evaluator=qa)


def test_a_closed_candidate_is_not_needed_to_submit(selection, qa):
    candidate = selection.candidates.order_by("vendor__name").last()
    candidate.status, candidate.closed_reason = CandidateStatus.CLOSED, "Out of budget"
    candidate.save()
    fill_sheet(selection, qa, submit=False)
    assert sheet_submit(selection=selection, evaluator=qa) is True


def test_submitting_twice_is_harmless(selection, qa):
    fill_sheet(selection, qa, submit=False)
    assert sheet_submit(selection=selection, evaluator=qa) is True
    first = ScoreSheet.objects.get(evaluator=qa).submitted_at
    assert sheet_submit(selection=selection, evaluator=qa) is False
    assert ScoreSheet.objects.get(evaluator=qa).submitted_at == first


def test_only_evaluators_submit(selection):
    with pytest.raises(PermissionDenied):
        sheet_submit(selection=selection, evaluator=make_user("mark", Role.MANAGER))


# The blind rule


def test_an_evaluator_sees_scores_only_after_submitting(selection, manager, qa):
    assert not may_see_scores(manager, selection)
    assert not may_see_scores(qa, selection)
    fill_sheet(selection, qa, submit=False)
    assert not may_see_scores(qa, selection)  # a complete draft is not enough
    sheet_submit(selection=selection, evaluator=qa)
    assert may_see_scores(qa, selection)
    assert not may_see_scores(manager, selection)  # the other evaluator has not submitted


def test_a_manager_who_does_not_evaluate_sees_scores_at_any_time(selection):
    assert may_see_scores(make_user("mark", Role.MANAGER), selection)


def test_qa_who_do_not_evaluate_never_see_scores(selection, manager, qa):
    fill_sheet(selection, manager)
    fill_sheet(selection, qa)
    assert not may_see_scores(make_user("quentin", Role.QA), selection)


def test_people_outside_the_company_never_see_scores(selection, staff_a, outsider):
    assert not may_see_scores(staff_a, selection)
    assert not may_see_scores(outsider, selection)


# The score sheet page


def grid_data(selection, value="4", comment=""):
    return {
        f"{field}-{candidate.pk}-{criterion.pk}": value if field == "value" else comment
        for candidate in selection.candidates.all()
        for criterion in selection.criteria.all()
        for field in ("value", "comment")
    }


def test_the_sheet_shows_candidates_as_columns_and_criteria_as_rows(client_for, qa, selection):
    response = client_for(qa).get(reverse("sourcing:score_sheet", args=[selection.pk]))
    grid = response.context["form"].grid()
    assert [criterion.name for criterion, _ in grid] == list(
        selection.criteria.values_list("name", flat=True)
    )
    assert [candidate.vendor.name for candidate, _, _ in grid[0][1]] == ["Candidate 00", "Candidate 01"]
    assert b"Submit scores" in response.content


def test_the_sheet_saves_a_draft(client_for, qa, selection):
    response = client_for(qa).post(reverse("sourcing:score_sheet", args=[selection.pk]), grid_data(selection))
    assert response.status_code == 302
    assert Score.objects.filter(value=4).count() == 2 * selection.criteria.count()
    assert not ScoreSheet.objects.get(evaluator=qa).is_submitted


@pytest.mark.parametrize("value", ["0", "6", "five"])
def test_the_form_refuses_a_value_outside_1_to_5(client_for, qa, selection, value):
    response = client_for(qa).post(
        reverse("sourcing:score_sheet", args=[selection.pk]), grid_data(selection, value=value)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in str(response.context["form"].errors)
    assert not Score.objects.exists()


def test_the_form_refuses_a_comment_without_a_score(client_for, qa, selection):
    data = grid_data(selection, value="", comment="No idea")
    response = client_for(qa).post(reverse("sourcing:score_sheet", args=[selection.pk]), data)
    assert response.status_code == 200
    assert b"Choose a score for this comment." in response.content
    assert not ScoreSheet.objects.exists()


def test_submit_saves_the_grid_then_submits(client_for, qa, selection):
    response = client_for(qa).post(
        reverse("sourcing:score_submit", args=[selection.pk]), grid_data(selection)
    )
    assert response.url == reverse("sourcing:compare", args=[selection.pk])
    assert ScoreSheet.objects.get(evaluator=qa).is_submitted


def test_an_incomplete_submit_keeps_the_draft_and_says_what_is_missing(client_for, qa, selection):
    data = grid_data(selection)
    data[next(key for key in data if key.startswith("value-"))] = ""
    response = client_for(qa).post(reverse("sourcing:score_submit", args=[selection.pk]), data, follow=True)
    assert "Still to score" in response.content.decode()
    sheet = ScoreSheet.objects.get(evaluator=qa)
    assert not sheet.is_submitted and sheet.scores.count() == 2 * selection.criteria.count() - 1


def test_after_submitting_the_sheet_is_read_only(client_for, qa, selection):
    fill_sheet(selection, qa)
    client = client_for(qa)
    response = client.get(reverse("sourcing:score_sheet", args=[selection.pk]))
    assert b"can no longer change" in response.content
    assert b"<select" not in response.content
    response = client.post(reverse("sourcing:score_sheet", args=[selection.pk]), grid_data(selection, "1"))
    assert b"Your scores are submitted; they can no longer change." in response.content
    assert not Score.objects.filter(value=1).exists()


def test_submitting_the_page_twice_is_harmless(client_for, qa, selection):
    client = client_for(qa)
    client.post(reverse("sourcing:score_submit", args=[selection.pk]), grid_data(selection))
    response = client.post(
        reverse("sourcing:score_submit", args=[selection.pk]), grid_data(selection, "1"), follow=True
    )
    assert "already submitted; nothing changed" in response.content.decode()
    assert not Score.objects.filter(value=1).exists()


def test_a_read_only_sheet_still_shows_a_candidate_closed_after_submitting(client_for, qa, selection):
    fill_sheet(selection, qa)
    selection.candidates.update(status=CandidateStatus.CLOSED, closed_reason="Another provider won")
    response = client_for(qa).get(reverse("sourcing:score_sheet", args=[selection.pk]))
    assert [candidate.vendor.name for candidate in response.context["form"].candidates] == [
        "Candidate 00",
        "Candidate 01",
    ]


def test_the_sheet_is_only_for_evaluators(client_for, selection):
    response = client_for(make_user("mark", Role.MANAGER)).get(
        reverse("sourcing:score_sheet", args=[selection.pk])
    )
    assert response.status_code == 403


def test_an_evaluator_taken_off_the_team_still_cannot_read_the_scores_before_submitting(manager, qa):
    """Stepping out of the team to read the others' scores, then back in, is closed both ways."""
    selection = evaluating_selection(evaluators=[manager, qa], candidates=2)
    fill_sheet(selection, qa)
    score_save(
        selection=selection,
        evaluator=manager,
        rows=[ScoreRow(selection.candidates.first().pk, selection.criteria.first().pk, 3, "")],
    )
    with pytest.raises(ValidationError, match="evaluators cannot change once scoring has started"):
        selection_update(selection=selection, by=manager, data={}, evaluators=[qa])
    selection.evaluators.remove(manager)  # even if the team changed some other way
    assert not may_see_scores(manager, selection)


def test_every_internal_user_sees_the_scores_once_the_selection_is_decided(manager, qa):
    selection = evaluating_selection(evaluators=[manager], candidates=2)
    assert not may_see_scores(qa, selection)
    selection.status, selection.cancelled_reason = SelectionStatus.CANCELLED, "Budget withdrawn."
    selection.save()
    assert may_see_scores(qa, selection)

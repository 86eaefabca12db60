"""A selection's rules: criteria weights add up to 100 (form, formset, database), and its status moves."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sourcing import services
from sourcing.models import Criterion, SelectionStatus, TemplateCriterion
from tests.sourcing.factories import CandidateFactory, SelectionFactory
from tests.sourcing.selection_data import criteria_data, draft, objective

pytestmark = pytest.mark.django_db


def weights_of(selection):
    return list(selection.criteria.values_list("name", "weight"))


# Weights ---------------------------------------------------------------------------------------------


def test_the_weights_rule_says_what_the_total_is():
    assert services.criteria_weights_valid([15, 20, 15, 15, 10, 15, 10]) is None
    assert services.criteria_weights_valid([50, 40]) == "Weights add up to 90; they must add up to 100."
    assert services.criteria_weights_valid([]) == "Weights add up to 0; they must add up to 100."


def test_a_bad_total_re_renders_the_criteria_with_the_message_and_changes_nothing(client_for, manager):
    selection = draft(manager)
    before = weights_of(selection)
    url = reverse("sourcing:criteria", kwargs={"pk": selection.pk})

    response = client_for(manager).post(url, criteria_data(selection.criteria.all(), Price=5))

    assert response.status_code == 200
    assert "Weights add up to 90; they must add up to 100." in response.content.decode()
    assert weights_of(selection) == before


def test_criteria_are_added_removed_and_rebalanced_in_one_save(client_for, manager):
    selection = draft(manager)
    data = criteria_data(
        selection.criteria.all(),
        extra=[{"name": "Onboarding plan", "guidance": "How fast they go live.", "weight": "5"}],
        delete=["References"],
        Price=20,
    )

    response = client_for(manager).post(reverse("sourcing:criteria", kwargs={"pk": selection.pk}), data)

    assert response.status_code == 302
    rows = list(selection.criteria.values_list("name", "weight", "position"))
    assert ("References", 10, 7) not in rows
    assert ("Price", 20, 6) in rows
    assert rows[-1] == ("Onboarding plan", 5, 7)
    assert sum(weight for _, weight, _ in rows) == 100


def test_criteria_names_are_unique_within_a_selection(client_for, manager):
    selection = draft(manager)
    # References goes and a second "Price" would take its 10 points: the total is right, the name is not.
    data = criteria_data(
        selection.criteria.all(), extra=[{"name": "Price", "weight": "10"}], delete=["References"]
    )

    response = client_for(manager).post(reverse("sourcing:criteria", kwargs={"pk": selection.pk}), data)

    assert response.status_code == 200
    assert selection.criteria.filter(name="Price").count() == 1


def test_a_criterion_added_meanwhile_is_caught_by_the_database_with_the_same_message(client_for, manager):
    """The form saw its own rows add up to 100; the trigger sees the row another request added."""
    selection = draft(manager)
    data = criteria_data(selection.criteria.all())
    added = Criterion.objects.create(selection=selection, name="Added meanwhile", weight=10, position=8)

    response = client_for(manager).post(reverse("sourcing:criteria", kwargs={"pk": selection.pk}), data)

    assert response.status_code == 200
    assert "Weights add up to 110; they must add up to 100." in response.content.decode()
    added.delete()  # the test's own transaction is checked too when it ends


def test_the_template_page_keeps_the_rule_and_new_selections_copy_the_template(client_for, manager):
    existing = SelectionFactory(owner=manager)
    url = reverse("sourcing:criteria_template")
    rows = TemplateCriterion.objects.all()

    bad = client_for(manager).post(url, criteria_data(rows, Price=25))
    good = client_for(manager).post(url, criteria_data(rows, Price=20, References=5))

    assert "Weights add up to 110; they must add up to 100." in bad.content.decode()
    assert good.status_code == 302
    assert TemplateCriterion.objects.get(name="Price").weight == 20
    created = services.selection_create(
        by=manager, data=_selection_fields(existing, reference="rfp-new"), evaluators=[manager]
    )
    assert dict(weights_of(created))["Price"] == 20
    assert dict(weights_of(existing))["Price"] == 15


def _selection_fields(selection, **changes):
    names = ["title", "service", "scope", "questions_due", "proposals_due", "decision_date"]
    return {**{name: getattr(selection, name) for name in names}, **changes}


@pytest.mark.django_db(transaction=True)
def test_the_database_refuses_a_bad_total_at_commit(manager):
    selection = SelectionFactory(owner=manager)
    Criterion.objects.filter(selection=selection).delete()
    Criterion.objects.bulk_create(
        [
            Criterion(selection=selection, name="Price", weight=60),
            Criterion(selection=selection, name="Fit", weight=40),
        ]
    )

    with pytest.raises(IntegrityError, match="add up to 90; they must add up to 100"), transaction.atomic():
        Criterion.objects.filter(selection=selection, name="Price").update(weight=50)

    with transaction.atomic():  # a rebalance passes: the check waits for the commit
        Criterion.objects.filter(selection=selection, name="Price").update(weight=50)
        Criterion.objects.filter(selection=selection, name="Fit").update(weight=50)
    assert sorted(weights_of(selection)) == [("Fit", 50), ("Price", 50)]


# Status moves ------------------------------------------------------------------------------------------


def test_a_ready_draft_opens_and_the_change_is_recorded(manager):
    selection = draft(manager)

    services.selection_move(selection=selection, to=SelectionStatus.OPEN, by=manager)

    selection.refresh_from_db()
    assert selection.status == SelectionStatus.OPEN
    assert selection.history.first().history_user == manager


def test_a_draft_without_objectives_or_evaluators_does_not_open_and_says_why(manager):
    selection = SelectionFactory(owner=manager, status=SelectionStatus.DRAFT)

    with pytest.raises(ValidationError) as refusal:
        services.selection_move(selection=selection, to=SelectionStatus.OPEN, by=manager)

    assert refusal.value.messages == [
        "Agree at least one objective (a KPI with its target).",
        "Name at least one evaluator.",
    ]
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.DRAFT


def test_a_draft_whose_criteria_are_missing_does_not_open(manager):
    selection = draft(manager)
    selection.criteria.all().delete()

    with pytest.raises(ValidationError, match="Add the criteria"):
        services.selection_move(selection=selection, to=SelectionStatus.OPEN, by=manager)


def test_the_evaluation_starts_once_there_is_a_candidate(manager):
    selection = SelectionFactory(owner=manager, status=SelectionStatus.OPEN)
    with pytest.raises(ValidationError, match="Add at least one candidate"):
        services.selection_move(selection=selection, to=SelectionStatus.EVALUATING, by=manager)

    CandidateFactory(selection=selection)
    services.selection_move(selection=selection, to=SelectionStatus.EVALUATING, by=manager)

    selection.refresh_from_db()
    assert selection.status == SelectionStatus.EVALUATING


@pytest.mark.parametrize(
    ("status", "to", "message"),
    [
        ("draft", "evaluating", "A selection that is draft cannot move to evaluating."),
        ("evaluating", "open", "A selection that is evaluating cannot move to open."),
        ("cancelled", "cancelled", "A selection that is cancelled cannot move to cancelled."),
        ("open", "awarded", "A selection is awarded from its award page, with the chosen candidate."),
    ],
)
def test_moves_out_of_order_are_refused(manager, status, to, message):
    selection = SelectionFactory(
        owner=manager, status=status, cancelled_reason="x" if status == "cancelled" else ""
    )

    with pytest.raises(ValidationError) as refusal:
        services.selection_move(selection=selection, to=to, by=manager, reason="Because")

    assert refusal.value.messages == [message]
    selection.refresh_from_db()
    assert selection.status == status


def test_cancelling_needs_a_reason(manager):
    selection = SelectionFactory(owner=manager, status=SelectionStatus.EVALUATING)
    with pytest.raises(ValidationError, match="Say why"):
        services.selection_move(selection=selection, to=SelectionStatus.CANCELLED, by=manager, reason="  ")

    services.selection_move(
        selection=selection, to=SelectionStatus.CANCELLED, by=manager, reason="Budget cut"
    )

    selection.refresh_from_db()
    assert (selection.status, selection.cancelled_reason) == (SelectionStatus.CANCELLED, "Budget cut")


def test_a_refused_move_from_the_page_says_why_and_changes_nothing(client_for, manager):
    selection = SelectionFactory(owner=manager, status=SelectionStatus.DRAFT)
    url = reverse("sourcing:status", kwargs={"pk": selection.pk})

    response = client_for(manager).post(url, {"to": "open"}, follow=True)

    assert "Name at least one evaluator." in response.content.decode()
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.DRAFT


def test_criteria_and_objectives_are_frozen_once_the_evaluation_starts(client_for, manager):
    selection = SelectionFactory(owner=manager, status=SelectionStatus.EVALUATING)
    objective(selection)
    before = weights_of(selection)

    response = client_for(manager).post(
        reverse("sourcing:criteria", kwargs={"pk": selection.pk}),
        criteria_data(selection.criteria.all(), Price=20, References=5),
        follow=True,
    )
    page = client_for(manager).get(reverse("sourcing:objectives", kwargs={"pk": selection.pk}))

    assert "The criteria are frozen: the selection is evaluating." in response.content.decode()
    assert weights_of(selection) == before
    assert "The objectives are frozen" in page.content.decode()
    with pytest.raises(ValidationError, match="objectives are frozen"):
        services.objectives_save(selection=selection, formset=None)


@pytest.mark.parametrize("persona", ["qa", "staff_a"])
def test_only_a_manager_moves_a_selection_whatever_door_the_call_came_through(request, manager, persona):
    selection = SelectionFactory(owner=manager, status=SelectionStatus.OPEN)
    with pytest.raises(PermissionDenied):
        services.selection_move(
            selection=selection,
            to=SelectionStatus.CANCELLED,
            by=request.getfixturevalue(persona),
            reason="No.",
        )
    selection.refresh_from_db()
    assert selection.status == SelectionStatus.OPEN

"""The selection pages: list (filtered, paginated, flat query count), create and edit, the project page,
objectives, the candidate page, and the navigation entries."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from sourcing.models import Questionnaire, ScoreSheet, Selection, SelectionStatus
from tests.factories import ServiceFactory, make_user
from tests.kpis.factories import kpi
from tests.sourcing.factories import CandidateFactory, SelectionFactory
from tests.sourcing.selection_data import draft, formset_data, objective

pytestmark = pytest.mark.django_db
# session, user, profile, count, page of selections (service, owner, head counts in one query)
LIST_QUERIES = 5
# session, user, profile, selection, objectives, criteria, score sheets, evaluators, the blind rule (the
# viewer's sheet, whether they evaluate), candidates, selection history, candidate history
DETAIL_QUERIES = 13


def selections(count, owner):
    for _ in range(count):
        selection = SelectionFactory(owner=owner, evaluators=[owner])
        CandidateFactory(selection=selection)


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_costs_the_same_queries_at_any_size(client_for, manager, django_assert_num_queries, count):
    selections(count, manager)
    client = client_for(manager)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("sourcing:list"))

    rows = list(response.context["page"])
    assert len(rows) == min(count, 25)
    assert (rows[0].candidate_count, rows[0].evaluator_count) == (1, 1)


def test_the_list_filters_by_status(client_for, manager):
    SelectionFactory(owner=manager, title="Back office RFP", status=SelectionStatus.DRAFT)
    SelectionFactory(owner=manager, title="Chat RFP", status=SelectionStatus.OPEN)

    response = client_for(manager).get(reverse("sourcing:list"), {"status": "draft"})

    assert [s.title for s in response.context["page"]] == ["Back office RFP"]


@pytest.mark.parametrize("count", [3, 12])
def test_the_project_page_costs_the_same_queries_at_any_size(
    client_for, manager, qa, django_assert_num_queries, count
):
    selection = SelectionFactory(owner=manager, status=SelectionStatus.EVALUATING, evaluators=[manager, qa])
    objective(selection)
    for _ in range(count):
        CandidateFactory(selection=selection)
    ScoreSheet.objects.create(selection=selection, evaluator=qa, submitted_at=timezone.now())
    client = client_for(manager)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(selection.get_absolute_url())

    assert len(response.context["candidates"]) == count
    submitted = {row.evaluator: row.submitted_at is not None for row in response.context["evaluators"]}
    assert submitted == {manager: False, qa: True}


def selection_form(manager, **changes):
    return {
        "reference": "rfp-2027-support",
        "title": "Support 2027",
        "service": ServiceFactory().pk,
        "scope": "Email and chat, tier 1.",
        "currency": "eur",
        "contract_months": "24",
        "questions_due": "2027-01-10",
        "proposals_due": "2027-02-01",
        "decision_date": "2027-03-01",
        "owner": manager.pk,
        "evaluators": [manager.pk],
        **changes,
    }


def test_a_new_selection_is_a_draft_with_the_template_criteria(client_for, manager):
    response = client_for(manager).post(reverse("sourcing:create"), selection_form(manager))

    selection = Selection.objects.get(reference="rfp-2027-support")
    assert response.url == selection.get_absolute_url()
    assert (selection.status, selection.currency) == (SelectionStatus.DRAFT, "EUR")
    assert list(selection.evaluators.all()) == [manager]
    assert sum(selection.criteria.values_list("weight", flat=True)) == 100
    assert selection.criteria.count() == 7


def test_dates_out_of_order_are_refused_with_a_message(client_for, manager):
    data = selection_form(manager, proposals_due="2027-01-01")

    response = client_for(manager).post(reverse("sourcing:create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "proposals_due": ["Proposals are due on or after the questions deadline."]
    }


def test_a_closed_selection_is_not_edited(client_for, manager):
    selection = SelectionFactory(owner=manager, status=SelectionStatus.CANCELLED, cancelled_reason="Budget")

    response = client_for(manager).post(
        reverse("sourcing:edit", kwargs={"pk": selection.pk}), selection_form(manager), follow=True
    )

    assert "it can no longer be edited" in response.content.decode()
    selection.refresh_from_db()
    assert selection.reference != "rfp-2027-support"


def objective_rows(*rows):
    keys = ("kpi", "target", "warning_threshold", "breach_threshold")
    return formset_data(extra=[dict(zip(keys, row, strict=True)) for row in rows])


def test_objective_thresholds_sit_on_the_worse_side_of_the_target(client_for, manager):
    selection = draft(manager)
    selection.objectives.all().delete()
    url = reverse("sourcing:objectives", kwargs={"pk": selection.pk})
    csat, aht = kpi("csat"), kpi("aht")

    wrong = client_for(manager).post(
        url, objective_rows((csat.pk, "85", "88", "80"), (aht.pk, "300", "320", "310"))
    )
    right = client_for(manager).post(
        url, objective_rows((csat.pk, "85", "82", "78"), (aht.pk, "300", "320", "360"))
    )

    csat_errors, aht_errors = wrong.context["formset"].errors
    assert "the warning threshold cannot be better than the target" in csat_errors["warning_threshold"][0]
    assert (
        "the breach threshold cannot be better than the warning threshold"
        in aht_errors["breach_threshold"][0]
    )
    assert right.status_code == 302
    assert sorted(selection.objectives.values_list("kpi__code", flat=True)) == ["aht", "csat"]


def test_one_objective_per_kpi(client_for, manager):
    selection = draft(manager)
    url = reverse("sourcing:objectives", kwargs={"pk": selection.pk})
    csat = kpi("csat")
    data = formset_data(
        [
            {"id": o.pk, "kpi": csat.pk, "target": "85", "warning_threshold": "82", "breach_threshold": "78"}
            for o in selection.objectives.all()
        ],
        [{"kpi": csat.pk, "target": "90", "warning_threshold": "85", "breach_threshold": "80"}],
    )

    response = client_for(manager).post(url, data)

    assert response.status_code == 200
    assert selection.objectives.count() == 1


def test_the_candidate_page_shows_the_questionnaire_once_sent(client_for, manager, qa):
    candidate = CandidateFactory(selection=SelectionFactory(owner=manager))
    url = reverse("sourcing:candidate", kwargs={"pk": candidate.pk})
    before = client_for(qa).get(url).content.decode()
    Questionnaire.objects.create(candidate=candidate, due_date=date(2027, 1, 5), sent_by=manager)

    after = client_for(qa).get(url).content.decode()

    assert "No questionnaire sent yet." in before
    assert "Questionnaire sent · due 5 Jan 2027" in after
    assert "Upload" not in after  # QA reads the proposal; only managers add to it


def test_the_navigation_shows_selections_to_internal_users_and_the_criteria_to_managers(client_for, manager):
    quality = make_user("quality", "qa")
    criteria = reverse("sourcing:criteria_template")

    as_qa = client_for(quality).get(reverse("sourcing:list")).content.decode()
    as_manager = client_for(manager).get(reverse("sourcing:list")).content.decode()

    assert reverse("sourcing:list") in as_qa and criteria not in as_qa
    assert f'class="dropdown-item" href="{criteria}"' in as_manager

"""The comparison: weighted totals on known numbers, spread and disagreement, submitted sheets only,
a flat query count, the blind rule on the page and its exports, and formula-safe CSV/XLSX and a PDF."""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from sourcing.models import CandidateStatus
from sourcing.scoring import comparison
from tests.factories import VendorFactory, make_user
from tests.sourcing.factories import CandidateFactory
from tests.sourcing.scoring_builders import evaluating_selection, fill_sheet

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example","click")'
WEIGHTS = {"Service quality": 50, "Data security": 30, "Price": 20}
# The evaluators' scores, by candidate then criterion (in WEIGHTS' order).
FIRST = {"Candidate 00": (5, 4, 3), "Candidate 01": (4, 5, 5)}
SECOND = {"Candidate 00": (3, 4, 1), "Candidate 01": (4, 4, 4)}


def scores_from(table):
    names = list(WEIGHTS)
    return lambda candidate, criterion: table[candidate.vendor.name][names.index(criterion.name)]


@pytest.fixture
def scored(manager, qa):
    """Two evaluators submitted; a third has a draft of 1s, which must count for nothing."""
    drafter = make_user("dora", Role.QA)
    selection = evaluating_selection(evaluators=[manager, qa, drafter], weights=WEIGHTS)
    fill_sheet(selection, manager, scores_from(FIRST))
    fill_sheet(selection, qa, scores_from(SECOND))
    fill_sheet(selection, drafter, lambda candidate, criterion: 1, submit=False)
    return selection


def test_weighted_totals_on_known_numbers(scored):
    result = comparison(scored)
    first, second = result.candidates
    # Candidate 01: averages 4, 4.5, 4.5 → 0.5×4 + 0.3×4.5 + 0.2×4.5 = 4.25.
    assert (first.candidate.vendor.name, first.rank) == ("Candidate 01", 1)
    assert first.weighted_total == Decimal("4.25") and first.percent == Decimal("85.0")
    assert [cell.average for cell in first.cells] == [Decimal("4.00"), Decimal("4.50"), Decimal("4.50")]
    # Candidate 00: averages 4, 4, 2 → 2 + 1.2 + 0.4 = 3.6.
    assert (second.candidate.vendor.name, second.rank) == ("Candidate 00", 2)
    assert second.weighted_total == Decimal("3.60") and second.percent == Decimal("72.0")


def test_spread_flags_disagreement_at_two_points(scored):
    first, second = comparison(scored).candidates
    assert [(cell.spread, cell.disagreement) for cell in second.cells] == [(2, True), (0, False), (2, True)]
    assert [cell.spread for cell in first.cells] == [0, 1, 1]
    assert (second.disagreements, first.disagreements) == (2, 0)


def test_only_submitted_sheets_count(scored, manager, qa):
    result = comparison(scored)
    assert result.sheets_submitted == 2
    assert [sheet.evaluator for sheet in result.submitted] == [manager, qa]
    assert [user.username for user in result.pending] == ["dora"]
    assert all(cell.scores == 2 for candidate in result.candidates for cell in candidate.cells)


def test_averages_stay_exact_until_rounded(manager, qa):
    drafter = make_user("dora", Role.QA)
    selection = evaluating_selection(
        evaluators=[manager, qa, drafter], candidates=1, weights={"Quality": 100}
    )
    for user, value in ((manager, 5), (qa, 4), (drafter, 4)):
        fill_sheet(selection, user, lambda candidate, criterion, value=value: value)
    (result,) = comparison(selection).candidates
    assert result.cells[0].average == Decimal("4.33")
    assert result.weighted_total == Decimal("4.33") and result.percent == Decimal("86.7")


def test_a_candidate_without_scores_ranks_last_without_a_total(scored):
    CandidateFactory(selection=scored, vendor__name="Aardvark Outsourcing")
    last = comparison(scored).candidates[-1]
    assert last.candidate.vendor.name == "Aardvark Outsourcing"
    assert (last.weighted_total, last.percent, last.rank) == (None, None, None)


def test_ties_share_a_rank(manager):
    selection = evaluating_selection(evaluators=[manager], candidates=3, weights={"Quality": 100})
    fill_sheet(
        selection, manager, lambda candidate, criterion: 3 if candidate.vendor.name != "Candidate 02" else 5
    )
    assert [(r.candidate.vendor.name, r.rank) for r in comparison(selection).candidates] == [
        ("Candidate 02", 1),
        ("Candidate 00", 2),
        ("Candidate 01", 2),
    ]


# The page


@pytest.mark.parametrize("candidates", [3, 30])
def test_the_comparison_costs_the_same_queries_at_any_size(
    client_for, manager, qa, candidates, django_assert_num_queries
):
    """Session, user, profile, the selection, the viewer's own sheet (the blind rule), then criteria,
    candidates, the score aggregates, the submitted sheets and the evaluators."""
    selection = evaluating_selection(evaluators=[manager, qa], candidates=candidates)
    fill_sheet(selection, manager, lambda candidate, criterion: 1 + (candidate.pk + criterion.pk) % 5)
    fill_sheet(selection, qa)
    client = client_for(qa)
    with django_assert_num_queries(10):
        response = client.get(reverse("sourcing:compare", args=[selection.pk]))
    assert len(response.context["comparison"].candidates) == candidates
    assert len(response.context["chart"]["bars"]) == candidates


def test_an_evaluator_who_has_not_submitted_is_told_to_submit_first(client_for, manager, qa):
    selection = evaluating_selection(evaluators=[manager, qa])
    fill_sheet(selection, manager, lambda candidate, criterion: 5)
    response = client_for(qa).get(reverse("sourcing:compare", args=[selection.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Submit your own scores first" in page
    assert reverse("sourcing:score_sheet", args=[selection.pk]) in page
    assert "comparison" not in response.context and "5.00" not in page and "Weighted totals" not in page


def test_the_page_shows_totals_spread_chart_and_who_submitted(client_for, scored, qa):
    response = client_for(qa).get(reverse("sourcing:compare", args=[scored.pk]))
    page = response.content.decode()
    assert "4.25" in page and "85.0%" in page and "3.60" in page
    assert "cell-disagree" in page and "spread 2 · disagree" in page
    assert '<svg class="score-chart"' in page and "Candidate 01: 4.25 of 5 (85.0% of the maximum)" in page
    assert re.search(r"dora\s*: not submitted yet", page)
    assert 'class="d-flex flex-wrap gap-2 mb-3 d-print-none"' in page
    assert "style=" not in page.split("<main", 1)[1]  # the CSP: classes only


def test_a_closed_candidate_still_shows_on_the_comparison(client_for, scored, qa):
    candidate = scored.candidates.get(vendor__name="Candidate 00")
    candidate.status, candidate.closed_reason = CandidateStatus.CLOSED, "Withdrew"
    candidate.save()
    response = client_for(qa).get(reverse("sourcing:compare", args=[scored.pk]))
    assert "Closed" in response.content.decode()
    assert len(response.context["comparison"].candidates) == 2


def test_a_manager_who_does_not_evaluate_sees_the_comparison_before_anyone_submits(client_for, manager, qa):
    selection = evaluating_selection(evaluators=[manager, qa])
    response = client_for(make_user("mark", Role.MANAGER)).get(
        reverse("sourcing:compare", args=[selection.pk])
    )
    assert response.status_code == 200
    assert "No evaluator has submitted a score sheet yet." in response.content.decode()


def test_qa_who_do_not_evaluate_get_403_on_the_page_and_every_export(client_for, scored):
    client = client_for(make_user("quentin", Role.QA))
    for name in ("sourcing:compare", "sourcing:compare_csv", "sourcing:compare_xlsx", "sourcing:compare_pdf"):
        assert client.get(reverse(name, args=[scored.pk])).status_code == 403, name


@pytest.mark.parametrize("name", ["sourcing:compare_csv", "sourcing:compare_xlsx", "sourcing:compare_pdf"])
def test_exports_follow_the_blind_rule(client_for, manager, qa, name):
    selection = evaluating_selection(evaluators=[manager, qa])
    fill_sheet(selection, manager)
    client = client_for(qa)
    assert client.get(reverse(name, args=[selection.pk])).status_code == 403
    fill_sheet(selection, qa)
    assert client.get(reverse(name, args=[selection.pk])).status_code == 200


# Exports


@pytest.fixture
def evil(manager, qa):
    selection = evaluating_selection(evaluators=[manager, qa], candidates=1, weights={"Quality": 100})
    selection.candidates.update(vendor=VendorFactory(name=EVIL, slug="evil"))
    fill_sheet(selection, manager, lambda candidate, criterion: 4)
    fill_sheet(selection, qa, lambda candidate, criterion: 2)
    return selection


def test_csv_is_formula_safe_and_keeps_numbers(client_for, qa, evil):
    response = client_for(qa).get(reverse("sourcing:compare_csv", args=[evil.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="comparison-{evil.reference}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    ranking = rows[
        rows.index(["Rank", "Candidate", "Status", "Weighted total (1-5)", "% of maximum", "Disagreements"])
        + 1
    ]
    assert ranking == ["1", "'" + EVIL, "Invited", "3", "60", "1"]
    assert ["'" + EVIL, "Quality", "100", "3", "2", "4", "2", "yes", "2"] in rows


def test_xlsx_is_formula_safe(client_for, qa, evil):
    response = client_for(qa).get(reverse("sourcing:compare_xlsx", args=[evil.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    names = [cell for cell in cells if isinstance(cell.value, str) and EVIL in cell.value]
    assert names and all(cell.value == "'" + EVIL and cell.data_type == "s" for cell in names)
    assert 3 in [cell.value for cell in cells]  # the weighted total stays a number


def test_the_pdf_opens(client_for, qa, evil):
    response = client_for(qa).get(reverse("sourcing:compare_pdf", args=[evil.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")

"""The risk register: score = likelihood × impact in the database, checked scales, history, heat map."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from reviews.models import Risk
from tests.reviews.factories import RiskFactory


def test_score_is_computed_by_the_database(manager, vendor_a):
    risk = RiskFactory(vendor=vendor_a, owner=manager, likelihood=4, impact=5)
    assert risk.score == 20 and risk.band == "critical"
    Risk.objects.filter(pk=risk.pk).update(impact=2)
    risk.refresh_from_db()
    assert risk.score == 8 and risk.band == "medium"
    assert list(Risk.objects.order_by("-score").values_list("score", flat=True)) == [8]


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (3, 6)])
def test_scales_are_checked_by_the_database(manager, vendor_a, likelihood, impact):
    with pytest.raises(IntegrityError):
        RiskFactory(vendor=vendor_a, owner=manager, likelihood=likelihood, impact=impact)


def test_editing_a_risk_keeps_history(client_for, manager, vendor_a):
    risk = RiskFactory(vendor=vendor_a, owner=manager, likelihood=2, impact=3)
    data = {
        "vendor": vendor_a.pk,
        "category": "data_breach",
        "title": risk.title,
        "likelihood": "4",
        "impact": "5",
        "owner": manager.pk,
        "status": "mitigating",
        "mitigation": "Clean-desk audits",
    }
    response = client_for(manager).post(reverse("reviews:risk_edit", args=[risk.pk]), data)
    assert response.status_code == 302
    page = client_for(manager).get(risk.get_absolute_url())
    assert [(h.likelihood, h.impact, h.score) for h in page.context["history"]] == [(4, 5, 20), (2, 3, 6)]


def test_bad_risk_input_changes_nothing(client_for, qa, manager, vendor_a, vendor_b):
    risk = RiskFactory(vendor=vendor_a, owner=manager, likelihood=2, impact=3)
    data = {
        "vendor": vendor_a.pk,
        "category": "nope",
        "title": "",
        "likelihood": "7",
        "impact": "0",
        "owner": "",
        "status": "open",
    }
    response = client_for(qa).post(reverse("reviews:risk_edit", args=[risk.pk]), data)
    assert response.status_code == 200
    assert {"category", "title", "likelihood", "impact", "owner"} <= set(response.context["form"].errors)
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (2, 3)


def test_heat_map_for_the_portfolio_and_one_vendor(client_for, manager, vendor_a, vendor_b):
    RiskFactory(vendor=vendor_a, owner=manager, likelihood=5, impact=5)
    RiskFactory(vendor=vendor_a, owner=manager, likelihood=5, impact=5)
    RiskFactory(vendor=vendor_b, owner=manager, likelihood=1, impact=2)
    RiskFactory(vendor=vendor_b, owner=manager, likelihood=3, impact=3, status="closed")

    def cells(**query):
        grid = client_for(manager).get(reverse("reviews:risk_list"), query).context["grid"]
        return {
            (c["likelihood"], c["impact"]): c["count"] for row in grid for c in row["cells"] if c["count"]
        }

    assert cells() == {(5, 5): 2, (1, 2): 1}
    assert cells(vendor=vendor_b.pk) == {(1, 2): 1}
    # Clicking a cell lists its risks; the grid still shows the whole portfolio.
    response = client_for(manager).get(reverse("reviews:risk_list"), {"likelihood": 5, "impact": 5})
    assert len(response.context["page"]) == 2
    assert b"heat-critical" in response.content and b'style="' not in response.content

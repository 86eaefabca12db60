"""Baselines: one per service, entered with clear errors, and changing one keeps its history."""

from decimal import Decimal

import pytest
from django.urls import reverse

from costs.models import ValueBaseline
from tests.costs.value_builders import baseline
from tests.factories import ServiceFactory
from tests.kpis.factories import kpi

pytestmark = pytest.mark.django_db


def form_data(**fields):
    return {
        "unit_name": "contact",
        "cost_per_unit": "3.40",
        "volume_kpi": kpi("aht").pk,
        "processing_time_seconds": "330",
        "error_rate_percent": "2.5",
        "measured_until": "2026-06-30",
        "note": "Finance, FY2025 actuals",
        **fields,
    }


def test_the_page_lists_every_service_with_or_without_a_baseline(client_for, manager):
    baseline(ServiceFactory(), manager)
    ServiceFactory(code="collections", name="Collections")
    content = client_for(manager).get(reverse("costs:baselines")).content.decode()
    assert "3.00 per contact" in content
    assert "No baseline yet" in content


def test_a_baseline_is_entered_once_per_service_and_changed_in_place(client_for, manager):
    service = ServiceFactory()
    url = reverse("costs:baselines") + f"?service={service.code}"
    client = client_for(manager)
    assert client.post(url, form_data()).status_code == 302
    assert client.post(url, form_data(cost_per_unit="3.60")).status_code == 302
    stored = ValueBaseline.objects.get()
    assert (stored.service, stored.cost_per_unit, stored.entered_by) == (service, Decimal("3.60"), manager)
    assert [h.cost_per_unit for h in stored.history.all()] == [Decimal("3.60"), Decimal("3.40")]
    earlier = client.get(url).content.decode()
    assert "Earlier versions" in earlier and "3.4000" in earlier


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"cost_per_unit": "0"}, "must be more than zero"),
        ({"error_rate_percent": "140"}, "between 0 and 100"),
        ({"measured_until": "2999-01-31"}, "cannot be ahead"),
        ({"volume_kpi": ""}, "This field is required"),
    ],
)
def test_bad_figures_re_render_with_a_clear_error(client_for, manager, fields, error):
    service = ServiceFactory()
    response = client_for(manager).post(
        reverse("costs:baselines") + f"?service={service.code}", form_data(**fields)
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not ValueBaseline.objects.exists()


def test_an_unknown_service_is_not_found(client_for, manager):
    assert client_for(manager).get(reverse("costs:baselines") + "?service=nope").status_code == 404


@pytest.mark.parametrize("count", [1, 6])
def test_the_page_costs_the_same_queries_at_any_size(client_for, manager, django_assert_num_queries, count):
    for number in range(count):
        baseline(ServiceFactory(code=f"service-{number}", name=f"Service {number}"), manager)
    client = client_for(manager)
    # session, user, profile, the services with their baselines, KPIs and people.
    with django_assert_num_queries(4):
        assert client.get(reverse("costs:baselines")).status_code == 200

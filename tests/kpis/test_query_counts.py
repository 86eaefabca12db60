"""The portfolio grid, a vendor's scorecard and its trends cost the same number of queries at any size."""

from datetime import date

import pytest
from django.urls import reverse

from kpis.models import Measurement
from kpis.periods import add_months
from tests.factories import VendorFactory
from tests.kpis.factories import SLATargetFactory, kpi

pytestmark = pytest.mark.django_db
OCT = date(2025, 10, 1)


def portfolio_of(vendors, codes, months):
    made = []
    for number in range(vendors):
        vendor = VendorFactory(name=f"Vendor {number:03d}")
        sla = SLATargetFactory(sla__vendor=vendor, kpi=kpi(codes[0])).sla
        for code in codes[1:]:
            SLATargetFactory(sla=sla, kpi=kpi(code), target=50, warning_threshold=45, breach_threshold=40)
        made.append(vendor)
    Measurement.objects.bulk_create(
        Measurement(vendor=vendor, kpi=kpi(code), period=add_months(OCT, -offset), value=60 + offset)
        for vendor in made
        for code in codes
        for offset in range(months)
    )
    return made


SMALL = (2, ["csat", "fcr"], 2)
LARGE = (12, ["csat", "fcr", "qa-score", "service-level", "schedule-adherence"], 14)


@pytest.mark.parametrize("size", [(3, ["csat", "fcr"], 2), (60, ["csat", "fcr", "qa-score", "aht"], 3)])
@pytest.mark.parametrize(
    "params", [{}, {"breached": "on", "sort": "-kpi-fcr", "page": 2, "q": "Vendor", "status": "active"}]
)
def test_grid_queries_do_not_grow(client_for, manager, django_assert_num_queries, size, params):
    """Session, user, profile, KPIs, the grid's figures, the page's vendors, their targets with the
    targets' KPIs, SLAs and contracts, their measurements, and the services the filter offers."""
    portfolio_of(*size)
    client = client_for(manager)
    with django_assert_num_queries(12):
        response = client.get(reverse("kpis:portfolio"), {"period": "2025-10", **params})
    assert response.context["portfolio"].vendors == size[0]


@pytest.mark.parametrize("size", [SMALL, LARGE])
@pytest.mark.parametrize("name", ["kpis:scorecard", "kpis:trends", "kpis:scorecard-xlsx"])
def test_vendor_pages_queries_do_not_grow(client_for, manager, django_assert_num_queries, size, name):
    vendor = portfolio_of(*size)[0]
    client = client_for(manager)
    with django_assert_num_queries(6):
        response = client.get(
            reverse(name, kwargs={"slug": vendor.slug}), {"period": "2025-10", "months": 24}
        )
    assert response.status_code == 200

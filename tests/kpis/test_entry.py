"""Managing SLAs and entering a month's values through the pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.models import Measurement, SLATarget
from tests.kpis.factories import SLATargetFactory, kpi

pytestmark = pytest.mark.django_db
OCT = date(2025, 10, 1)


def test_a_months_values_on_one_screen(client_for, manager, vendor_a):
    sla = SLATargetFactory(sla__vendor=vendor_a).sla
    aht = SLATargetFactory(sla=sla, kpi=kpi("aht"), target=300, warning_threshold=320, breach_threshold=345)
    csat_field, aht_field = f"kpi_{kpi('csat').pk}", f"kpi_{aht.kpi_id}"
    url = reverse("kpis:month-values", kwargs={"slug": vendor_a.slug}) + "?period=2025-10"
    client = client_for(manager)

    bad = client.post(url, {csat_field: "lots", aht_field: "4:30"})
    assert bad.status_code == 200 and "is not a number" in bad.content.decode()
    assert not Measurement.objects.exists()

    client.post(url, {csat_field: "85,5%", aht_field: "4:30"})
    assert dict(Measurement.objects.values_list("kpi__code", "value")) == {
        "csat": Decimal("85.5"),
        "aht": Decimal(270),
    }
    page = client.get(reverse("kpis:scorecard", kwargs={"slug": vendor_a.slug}), {"period": "2025-10"})
    assert "85.5%" in page.content.decode() and "4:30" in page.content.decode()


def test_vendor_staff_enter_values_only_when_allowed(client_for, staff_a, vendor_a):
    target = SLATargetFactory(sla__vendor=vendor_a)
    url = reverse("kpis:month-values", kwargs={"slug": vendor_a.slug})
    assert client_for(staff_a).get(url).status_code == 403
    target.sla.vendor_may_submit = True
    target.sla.save()
    assert client_for(staff_a).get(url).status_code == 200


def test_changing_a_target_adds_a_version(client_for, manager, vendor_a):
    current = SLATargetFactory(sla__vendor=vendor_a, effective_from=date(2025, 1, 1))
    url = reverse("kpis:target-change", kwargs={"pk": current.pk})
    body = {
        "target": "88",
        "warning_threshold": "85",
        "breach_threshold": "80",
        "weight": "2",
        "frequency": "monthly",
        "service_credit_percent": "2",
        "effective_from": "2025-07-01",
    }
    client = client_for(manager)

    wrong_way = client.post(url, {**body, "warning_threshold": "90"})
    assert "cannot be better than the target" in wrong_way.content.decode()

    client.post(url, body)
    versions = list(SLATarget.objects.order_by("effective_from").values_list("target", "effective_to"))
    assert versions == [(Decimal(85), date(2025, 7, 1)), (Decimal(88), None)]


def test_adding_a_kpi_checks_thresholds_against_its_direction(client_for, manager, vendor_a):
    sla = SLATargetFactory(sla__vendor=vendor_a).sla
    body = {
        "kpi": kpi("aht").pk,
        "target": "300",
        "warning_threshold": "280",
        "breach_threshold": "345",
        "weight": "1",
        "frequency": "monthly",
        "service_credit_percent": "2",
        "effective_from": "2025-01-01",
    }
    url = reverse("kpis:target-add", kwargs={"pk": sla.pk})
    client = client_for(manager)

    assert "cannot be better than the target" in client.post(url, body).content.decode()
    client.post(url, {**body, "warning_threshold": "320"})
    assert sla.targets.filter(kpi__code="aht").count() == 1
    again = client.post(url, {**body, "warning_threshold": "320", "effective_from": "2025-03-01"})
    assert "already in this SLA" in again.content.decode()

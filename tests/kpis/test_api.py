"""The REST API: token auth, scoping to the caller's vendor, and who may write measurements."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from kpis.models import Measurement
from tests.kpis.factories import SLATargetFactory, measure

pytestmark = pytest.mark.django_db
OCT = date(2025, 10, 1)


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


@pytest.fixture
def data(vendor_a, vendor_b):
    measure(vendor_a, "csat", OCT, 85)
    measure(vendor_b, "csat", OCT, 70)


def test_without_a_token_nothing_is_served(data):
    assert APIClient().get("/api/measurements/").status_code == 401


def test_manager_token_sees_every_vendor(manager, data):
    response = api(manager).get("/api/measurements/")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_staff_token_sees_only_its_vendor(staff_a, vendor_a, vendor_b, data):
    client = api(staff_a)
    rows = client.get("/api/measurements/").json()["results"]
    assert [(row["vendor"], row["kpi"], row["value"]) for row in rows] == [(vendor_a.pk, "csat", "85")]
    assert client.get(f"/api/measurements/?vendor={vendor_b.pk}").json()["count"] == 0
    assert [v["id"] for v in client.get("/api/vendors/").json()["results"]] == [vendor_a.pk]
    assert client.get(f"/api/vendors/{vendor_b.pk}/").status_code == 404


def test_staff_cannot_write_unless_the_sla_allows_it(staff_a, vendor_a):
    target = SLATargetFactory(sla__vendor=vendor_a)
    body = {"vendor": vendor_a.pk, "kpi": "csat", "period": "2025-10-01", "value": "85%"}

    refused = api(staff_a).post("/api/measurements/", body, format="json")
    assert refused.status_code == 403
    assert "may not submit" in refused.json()["detail"]
    assert not Measurement.objects.exists()

    target.sla.vendor_may_submit = True
    target.sla.save()
    accepted = api(staff_a).post("/api/measurements/", body, format="json")
    assert accepted.status_code == 201
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.source, measurement.entered_by) == (Decimal(85), "api", staff_a)


def test_a_foreign_vendor_id_is_rejected_with_a_reason(staff_a, vendor_a, vendor_b):
    SLATargetFactory(sla__vendor=vendor_a, sla__vendor_may_submit=True)
    body = {"vendor": vendor_b.pk, "kpi": "csat", "period": "2025-10-01", "value": "85"}

    response = api(staff_a).post("/api/measurements/", body, format="json")

    assert response.status_code == 400
    assert "only send measurements for your own vendor" in response.json()["vendor"][0]
    assert not Measurement.objects.exists()


def test_posting_the_same_period_again_updates_it(manager, vendor_a):
    client = api(manager)
    body = {"vendor": vendor_a.pk, "kpi": "aht", "period": "2025-10-01", "value": "4:30"}
    assert client.post("/api/measurements/", body, format="json").status_code == 201
    second = client.post("/api/measurements/", {**body, "value": "290"}, format="json")

    assert second.status_code == 200
    assert Measurement.objects.get().value == Decimal(290)
    assert Measurement.history.count() == 2


def test_bad_values_are_refused(manager, vendor_a):
    client = api(manager)
    bad_value = {"vendor": vendor_a.pk, "kpi": "csat", "period": "2025-10-01", "value": "lots"}
    bad_period = {**bad_value, "value": "85", "period": "2025-10-15"}
    assert client.post("/api/measurements/", bad_value, format="json").json() == {
        "value": ["“lots” is not a number"]
    }
    assert "first day" in client.post("/api/measurements/", bad_period, format="json").json()["period"][0]


def test_openapi_schema_describes_the_endpoints(manager):
    response = api(manager).get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/measurements/" in response.content


def test_a_user_creates_and_rotates_their_own_token(client_for, staff_a):
    client = client_for(staff_a)
    client.post("/kpis/api-token/")
    first = Token.objects.get(user=staff_a).key
    client.post("/kpis/api-token/")
    second = Token.objects.get(user=staff_a).key

    assert first != second
    assert second in client.get("/kpis/api-token/").content.decode()

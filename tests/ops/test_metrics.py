"""GET /metrics: only for the bearer of METRICS_TOKEN; requests counted by view, alerts waiting counted
in the database at scrape time, and in multiprocess mode (gunicorn) the sum over every process."""

from functools import partial

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from alerts.models import Channel, DeliveryStatus
from tests.alerts.factories import InAppAlertFactory

pytestmark = pytest.mark.django_db

TOKEN = "scrape-me-4f2a"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


def samples(text, name):
    """{labels as a sorted tuple of pairs: value} of one metric's samples named `name`."""
    return {
        tuple(sorted(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    }


def test_off_while_no_token_is_set(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get(reverse("metrics")).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x"])
def test_refused_without_the_token(client, token, manager, header):
    client.force_login(manager)
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    assert client.get(reverse("metrics"), **extra).status_code == 403


def test_requests_counted_by_view_name_and_status(client, token):
    def healthz_count():
        text = client.get(reverse("metrics"), **token).content.decode()
        key = (("method", "GET"), ("status", "200"), ("view", "healthz"))
        return samples(text, "bporeg_http_requests_total").get(key, 0)

    before = healthz_count()
    for _ in range(3):
        client.get(reverse("healthz"))
    assert healthz_count() == before + 3
    # A path no URL matches is one label value, however many different paths are tried.
    client.get("/no-such-page-1")
    client.get("/no-such-page-2")
    text = client.get(reverse("metrics"), **token).content.decode()
    views = {dict(labels)["view"] for labels in samples(text, "bporeg_http_requests_total")}
    assert "<unresolved>" in views
    assert not any("no-such-page" in view for view in views)


def test_alerts_waiting_by_status_and_channel(client, token, manager):
    alert = partial(InAppAlertFactory, recipient=manager)
    for _ in range(3):
        alert(channel=Channel.EMAIL, status=DeliveryStatus.PENDING)
    alert(channel=Channel.EMAIL, status=DeliveryStatus.FAILED)
    alert(channel=Channel.DIGEST, status=DeliveryStatus.PENDING)
    alert(channel=Channel.EMAIL, status=DeliveryStatus.SENT)
    alert()  # in the app: delivered when raised
    response = client.get(reverse("metrics"), **token)
    assert response.status_code == 200
    waiting = samples(response.content.decode(), "bporeg_alerts_waiting")
    assert waiting[(("channel", "email"), ("status", "pending"))] == 3
    assert waiting[(("channel", "email"), ("status", "failed"))] == 1
    assert waiting[(("channel", "digest"), ("status", "pending"))] == 1
    assert waiting[(("channel", "slack"), ("status", "failed"))] == 0
    assert not any(dict(labels)["channel"] == "in_app" for labels in waiting)


def test_one_query_for_the_alerts_waiting(client, token, manager, django_assert_num_queries):
    InAppAlertFactory(recipient=manager, channel=Channel.EMAIL, status=DeliveryStatus.PENDING)
    with django_assert_num_queries(1):
        client.get(reverse("metrics"), **token)

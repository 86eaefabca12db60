"""Delivering alerts: once each, failures recorded and retried with backoff, preferences followed."""

import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from alerts import services
from alerts.due import CONTRACT_REVIEW
from alerts.models import Alert, AlertPreference, Channel, DeliveryStatus, EmailMode, Webhook
from tests.factories import ContractFactory, VendorFactory, make_user

pytestmark = pytest.mark.django_db
# A day no periodic review is due or missed: these tests are about one contract alert.
TODAY = date(2026, 3, 20)


@pytest.fixture
def review_due(manager, vendor_a):
    return ContractFactory(vendor=vendor_a, reference="MSA-1", next_review_date=TODAY)


@pytest.fixture
def webhook_server():
    """A local stand-in for Slack / Teams: records each POST; answers 500 for URLs containing 'down'."""
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append((self.path, body))
            self.send_response(500 if "down" in self.path else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", received
    server.shutdown()


def test_an_email_has_text_and_html_parts_with_absolute_links(review_due, manager):
    services.run_job("daily", today=TODAY)
    assert services.deliver_pending() == {DeliveryStatus.SENT: 1}
    [message] = mail.outbox
    assert message.subject == "[bporeg] Acme Support: yearly review of contract MSA-1 is due today"
    assert message.to == [manager.email]
    assert "http://127.0.0.1:8000/vendors/acme-support/" in message.body
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    assert 'href="http://127.0.0.1:8000/vendors/acme-support/"' in html
    assert message.extra_headers["Message-ID"].startswith("<alert-")


def test_sending_twice_sends_once(review_due):
    services.run_job("daily", today=TODAY)
    services.run_job("daily", today=TODAY)
    services.deliver_pending()
    services.deliver_pending()
    assert len(mail.outbox) == 1


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="127.0.0.1",
    EMAIL_PORT=1,
    EMAIL_TIMEOUT=1,
)
def test_an_smtp_error_is_recorded_and_retried_with_backoff(review_due):
    with time_machine.travel("2026-03-20 08:00 +01:00", tick=False):
        services.run_job("daily", today=TODAY)
        assert services.deliver_pending() == {DeliveryStatus.FAILED: 1}
        alert = Alert.objects.get(channel=Channel.EMAIL)
        assert alert.attempts == 1 and "ConnectionRefusedError" in alert.last_error
        assert timedelta(minutes=1) <= alert.next_attempt_at - timezone.now() <= timedelta(minutes=1.1)
        assert services.deliver_pending() == {}, "not before its next attempt"
    with time_machine.travel("2026-03-20 08:02 +01:00", tick=False):
        services.deliver_pending()
        alert.refresh_from_db()
        assert alert.attempts == 2
        assert timedelta(minutes=2) <= alert.next_attempt_at - timezone.now() <= timedelta(minutes=2.2)
    with (
        time_machine.travel("2026-03-20 08:05 +01:00", tick=False),
        override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        services.deliver_pending()
    alert.refresh_from_db()
    assert (alert.status, alert.attempts, alert.last_error) == (DeliveryStatus.SENT, 3, "")
    assert len(mail.outbox) == 1


def test_a_failing_webhook_is_retried_and_does_not_stop_the_others(review_due, vendor_a, webhook_server):
    url, received = webhook_server
    Webhook.objects.create(name="Ops Slack", service=Channel.SLACK, url=f"{url}/slack")
    Webhook.objects.create(
        name="Broken Teams", service=Channel.TEAMS, url=f"{url}/teams-down", vendor=vendor_a
    )
    Webhook.objects.create(name="Other vendor", service=Channel.SLACK, url=f"{url}/b", vendor=VendorFactory())
    Webhook.objects.create(name="Only breaches", service=Channel.SLACK, url=f"{url}/x", kinds=["sla_breach"])
    services.run_job("daily", today=TODAY)
    counts = services.deliver_pending()
    assert counts == {DeliveryStatus.SENT: 2, DeliveryStatus.FAILED: 1}
    assert len(mail.outbox) == 1
    paths = sorted(path for path, _ in received)
    assert paths == ["/slack", "/teams-down"]
    slack = dict(received)["/slack"]
    assert "<http://127.0.0.1:8000/vendors/acme-support/|Open in bporeg>" in slack["text"]
    teams = Alert.objects.get(channel=Channel.TEAMS)
    assert teams.status == DeliveryStatus.FAILED and "500" in teams.last_error


def test_preferences_choose_channels_and_the_digest_bundles(manager, vendor_a):
    ContractFactory(vendor=vendor_a, reference="MSA-1", next_review_date=TODAY)
    ContractFactory(vendor=vendor_a, reference="MSA-2", next_review_date=TODAY, end_date=TODAY)
    AlertPreference.objects.create(user=manager, kind=CONTRACT_REVIEW, in_app=False, email=EmailMode.DIGEST)
    AlertPreference.objects.create(user=manager, kind="contract_end", in_app=True, email=EmailMode.OFF)
    services.run_job("daily", today=TODAY)
    assert sorted(Alert.objects.values_list("kind", "channel")) == [
        ("contract_end", Channel.IN_APP),
        (CONTRACT_REVIEW, Channel.DIGEST),
        (CONTRACT_REVIEW, Channel.DIGEST),
    ]
    assert services.deliver_pending() == {}
    assert services.send_digests() == 1
    assert services.send_digests() == 0
    [digest] = mail.outbox
    assert digest.subject == "[bporeg] Your daily digest: 2 alerts"
    assert "MSA-1" in digest.body and "MSA-2" in digest.body


def test_people_without_an_email_address_get_in_app_alerts_only(vendor_a):
    make_user("noemail", "manager", email="")
    ContractFactory(vendor=vendor_a, next_review_date=TODAY)
    services.run_job("daily", today=TODAY)
    assert list(Alert.objects.values_list("channel", flat=True)) == [Channel.IN_APP]

"""Sending in batches: a fixed number of queries per batch, one mail server connection per batch, and a
refused address failing only its own alert."""

import math
import smtplib
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from alerts import services
from alerts.models import Alert, Channel, DeliveryStatus
from tests.factories import ContractFactory, VendorFactory, make_user

# A day no periodic review is due or missed: each contract below raises one review alert.
TODAY = date(2026, 3, 20)
BATCH = 20
BACKEND = "tests.alerts.test_sending.CountingBackend"


class CountingBackend(locmem.EmailBackend):
    """locmem that counts the connections opened and refuses every address at bounce.example."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            if message.to[0].endswith("@bounce.example"):
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such mailbox")})
        return super().send_messages(messages)


@pytest.fixture
def backend():
    CountingBackend.opened = 0
    with override_settings(EMAIL_BACKEND=BACKEND, ALERT_SEND_BATCH=BATCH):
        yield CountingBackend


def reviews_due(count, owner=None):
    for number in range(count):
        ContractFactory(
            vendor=VendorFactory(name=f"Vendor {number:02d}", owner=owner),
            reference=f"C{number:02d}",
            next_review_date=TODAY,
        )
    services.run_job("daily", today=TODAY)


# Transactional: the count is then what a worker makes, without the test case's savepoints.
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("count", [10, 45])
def test_sending_n_emails_costs_at_most_n_queries_and_sends_each_once(count, manager, backend):
    reviews_due(count)
    with CaptureQueriesContext(connection) as queries:
        assert services.deliver_pending() == {DeliveryStatus.SENT: count}
    batches = math.ceil(count / BATCH)
    # Per batch: BEGIN, claim, record the sent ones, COMMIT; the last, short batch ends the sweep.
    assert len(queries) == 4 * batches <= count
    assert backend.opened == batches
    message_ids = sorted(message.extra_headers["Message-ID"] for message in mail.outbox)
    expected = sorted(
        f"<alert-{pk}@bporeg>"
        for pk in Alert.objects.filter(channel=Channel.EMAIL).values_list("pk", flat=True)
    )
    assert message_ids == expected
    assert {message.to[0] for message in mail.outbox} == {manager.email}
    assert (
        Alert.objects.filter(channel=Channel.EMAIL, status=DeliveryStatus.SENT, attempts=1).count() == count
    )
    assert services.deliver_pending() == {}


@pytest.mark.django_db(transaction=True)
def test_a_refused_address_fails_its_alert_only_and_is_retried_later(manager, backend):
    bouncer = make_user("bouncer", Role.MANAGER, email="old-address@bounce.example")
    reviews_due(2)  # no owner: every manager is told
    assert Alert.objects.filter(channel=Channel.EMAIL).count() == 4
    with CaptureQueriesContext(connection) as queries:
        counts = services.deliver_pending()
    assert counts == {DeliveryStatus.SENT: 2, DeliveryStatus.FAILED: 2}
    # BEGIN, claim, record the sent ones, record the failed ones, COMMIT.
    assert len(queries) == 5
    assert sorted(message.subject for message in mail.outbox) == [
        "[bporeg] Vendor 00: yearly review of contract C00 is due today",
        "[bporeg] Vendor 01: yearly review of contract C01 is due today",
    ]
    assert {message.to[0] for message in mail.outbox} == {manager.email}
    for alert in Alert.objects.filter(channel=Channel.EMAIL, recipient=bouncer):
        assert (alert.status, alert.attempts) == (DeliveryStatus.FAILED, 1)
        assert "SMTPRecipientsRefused" in alert.last_error and "No such mailbox" in alert.last_error
        wait = alert.next_attempt_at - timezone.now()
        assert timedelta(seconds=50) <= wait <= timedelta(minutes=1.1)
    assert services.deliver_pending() == {}, "not before their next attempt"
    assert len(mail.outbox) == 2

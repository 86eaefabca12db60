"""Sending alerts by email or to a Slack / Microsoft Teams incoming webhook.

An `Outbox` sends one batch: its emails over one connection to the mail server (opened at the first
email, closed at the end), its webhooks one POST each. `Outbox.send` and `Outbox.send_digest` return
None when the message went out, or the reason it did not: the caller records that on the alert and
retries later, and the other alerts of the batch carry on. Each email has a Message-ID made from the
alert's id, so a resend after a crash between "sent" and "recorded" is recognisable as the same message.
"""

import json
import logging
import urllib.request
from urllib.error import URLError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string, select_template

from alerts import registry
from alerts.models import Channel

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 10
# SMTP and HTTP errors are OSError subclasses; ValueError covers a malformed address or URL.
SEND_ERRORS = (OSError, URLError, ValueError)


def _reason(error) -> str:
    return f"{type(error).__name__}: {error}"


def _render(name, kind, context):
    template = select_template([f"alerts/email/{kind}_{name}", f"alerts/email/alert_{name}"])
    return template.render(context)


def _email(to, subject, text, html, message_id):
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[to],
        headers={"Message-ID": message_id},
    )
    message.attach_alternative(html, "text/html")
    return message


def _alert_email(alert):
    context = {"alert": alert, "kind": registry.label(alert.kind), "site_url": settings.SITE_URL}
    return _email(
        alert.recipient.email,
        _render("subject.txt", alert.kind, context),
        _render("body.txt", alert.kind, context),
        _render("body.html", alert.kind, context),
        f"<alert-{alert.pk}@bporeg>",
    )


def _digest_email(user, alerts):
    context = {"user": user, "alerts": alerts, "site_url": settings.SITE_URL}
    return _email(
        user.email,
        render_to_string("alerts/email/digest_subject.txt", context),
        render_to_string("alerts/email/digest_body.txt", context),
        render_to_string("alerts/email/digest_body.html", context),
        f"<digest-{user.pk}-{min(alert.pk for alert in alerts)}@bporeg>",
    )


def _webhook_payload(alert):
    if alert.channel == Channel.SLACK:
        return {"text": f"*{alert.title}*\n{alert.message}\n<{alert.url}|Open in bporeg>"}
    return {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": alert.title,
        "title": alert.title,
        "text": alert.message,
        "potentialAction": [
            {"@type": "OpenUri", "name": "Open in bporeg", "targets": [{"os": "default", "uri": alert.url}]}
        ],
    }


def _post_webhook(alert):
    request = urllib.request.Request(
        alert.webhook.url,
        data=json.dumps(_webhook_payload(alert)).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
        response.read()


class Outbox:
    """One batch's sending: `with Outbox() as outbox: outbox.send(alert)` for each alert."""

    def __init__(self):
        self.connection = None
        self.unreachable = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._close()

    def _close(self):
        if self.connection is None:
            return
        try:
            self.connection.close()
        except SEND_ERRORS:
            # The messages were handed over (or their failure noted) already: only the goodbye failed.
            logger.warning("Closing the connection to the mail server failed.", exc_info=True)
        # The next message opens a connection of its own that stays open for the rest of the batch;
        # a closed backend left here would open and close one per message instead.
        self.connection = None

    def _deliver(self, message) -> str | None:
        if self.unreachable:
            # The server refused the batch's connection: the rest of the batch retries later, untried.
            return self.unreachable
        if self.connection is None:
            self.connection = get_connection()
            try:
                self.connection.open()
            except SEND_ERRORS as error:
                self.unreachable = _reason(error)
                return self.unreachable
        try:
            self.connection.send_messages([message])
        except SEND_ERRORS as error:
            # The session may be broken (a dropped connection): the next message opens a fresh one.
            self._close()
            return _reason(error)
        return None

    def send(self, alert) -> str | None:
        if alert.channel == Channel.EMAIL:
            return self._deliver(_alert_email(alert))
        try:
            _post_webhook(alert)
        except SEND_ERRORS as error:
            return _reason(error)
        return None

    def send_digest(self, user, alerts) -> str | None:
        return self._deliver(_digest_email(user, alerts))

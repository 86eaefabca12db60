"""Sending one alert by email or to a Slack / Microsoft Teams incoming webhook.

`send` and `send_digest` return None when the message went out, or the reason it did not: the caller
records that on the alert and retries later, and the other recipients' alerts carry on.
Each email has a Message-ID made from the alert's id, so the rare resend after a crash between
"sent" and "recorded" is recognisable as the same message.
"""

import json
import logging
import urllib.request
from urllib.error import URLError

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string, select_template

from alerts import registry
from alerts.models import Channel

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT = 10


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
    message.send()


def _send_email(alert):
    context = {"alert": alert, "kind": registry.label(alert.kind), "site_url": settings.SITE_URL}
    _email(
        alert.recipient.email,
        _render("subject.txt", alert.kind, context),
        _render("body.txt", alert.kind, context),
        _render("body.html", alert.kind, context),
        f"<alert-{alert.pk}@bporeg>",
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


def send(alert) -> str | None:
    try:
        if alert.channel == Channel.EMAIL:
            _send_email(alert)
        else:
            _post_webhook(alert)
    except (OSError, URLError, ValueError) as error:
        # SMTP and HTTP errors are OSError subclasses; ValueError covers a malformed address or URL.
        return f"{type(error).__name__}: {error}"
    return None


def send_digest(user, alerts) -> str | None:
    context = {"user": user, "alerts": alerts, "site_url": settings.SITE_URL}
    first = min(alert.pk for alert in alerts)
    try:
        _email(
            user.email,
            render_to_string("alerts/email/digest_subject.txt", context),
            render_to_string("alerts/email/digest_body.txt", context),
            render_to_string("alerts/email/digest_body.html", context),
            f"<digest-{user.pk}-{first}@bporeg>",
        )
    except (OSError, ValueError) as error:
        return f"{type(error).__name__}: {error}"
    return None

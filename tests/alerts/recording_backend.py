"""An email backend for tests whose worker runs in another process: each message sent is appended as
one JSON line to the file named by ALERTS_TEST_OUTBOX, so the test reads what was really sent.
ALERTS_TEST_SEND_DELAY (seconds) makes each send slow, to kill a worker in the middle of a run."""

import json
import os
import time

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        delay = float(os.environ.get("ALERTS_TEST_SEND_DELAY", "0"))
        for message in email_messages:
            time.sleep(delay)
            html = next(
                (body for body, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
            )
            line = json.dumps(
                {
                    "message_id": message.extra_headers.get("Message-ID"),
                    "to": message.to,
                    "subject": message.subject,
                    "text": message.body,
                    "html": html,
                }
            )
            with open(os.environ["ALERTS_TEST_OUTBOX"], "a") as outbox:
                outbox.write(line + "\n")
        return len(email_messages)

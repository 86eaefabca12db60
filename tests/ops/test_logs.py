"""LOG_FORMAT=json: one JSON object per line on stderr, with the request id inside a request; plain text
by default; any other value stops the process."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from bporeg.logs import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]

LOG_SOME_LINES = """
import logging, django
django.setup()
log = logging.getLogger("bporeg.probe")
log.warning("vendor %s is late", "Acme")
try:
    1 / 0
except ZeroDivisionError:
    log.exception("the sum failed")
"""


def run_python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_json_lines():
    result = run_python(LOG_SOME_LINES, LOG_FORMAT="json")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(line["level"], line["logger"], line["message"]) for line in lines] == [
        ("WARNING", "bporeg.probe", "vendor Acme is late"),
        ("ERROR", "bporeg.probe", "the sum failed"),
    ]
    assert "ZeroDivisionError" in lines[1]["exception"]
    assert all(line["time"].endswith("+00:00") for line in lines)


def test_plain_text_by_default():
    result = run_python(LOG_SOME_LINES, LOG_FORMAT="")
    first = result.stderr.splitlines()[0]
    assert first.endswith(" WARNING bporeg.probe: vendor Acme is late")


def test_an_unknown_format_stops_the_process():
    result = run_python("import django; django.setup()", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT='xml' is not one of: plain, json" in result.stderr


@pytest.fixture
def request_log():
    """What django.request writes during a request, through the JSON formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_has_its_id_in_its_log_lines_and_response(client, request_log):
    # Metrics are off in the tests: a 404 that django.request logs while the request runs.
    response = client.get(reverse("metrics"), HTTP_X_REQUEST_ID="lb-7f3a")
    assert response["X-Request-ID"] == "lb-7f3a"
    assert [(line["message"], line["request_id"]) for line in request_log()] == [
        ("Not Found: /metrics", "lb-7f3a")
    ]


@pytest.mark.django_db
def test_a_malformed_request_id_is_replaced(client):
    response = client.get(reverse("healthz"), HTTP_X_REQUEST_ID="forged\nline")
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])

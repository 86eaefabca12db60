"""With SENTRY_DSN set, errors reach Sentry: a real HTTP server on 127.0.0.1 stands in for it and
receives the envelope a subprocess Django sends. Without it, the SDK is not started."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sentry_sdk

ROOT = Path(__file__).resolve().parents[2]

CAPTURE = """
import django, sentry_sdk
django.setup()
sentry_sdk.capture_message("vendor Acme missed its go-live")
sentry_sdk.flush(timeout=10)
"""


class Envelopes(BaseHTTPRequestHandler):
    """Keeps every envelope POSTed to it, as Sentry's ingestion endpoint would accept it."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Envelopes)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def items(envelope):
    """The JSON lines of an envelope: its header, then each item's header and payload."""
    return [json.loads(line) for line in envelope.splitlines() if line.strip()]


def test_a_message_reaches_sentry_with_the_environment(sentry_server):
    port = sentry_server.server_address[1]
    env = {**os.environ, "SENTRY_DSN": f"http://public@127.0.0.1:{port}/1", "SENTRY_ENVIRONMENT": "staging"}
    result = subprocess.run(
        [sys.executable, "-c", CAPTURE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    events = [
        item
        for path, body in sentry_server.received
        if path == "/api/1/envelope/"
        for item in items(body)
        if item.get("message") == "vendor Acme missed its go-live"
    ]
    assert len(events) == 1
    assert events[0]["environment"] == "staging"
    integrations = set(events[0]["sdk"]["integrations"])
    assert {"django", "celery"} <= integrations


def test_not_started_without_a_dsn():
    assert "SENTRY_DSN" not in os.environ
    assert not sentry_sdk.get_client().is_active()

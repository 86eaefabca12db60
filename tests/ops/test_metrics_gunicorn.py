"""Two gunicorn workers with PROMETHEUS_MULTIPROC_DIR: every scrape, whichever worker answers it, counts
the requests both answered."""

import os
import subprocess
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.alerts.processes import database_url, wait_for
from tests.ops.test_task_metrics import free_port

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "scrape-me-9c1e"


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    counting = tmp_path / "prometheus"
    counting.mkdir()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(counting),
    }
    command = [str(Path(sys.executable).parent / "gunicorn"), "bporeg.wsgi", "--workers", "2"]
    server = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(f"{base}/healthz") is not None, what="gunicorn to answer")
        yield base, counting
    finally:
        server.terminate()
        server.wait(timeout=30)


def get(url, **headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def healthz_requests(text):
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "bporeg_http_requests_total" and sample.labels["view"] == "healthz"
    )


def test_every_scrape_counts_the_requests_of_both_workers(gunicorn):
    base, counting = gunicorn
    before = healthz_requests(get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}"))
    # Requests side by side until both workers have answered some (each keeps its own counter file):
    # one worker answering everything would prove nothing about adding them up.
    sent = 0
    with ThreadPoolExecutor(max_workers=8) as pool:
        while len(list(counting.glob("counter_*.db"))) < 2 and sent < 400:
            assert all(pool.map(lambda _: get(f"{base}/healthz"), range(20)))
            sent += 20
    assert len(list(counting.glob("counter_*.db"))) >= 2, "both workers answered"
    scrapes = [get(f"{base}/metrics", Authorization=f"Bearer {TOKEN}") for _ in range(6)]
    assert [healthz_requests(text) for text in scrapes] == [before + sent] * 6

"""Real Celery workers and beats in subprocesses, against the test database and a real Redis.

Emails sent by those processes go through tests.alerts.recording_backend into a JSON-lines file,
so a test reads what was really sent.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).parent / "celery")


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def clear_broker(url: str) -> None:
    """Empty this test run's own Redis database (queues, unacknowledged messages)."""
    redis.Redis.from_url(url).flushdb()


def broker_idle(url: str) -> bool:
    client = redis.Redis.from_url(url)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


class Processes:
    """Start workers and beats; every process started is stopped at teardown."""

    def __init__(self, tmp_path, broker_url):
        self.tmp_path = tmp_path
        self.broker_url = broker_url
        self.outbox = tmp_path / "outbox.jsonl"
        self.outbox.touch()
        self.running = []

    def env(self, **extra):
        return {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_BACKEND": "tests.alerts.recording_backend.EmailBackend",
            "ALERTS_TEST_OUTBOX": str(self.outbox),
            "DATABASE_CONN_MAX_AGE": "0",
            **extra,
        }

    def log_of(self, process):
        return (self.tmp_path / f"{process.name}.log").read_text()

    def _start(self, args, name, **extra):
        name = f"{name}-{len(self.running)}"
        log = open(self.tmp_path / f"{name}.log", "w")  # noqa: SIM115 - kept open
        process = subprocess.Popen(
            [CELERY, "-A", "tests.alerts.worker_app", *args],
            cwd=ROOT,
            env=self.env(**extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        process.name = name
        self.running.append(process)
        return process

    def worker(self, *, pool="solo", **extra):
        name = f"alerts-test-{uuid.uuid4().hex[:8]}@%h"
        return self._start(
            [
                "worker",
                f"--pool={pool}",
                "--concurrency=2",
                "-l",
                "info",
                "-n",
                name,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            "worker",
            **extra,
        )

    def beat(self):
        schedule = self.tmp_path / f"beat-{uuid.uuid4().hex[:8]}"
        # Debug level: the log then shows each wake-up, so a test can wait for a few of them.
        return self._start(["beat", "-l", "debug", "--pidfile=", "-s", str(schedule)], "beat")

    def stop(self, process, sig=signal.SIGTERM, timeout=30):
        if process.poll() is None:
            process.send_signal(sig)
            process.wait(timeout=timeout)

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)

    def sent(self):
        return [json.loads(line) for line in self.outbox.read_text().splitlines()]

    def logs(self, tail=None):
        return "\n".join(
            path.read_text()[-tail if tail else None :] for path in sorted(self.tmp_path.glob("*.log"))
        )


def wait_for(predicate, *, timeout=60, what="the condition", processes=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    logs = processes.logs(tail=3000) if processes else ""
    raise AssertionError(f"Timed out waiting for {what}.\n{logs}")

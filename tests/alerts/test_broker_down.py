"""Redis down while a manager saves a breaching measurement: the save works, the alert waits in the
outbox (the alerts table) and goes out once when Redis is back; a rolled-back save sends nothing.

Runs its own redis-server on a free port, so the shared broker of the other test runs is untouched.
"""

import os
import re
import socket
import subprocess
import sys

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from alerts.measurements import SLA_BREACH
from alerts.models import Alert, Channel, DeliveryStatus
from kpis.models import Measurement
from kpis.periods import month_start
from tests.alerts.factories import SLATargetFactory
from tests.alerts.processes import ROOT, Processes, clear_broker, wait_for
from tests.alerts.test_faults import SEND, every_second, seed_schedules

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SAVE = """
from datetime import date
from decimal import Decimal
from django.db import transaction
from django.utils import timezone
from django.contrib.auth import get_user_model
from kpis.models import KPI, Source
from kpis.periods import add_months, month_start
from kpis.services import record_measurement
from vendors.models import Vendor
import time
manager = get_user_model().objects.get(username="maya")
vendor, kpi = Vendor.objects.get(name="Acme Support"), KPI.objects.get(code="csat")
started = time.monotonic()
this_month = month_start(timezone.localdate())
record_measurement(vendor=vendor, kpi=kpi, period=this_month, value=Decimal("{value}"),
                   source=Source.MANUAL, entered_by=manager)
print(f"saved in {{time.monotonic() - started:.2f}}s")
try:
    with transaction.atomic():
        record_measurement(vendor=vendor, kpi=kpi, period=add_months(this_month, -1), value=Decimal("12"),
                           source=Source.MANUAL, entered_by=manager)
        raise RuntimeError("rolled back")
except RuntimeError:
    print("rolled back")
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def without_faketime(environ):
    """The environment without libfaketime: preloaded into redis-server (when the suite runs under
    `faketime`), it recurses on jemalloc's first clock read and the server never starts. The broker's
    own clock plays no part here."""
    preload = [lib for lib in re.split(r"[:\s]+", environ.get("LD_PRELOAD", "")) if "libfaketime" not in lib]
    return {**environ, "LD_PRELOAD": " ".join(preload)}


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            env=without_faketime(os.environ),
        )
        wait_for(self.accepts, what="redis-server to start")

    def accepts(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
            return True
        except OSError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis():
    redis = OwnRedis()
    yield redis
    redis.stop()


def test_redis_down_while_saving_a_breach_then_back(tmp_path, own_redis, manager, vendor_a):
    seed_schedules()
    every_second(SEND)
    SLATargetFactory(sla__vendor=vendor_a)
    processes = Processes(tmp_path, own_redis.url)
    try:
        assert not own_redis.accepts(), "Redis is down"
        saved = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SAVE.format(value="81.25")],
            cwd=ROOT,
            env=processes.env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert saved.returncode == 0, saved.stderr
        assert "rolled back" in saved.stdout
        # The save does not wait out the broker's connection retries. Timed inside the process: starting
        # Python and Django on a loaded machine can take longer than the save itself.
        seconds = float(re.search(r"saved in ([\d.]+)s", saved.stdout)[1])
        assert seconds < 20, saved.stdout
        assert "Broker unreachable; pending alerts go out with the next sweep." in saved.stderr

        this_month = month_start(timezone.localdate())
        assert list(Measurement.objects.values_list("period", flat=True)) == [this_month]
        email = Alert.objects.get(channel=Channel.EMAIL)
        assert (email.kind, email.status) == (SLA_BREACH, DeliveryStatus.PENDING)

        own_redis.start()
        clear_broker(own_redis.url)
        processes.worker()
        processes.beat()
        wait_for(lambda: len(processes.sent()) == 1, what="the breach email", processes=processes)
        wait_for(
            lambda: processes.logs().count(f"Sending due task {SEND}") >= 4,
            what="more sweeps",
            processes=processes,
        )
        [message] = processes.sent()
        assert message["subject"] == (
            "[bporeg] Acme Support: Customer satisfaction (CSAT) breached its SLA target "
            f"({this_month:%B %Y})"
        )
        assert "is 81.25 against a target of 90" in message["text"]
        assert Alert.objects.get(channel=Channel.EMAIL).status == DeliveryStatus.SENT
        assert PeriodicTask.objects.filter(name=SEND).exists()
    finally:
        processes.stop_all()

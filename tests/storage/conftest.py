"""A real S3 server for the storage tests: moto's, in its own process on a free port of 127.0.0.1, with
one private bucket; and a fixture that points Django's default storage at it for one test."""

import socket
import subprocess
import sys
import uuid
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from bporeg.file_storage import upload_storage
from tests.factories import OnboardingPlanFactory, OnboardingTaskFactory
from vendors.models import Responsible

BUCKET = "bporeg-uploads"
ACCESS_KEY, SECRET_KEY = "bporeg-test", "bporeg-test-secret"
START_TIMEOUT = 30


@dataclass
class S3Server:
    endpoint: str
    client: object


@dataclass
class Bucket:
    """The bucket as boto3 sees it, limited to this test's prefix (AWS_LOCATION)."""

    server: S3Server
    prefix: str

    def keys(self):
        listing = self.server.client.list_objects_v2(Bucket=BUCKET, Prefix=f"{self.prefix}/")
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key):
        return self.server.client.get_object(Bucket=BUCKET, Key=key)["Body"].read()

    def object_url(self, key):
        return f"{self.server.endpoint}/{BUCKET}/{key}"


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answering(server, port, log):
    """Try to connect until the server accepts; waiting on the process doubles as noticing it died."""
    for _attempt in range(START_TIMEOUT * 10):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            try:
                server.wait(timeout=0.1)
            except subprocess.TimeoutExpired:
                continue
            pytest.fail(f"moto_server exited with {server.returncode}:\n{log.read_text()}")
    pytest.fail(f"moto_server did not answer on port {port} within {START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    pytest.importorskip("moto.server", reason="moto[server] (the dev extra) provides the local S3 server")
    boto3 = pytest.importorskip("boto3", reason="django-storages[s3] brings boto3")
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto_server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(server, port, log)
        endpoint = f"http://127.0.0.1:{port}"
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=BUCKET)
        yield S3Server(endpoint, client)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings):
    """Uploads of this test go to the bucket, under a prefix of their own, through the same settings
    builder as production. Assigning STORAGES makes Django drop its cached storages (the setting_changed
    handler), and FileFields hold the lazy default_storage, so every model follows."""
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": upload_storage(
            BUCKET,
            endpoint_url=s3_server.endpoint,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
            location=prefix,
        ),
    }
    return Bucket(s3_server, prefix)


@pytest.fixture
def vendor_task(vendor_a, manager):
    """An onboarding task of vendor A that its staff complete, with evidence."""
    plan = OnboardingPlanFactory(vendor=vendor_a, go_live=date(2026, 6, 1), created_by=manager)
    return OnboardingTaskFactory(plan=plan, title="Train vendor staff", responsible=Responsible.VENDOR)


@pytest.fixture
def complete_with_evidence(client_for):
    """What the task page's form sends, as a persona: done, a comment, a file."""

    def post(user, task, upload):
        return client_for(user).post(
            reverse("vendors:task_update", args=[task.pk]),
            {"status": "done", "comment": "All 40 agents trained.", "evidence": upload},
        )

    return post

"""GET /healthz says the process answers; GET /readyz checks the database, the broker and the storage,
and says 503, naming the part, when one is down."""

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from bporeg import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_checks(settings, monkeypatch):
    """Every test asks the parts themselves, not the last answer of the process."""
    settings.READINESS_CACHE_SECONDS = 0
    monkeypatch.setattr(health, "_last_readiness", None)


def test_alive_without_asking_any_dependency(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_when_database_broker_and_storage_answer(client, settings):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "storage": "ok", "status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    # The probe object was written under healthz/ and deleted again.
    assert default_storage.listdir("healthz") == ([], [])


def test_not_ready_when_the_broker_is_down(client, settings):
    # A port nothing listens on: the real client really fails to connect.
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "broker": "down", "storage": "ok", "status": "degraded"}


def test_not_ready_when_the_storage_cannot_be_written(client, settings, tmp_path):
    # Uploads under a regular file: creating the folder fails, even for root.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "uploads"
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["storage"] == "down"
    assert response.json()["database"] == "ok"


def test_not_ready_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_probes_within_the_cache_window_reuse_the_last_check(client, settings):
    settings.READINESS_CACHE_SECONDS = 60
    assert client.get(reverse("readyz")).status_code == 200
    # The broker goes down: a probe inside the window does not ask (nor write a probe file) again...
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    assert client.get(reverse("readyz")).json()["broker"] == "ok"
    # ...and once the window is over, it does.
    settings.READINESS_CACHE_SECONDS = 0
    assert client.get(reverse("readyz")).json()["broker"] == "down"

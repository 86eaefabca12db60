"""Readiness of the parts bporeg needs: the database, the Celery broker and the file storage.

Each check answers True or False and never raises: /readyz reports which part is down.
"""

import time
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from kombu import Connection

# Probe objects live under their own prefix, apart from every upload, so a probe that could not be
# deleted (the storage failed half-way) is easy to recognise and never mistaken for a document.
STORAGE_PROBE_PREFIX = "healthz/"
_PROBE_CONTENT = b"bporeg readiness probe"


# The last answer of this process: (monotonic time, {part: ok}).
_last_readiness = None


def readiness() -> dict[str, bool]:
    """Whether each part answers. Checked at most once per READINESS_CACHE_SECONDS in a process: the
    endpoint is public, and each check is a round trip to the database, the broker and the storage (a
    write), so a flood of probes must not become a flood of uploads."""
    global _last_readiness
    now = time.monotonic()
    if _last_readiness and now - _last_readiness[0] < settings.READINESS_CACHE_SECONDS:
        return _last_readiness[1]
    checks = {"database": database_ok(), "broker": broker_ok(), "storage": storage_ok()}
    _last_readiness = (now, checks)
    return checks


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def broker_ok(timeout: float = 2.0) -> bool:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)
        return True
    except Exception:
        return False


def storage_ok() -> bool:
    """Write, read back and delete a small object: what an upload and a download need, through the
    same STORAGES["default"] backend (local disk or an object store)."""
    # A name of its own per probe: two web processes probing at once must not delete each other's.
    name = f"{STORAGE_PROBE_PREFIX}{uuid.uuid4().hex}.txt"
    try:
        name = default_storage.save(name, ContentFile(_PROBE_CONTENT))
        try:
            with default_storage.open(name, "rb") as probe:
                return probe.read() == _PROBE_CONTENT
        finally:
            default_storage.delete(name)
    except Exception:
        return False

"""The alert tests' real Celery workers (subprocesses on the real Redis broker), shared with these tests."""

from tests.alerts.conftest import broker_url, processes

__all__ = ["broker_url", "processes"]

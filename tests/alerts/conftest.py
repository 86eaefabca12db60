"""Fixtures for the tests that run real Celery workers and beats against the real Redis broker."""

import pytest
from django.conf import settings

from tests.alerts.processes import Processes, clear_broker


@pytest.fixture
def broker_url():
    clear_broker(settings.CELERY_BROKER_URL)
    yield settings.CELERY_BROKER_URL
    clear_broker(settings.CELERY_BROKER_URL)


@pytest.fixture
def processes(tmp_path, broker_url):
    running = Processes(tmp_path, broker_url)
    yield running
    running.stop_all()

"""Prometheus counters of Celery tasks, served by the worker on CELERY_METRICS_PORT.

Tasks run in the pool's child processes, so the counters live in PROMETHEUS_MULTIPROC_DIR (settings
insist on it when the port is set) and the worker's main process serves what every child wrote.
Nothing here runs unless CELERY_METRICS_PORT is set.
"""

import logging

from celery import signals
from django.conf import settings
from prometheus_client import CollectorRegistry, Counter, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

logger = logging.getLogger(__name__)

TASKS = Counter(
    "bporeg_celery_tasks",
    "Celery tasks finished, by task name and outcome (succeeded, failed, retried).",
    ["task", "outcome"],
)


def _count(task, outcome):
    if settings.CELERY_METRICS_PORT:
        TASKS.labels(task.name, outcome).inc()


@signals.task_success.connect
def _succeeded(sender=None, **kwargs):
    _count(sender, "succeeded")


@signals.task_failure.connect
def _failed(sender=None, **kwargs):
    _count(sender, "failed")


@signals.task_retry.connect
def _retried(sender=None, **kwargs):
    _count(sender, "retried")


@signals.worker_ready.connect
def _serve_metrics(**kwargs):
    """In the worker's main process, once: the HTTP endpoint a Prometheus server scrapes."""
    port = settings.CELERY_METRICS_PORT
    if not port:
        return
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    start_http_server(port, addr=settings.CELERY_METRICS_ADDRESS, registry=registry)
    logger.info("Task metrics served on %s:%s/metrics.", settings.CELERY_METRICS_ADDRESS, port)

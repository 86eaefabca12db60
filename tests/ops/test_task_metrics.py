"""A real prefork worker with CELERY_METRICS_PORT counts the tasks its child processes run and serves the
counters over HTTP; its log lines are JSON when LOG_FORMAT=json."""

import json
import socket
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from alerts.tasks import run_scheduled_job, send_pending_alerts
from tests.alerts.processes import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def task_counts(port):
    """{(task, outcome): count} scraped from the worker, or None while it does not answer yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as response:
            text = response.read().decode()
    except OSError:
        return None
    return {
        (sample.labels["task"], sample.labels["outcome"]): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "bporeg_celery_tasks_total"
    }


def test_worker_serves_counts_of_tasks_run_in_its_child_processes(processes, tmp_path):
    port = free_port()
    counting = tmp_path / "prometheus"
    counting.mkdir()
    processes.worker(pool="prefork", CELERY_METRICS_PORT=str(port), PROMETHEUS_MULTIPROC_DIR=str(counting))
    wait_for(lambda: task_counts(port) is not None, what="the metrics port", processes=processes)
    send_pending_alerts.delay()
    send_pending_alerts.delay()
    run_scheduled_job.delay(job="daily", today="not-a-date")
    expected = {
        ("alerts.send_pending_alerts", "succeeded"): 2,
        ("alerts.run_scheduled_job", "failed"): 1,
    }
    wait_for(lambda: task_counts(port) == expected, what=f"the counters {expected}", processes=processes)


def test_worker_logs_json_lines(processes):
    worker = processes.worker(LOG_FORMAT="json")
    send_pending_alerts.delay()

    def task_line():
        for line in processes.log_of(worker).splitlines():
            if "alerts.send_pending_alerts" in line and "succeeded" in line:
                return json.loads(line)
        return None

    wait_for(task_line, what="the task's log line", processes=processes)
    line = task_line()
    assert line["level"] == "INFO"
    assert line["logger"] == "celery.app.trace"
    assert {"time", "message"} <= line.keys()

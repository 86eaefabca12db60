"""The Celery application: configured from Django's CELERY_* settings, tasks found in each app.

Workers and beat log through Django's LOGGING (so JSON lines when LOG_FORMAT=json) at the level of
their `-l` option, and count their tasks for Prometheus when CELERY_METRICS_PORT is set.
"""

import logging.config
import os

from celery import Celery, signals

from bporeg import task_metrics  # noqa: F401 - connects the task counters to Celery's signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bporeg.settings")

app = Celery("bporeg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.setup_logging.connect
def _log_as_django_does(loglevel=None, **kwargs):
    # A receiver here stops Celery from replacing the root logger's handlers with its own format.
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    if loglevel:
        logging.getLogger().setLevel(loglevel)

"""Seed the escalation of unanswered issues in django-celery-beat (editable in the admin).

Every 15 minutes on an interval, not a crontab: response times are hours, and a step taken up to 15
minutes late is on time enough. Each run expires before the next one, so a backlog cannot build up while
workers are down; the job itself catches up whatever a missed run left (one level per run).
"""

import json

from django.db import migrations
from django.utils import timezone

NAME = "relationship: escalate unanswered issues"
TASK = "relationship.escalate_issues"
EVERY_MINUTES = 15
EXPIRE_SECONDS = 14 * 60


def seed(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    interval, _ = IntervalSchedule.objects.get_or_create(every=EVERY_MINUTES, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "interval": interval,
            "crontab": None,
            "kwargs": json.dumps({}),
            "expire_seconds": EXPIRE_SECONDS,
            "enabled": True,
        },
    )
    # Tell a running beat to reload its schedule.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("relationship", "0001_issues_and_surveys"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

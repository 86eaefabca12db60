"""Seed the alert calendar in django-celery-beat, in the configured TIME_ZONE (editable in the admin).

Crontab entries are evaluated in their own time zone, so "09:00" stays 09:00 local time on both
daylight-saving change days. Each task expires before its next run, so a backlog cannot build up.
"""

import json

from django.conf import settings
from django.db import migrations
from django.utils import timezone

HOUR = 3600
# name, task, kwargs, (minute, hour, day_of_month), expire_seconds
SCHEDULES = [
    ("alerts: send pending alerts", "alerts.send_pending_alerts", {}, ("*", "*", "*"), 50),
    ("alerts: daily deadlines", "alerts.run_scheduled_job", {"job": "daily"}, ("30", "7", "*"), 20 * HOUR),
    ("alerts: daily digest", "alerts.send_daily_digests", {}, ("0", "8", "*"), 20 * HOUR),
    ("alerts: monthly reviews", "alerts.run_scheduled_job", {"job": "monthly"}, ("0", "9", "1"), 20 * HOUR),
]


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, kwargs, (minute, hour, day_of_month), expire_seconds in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year="*",
            day_of_week="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": task,
                "crontab": crontab,
                "kwargs": json.dumps(kwargs),
                "expire_seconds": expire_seconds,
                "enabled": True,
            },
        )
    # Tell a running beat to reload its schedule.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[schedule[0] for schedule in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_alerts_and_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

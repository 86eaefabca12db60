"""Seed the health refresh in django-celery-beat (editable in the admin), like alerts' schedules.

Every five minutes, so the dashboard is at most minutes behind writes whose own refresh was lost (broker
down); and nightly, so "overdue" and "last complete month" move on with the date. Each run expires
before the next one, so a backlog cannot build up while workers are down.
"""

import json

from django.conf import settings
from django.db import migrations
from django.utils import timezone

HOUR = 3600
# name, task, kwargs, (minute, hour), expire_seconds
SCHEDULES = [
    ("portfolio: refresh vendor health", "portfolio.refresh_health", {}, ("*/5", "*"), 240),
    ("portfolio: nightly vendor health", "portfolio.refresh_health", {}, ("5", "0"), 20 * HOUR),
]


def seed(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    for name, task, kwargs, (minute, hour), expire_seconds in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_month="*",
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
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unseed(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[schedule[0] for schedule in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0001_vendor_health"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]

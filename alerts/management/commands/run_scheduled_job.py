"""Run a scheduled job by hand, now, in this process: any periodic task of django-celery-beat by its
name (as listed in the admin), or an alert job by its short name ("daily", "monthly", "send",
"digest"). Safe to run while beat runs too: every job is idempotent.
"""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django_celery_beat.models import PeriodicTask

from bporeg.celery import app

SHORT_NAMES = {
    "daily": ("alerts.run_scheduled_job", {"job": "daily"}),
    "monthly": ("alerts.run_scheduled_job", {"job": "monthly"}),
    "send": ("alerts.send_pending_alerts", {}),
    "digest": ("alerts.send_daily_digests", {}),
}


class Command(BaseCommand):
    help = "Run a scheduled job now: a periodic task's name, or daily / monthly / send / digest."

    def add_arguments(self, parser):
        parser.add_argument("job", nargs="?", help="Job to run; omit it to list the scheduled jobs.")
        parser.add_argument("--today", type=date.fromisoformat, help="For alert jobs: run as of this date.")

    def handle(self, *args, job, today, **options):
        if not job:
            for task in PeriodicTask.objects.order_by("name"):
                when = task.crontab or task.interval or task.clocked or task.solar
                self.stdout.write(f"{task.name:<32} {task.task} {task.kwargs} · {when}")
            return
        # Load every app's tasks module, as a worker does at start-up.
        app.loader.import_default_modules()
        name, kwargs = self._resolve(job)
        if today is not None:
            if name != "alerts.run_scheduled_job":
                raise CommandError("--today only applies to the daily and monthly alert jobs.")
            kwargs["today"] = today.isoformat()
        result = app.tasks[name].apply(kwargs=kwargs, throw=True)
        self.stdout.write(self.style.SUCCESS(f"{job}: {result.result}"))

    def _resolve(self, job):
        if job in SHORT_NAMES:
            name, kwargs = SHORT_NAMES[job]
            return name, dict(kwargs)
        task = PeriodicTask.objects.filter(name=job).first()
        if task is None:
            raise CommandError(f"No scheduled job named {job!r}; run the command without a job to list them.")
        if task.task not in app.tasks:
            raise CommandError(f"{job!r} runs {task.task!r}, which this code base does not define.")
        return task.task, json.loads(task.kwargs or "{}")

"""Demo exit: Helios Tech Support's partnership is ending and its work moves to Northwind Contact.

The exit started a month ago from the default template: the early tasks are done (the documentation
handed back, with its file), the knowledge-transfer sessions are a day overdue, the rest lies ahead.
Safe to run twice: a vendor whose exit exists is left as it is.
"""

from datetime import datetime, time, timedelta
from importlib import import_module

from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from bporeg.uploads import sample_bytes
from vendors.exit_services import exit_start
from vendors.models import ExitPlan, ExitTaskEvidence, ExitTemplate, Responsible, TaskStatus, Vendor

EXITING, SUCCESSOR = 3, 0  # Helios Tech Support, Northwind Contact: positions in ctx.vendors
EXIT_IN_DAYS = 20  # the exit date, from the demo's today
REASON = (
    "Technical support is consolidated with Northwind Contact, which already runs our customer support: "
    "one provider, one set of KPIs and a lower cost per contact."
)
# Tasks this many days past due are done; the knowledge-transfer sessions, due yesterday, are not yet.
DONE_AFTER_DAYS = 5


def seed(ctx):
    if len(ctx.vendors) <= EXITING:
        return
    # A fresh instance: the other apps' demos that follow see the partnership as it was before the exit.
    vendor = Vendor.objects.get(pk=ctx.vendors[EXITING].pk)
    if ExitPlan.objects.filter(vendor=vendor).exists():
        return
    import_module("vendors.migrations.0006_default_exit_template").create_default(apps, None)
    plan = exit_start(
        vendor=vendor,
        by=ctx.users["manager"],
        template=ExitTemplate.objects.get(is_default=True),
        exit_date=ctx.today + timedelta(days=EXIT_IN_DAYS),
        reason=REASON,
        successor=ctx.vendors[SUCCESSOR],
    )
    ExitPlan.objects.filter(pk=plan.pk).update(started_at=_at(ctx.today - timedelta(days=30)))
    staff = ctx.users.get(f"staff-{vendor.slug}")
    files = []
    for task in plan.tasks.all():
        task.assignee = staff if task.responsible == Responsible.VENDOR else vendor.owner
        if (ctx.today - task.due_date).days > DONE_AFTER_DAYS:
            task.status = TaskStatus.DONE
            task.completed_at, task.completed_by = _at(task.due_date - timedelta(days=1)), task.assignee
            if task.responsible == Responsible.VENDOR:
                name = f"exit/demo/{vendor.slug}/task-{task.pk}.pdf"
                files.append(
                    ExitTaskEvidence(
                        task=task,
                        file=default_storage.save(name, ContentFile(sample_bytes("pdf"))),
                        uploaded_by=task.assignee,
                    )
                )
            task._change_reason = "Done and checked."
        elif task.due_date < ctx.today:
            task.status = TaskStatus.IN_PROGRESS
            task._change_reason = "Two of the four sessions held; the rest are booked for next week."
        task._history_user = task.assignee
        # The log reads as the demo's story, dated by its days rather than by when the seed ran.
        task._history_date = task.completed_at or _at(ctx.today - timedelta(days=1))
        task.save()
    ExitTaskEvidence.objects.bulk_create(files)


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(15, 30)))

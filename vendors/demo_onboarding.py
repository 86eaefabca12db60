"""Demo onboarding: every vendor past the prospect stage follows the default template, at a point of
its journey that matches its status, with a few tasks overdue, one blocked, comments and evidence."""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from bporeg.uploads import sample_bytes
from vendors.models import (
    OnboardingPlan,
    OnboardingTask,
    OnboardingTemplate,
    Responsible,
    TaskComment,
    TaskEvidence,
    TaskStatus,
    VendorStatus,
)

BLOCKED_REASON = "Waiting for the client's IT team to create VPN accounts for 40 agents."


def _go_live(vendor, index, today):
    if vendor.status == VendorStatus.ONBOARDING:
        return today + timedelta(days=18 + 7 * (index % 3))
    return today - timedelta(days=40 + 25 * (index % 7))


def _status(task, index, today, vendor, steady):
    """Past work is done, except a deterministic few left open (overdue); near work is in progress."""
    days_ago = (today - task.due_date).days
    lagging = not steady and (vendor.status == VendorStatus.ON_WATCH or (index + len(task.title)) % 9 == 0)
    if days_ago > 5:
        return TaskStatus.IN_PROGRESS if lagging and days_ago < 60 else TaskStatus.DONE
    if days_ago > -10:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.TODO


def seed_onboarding(ctx):
    template = OnboardingTemplate.objects.filter(is_default=True).prefetch_related("activities").first()
    if template is None:
        return
    vendors = [v for v in ctx.vendors if v.status != VendorStatus.PROSPECT]
    OnboardingPlan.objects.bulk_create(
        [
            OnboardingPlan(
                vendor=vendor,
                template=template,
                go_live=_go_live(vendor, index, ctx.today),
                created_by=vendor.owner,
            )
            for index, vendor in enumerate(vendors)
        ],
        ignore_conflicts=True,
    )
    started = set(OnboardingTask.objects.filter(vendor__in=vendors).values_list("vendor_id", flat=True))
    plans = OnboardingPlan.objects.in_bulk([v.pk for v in vendors], field_name="vendor_id")
    tasks = []
    for index, vendor in enumerate(vendors):
        if vendor.pk not in started:
            tasks.extend(_tasks(ctx, index, vendor, plans[vendor.pk], template))
    OnboardingTask.objects.bulk_create(tasks)
    _seed_conversation(ctx, [t for t in tasks if t.vendor_id == ctx.vendors[0].pk])


def _tasks(ctx, index, vendor, plan, template):
    staff = ctx.users.get(f"staff-{vendor.slug}")
    blocked_done = False
    for activity in template.activities.all():
        task = OnboardingTask(
            vendor=vendor,
            plan=plan,
            phase=activity.phase,
            title=activity.title,
            description=activity.description,
            responsible=activity.responsible,
            due_date=plan.go_live + timedelta(days=activity.due_offset_days),
            assignee=staff if activity.responsible == Responsible.VENDOR else vendor.owner,
        )
        task.status = _status(task, index, ctx.today, vendor, ctx.is_steady(vendor))
        first_vendor_task_under_way = (
            task.status == TaskStatus.IN_PROGRESS and activity.responsible == Responsible.VENDOR
        )
        if first_vendor_task_under_way and vendor.status == VendorStatus.ONBOARDING and not blocked_done:
            task.status, task.blocked_reason, blocked_done = TaskStatus.BLOCKED, BLOCKED_REASON, True
        if task.status == TaskStatus.DONE:
            finished = datetime.combine(task.due_date - timedelta(days=index % 3), time(15, 30))
            task.completed_at = timezone.make_aware(finished)
            task.completed_by = task.assignee
        yield task


def _seed_conversation(ctx, tasks):
    """A few comments and one evidence file on the first vendor's tasks (only when freshly created)."""
    manager = ctx.users["manager"]
    comments, evidence = [], []
    for task in tasks:
        author = task.assignee or manager
        if task.status == TaskStatus.DONE and task.responsible == Responsible.VENDOR:
            comments.append(TaskComment(task=task, author=author, body="Done: see the attached evidence."))
            evidence.append(
                TaskEvidence(
                    task=task,
                    uploaded_by=author,
                    file=default_storage.save(
                        f"onboarding/demo/{task.vendor.slug}/task-{task.pk}.pdf",
                        ContentFile(sample_bytes("pdf")),
                    ),
                )
            )
        elif task.status == TaskStatus.IN_PROGRESS:
            comments.append(
                TaskComment(task=task, author=manager, body="How is this going? Anything you need?")
            )
            comments.append(TaskComment(task=task, author=author, body="On track, first results by Friday."))
    TaskComment.objects.bulk_create(comments)
    TaskEvidence.objects.bulk_create(evidence)

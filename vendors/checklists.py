"""What onboarding and exit checklists share: tasks made from a template's activities, and the rules of
a task's status change."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from vendors.models import TaskStatus


def tasks_from_template(model, template, *, anchor, copied=(), **fields):
    """Create one `model` task per activity of `template`, due its offset in days from `anchor` (go-live
    or the exit date). `copied` names the activity fields the task keeps besides title, description and
    responsible; `fields` are the same on every task (vendor, plan)."""
    names = ("title", "description", "responsible", *copied)
    return model.objects.bulk_create(
        model(
            due_date=anchor + timedelta(days=activity.due_offset_days),
            **{name: getattr(activity, name) for name in names},
            **fields,
        )
        for activity in template.activities.all()
    )


def apply_status(task, *, by, status, blocked_reason=""):
    """Set a task's status, unsaved: completing records who and when, reopening clears them, and only a
    blocked task keeps a reason.

    The view checked `task.may_update(by)` to show the form; it is checked again here because marking
    a task done on someone else's behalf must be impossible whatever door the request came through.
    """
    if not task.may_update(by):
        raise PermissionDenied("You may not update this task.")
    if status != task.status:
        if status == TaskStatus.DONE:
            task.completed_at, task.completed_by = timezone.now(), by
        elif task.status == TaskStatus.DONE:
            task.completed_at, task.completed_by = None, None
    task.status = status
    task.blocked_reason = blocked_reason.strip() if status == TaskStatus.BLOCKED else ""

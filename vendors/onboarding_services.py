"""Writes to onboarding: apply a template, move go-live, update a task. Views and the demo call these."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from vendors.checklists import apply_status, tasks_from_template
from vendors.models import (
    OnboardingPlan,
    OnboardingTask,
    OnboardingTemplate,
    TaskComment,
    VendorStatus,
)


@transaction.atomic
def onboarding_apply_template(*, vendor, template, go_live, by):
    """Start the vendor's onboarding: one task per template activity, due `offset` days from go-live.

    A prospect becomes an onboarding vendor. Returns the plan.
    """
    plan = OnboardingPlan(vendor=vendor, template=template, go_live=go_live, created_by=by)
    plan._history_user = by
    plan.save()
    tasks_from_template(OnboardingTask, template, anchor=go_live, copied=("phase",), vendor=vendor, plan=plan)
    if vendor.status == VendorStatus.PROSPECT:
        vendor.status = VendorStatus.ONBOARDING
        vendor._history_user = by
        vendor.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def onboarding_move_go_live(*, plan, go_live, by):
    """Move go-live; open tasks move by the same number of days, done tasks keep their dates.

    Returns how many tasks were rescheduled.
    """
    plan = OnboardingPlan.objects.select_for_update().get(pk=plan.pk)
    shift = go_live - plan.go_live
    moved = 0
    if shift:
        moved = plan.tasks.open().update(due_date=F("due_date") + shift, updated_at=timezone.now())
        plan.go_live = go_live
        plan._history_user = by
        plan.save(update_fields=["go_live"])
    return moved


@transaction.atomic
def onboarding_task_update(*, task, by, status, blocked_reason="", comment="", evidence=None):
    """Change a task's status and add a comment and a file, all or nothing. Returns the task."""
    task = OnboardingTask.objects.select_for_update(of=("self",)).select_related("vendor").get(pk=task.pk)
    apply_status(task, by=by, status=status, blocked_reason=blocked_reason)
    task.save(update_fields=["status", "blocked_reason", "completed_at", "completed_by", "updated_at"])
    if comment.strip():
        TaskComment.objects.create(task=task, author=by, body=comment.strip())
    if evidence is not None:
        task.evidence.create(file=evidence, uploaded_by=by)
    return task


@transaction.atomic
def onboarding_template_save(*, form):
    """Save a template form; making it the default takes that role from the previous default."""
    if form.cleaned_data.get("is_default"):
        OnboardingTemplate.objects.exclude(pk=form.instance.pk).filter(is_default=True).update(
            is_default=False
        )
    return form.save()

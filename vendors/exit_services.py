"""Writes to a vendor's exit: start it from a template, update its tasks, complete it. Views and the demo
call these; each checks who may do it, whatever door the call came through."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role
from bporeg.access import require_manager, require_project_lead
from vendors.checklists import apply_status, tasks_from_template
from vendors.models import ExitPlan, ExitTask, TaskStatus, Vendor, VendorStatus

# A partnership that delivers, or is about to: prospects have nothing to exit from, and an exit already
# under way or done is not started again.
EXITABLE = (VendorStatus.ONBOARDING, VendorStatus.ACTIVE, VendorStatus.ON_WATCH)


def exit_refusal(vendor) -> str:
    """Why this vendor's exit cannot be started, or "" when it can."""
    if ExitPlan.objects.filter(vendor=vendor).exists():
        return "This vendor's exit has already been started."
    if vendor.status not in EXITABLE:
        return f"A vendor that is {vendor.get_status_display().lower()} cannot be exited."
    return ""


@transaction.atomic
def exit_start(*, vendor, by, template, exit_date, reason, successor=None):
    """Start the vendor's exit: one task per template activity, due `offset` days from the exit date.

    Ending a partnership is a portfolio decision: only a BPO manager starts it. The vendor becomes
    "offboarding". Returns the plan.
    """
    require_manager(by)
    vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
    refusal = exit_refusal(vendor)
    if refusal:
        raise ValidationError(refusal)
    if not reason.strip():
        raise ValidationError("Say why the partnership ends: it is kept with the vendor's record.")
    if successor is not None and successor.pk == vendor.pk:
        raise ValidationError("A vendor cannot be its own successor.")
    plan = ExitPlan(
        vendor=vendor, template=template, exit_date=exit_date, reason=reason.strip(), successor=successor
    )
    plan.started_by = by
    plan._history_user = by
    plan.save()
    copied = ("area", "evidence_required")
    tasks_from_template(ExitTask, template, anchor=exit_date, copied=copied, vendor=vendor, plan=plan)
    vendor.status = VendorStatus.OFFBOARDING
    vendor._history_user = by
    vendor.save(update_fields=["status", "updated_at"])
    return plan


@transaction.atomic
def exit_task_update(*, task, by, status, blocked_reason="", evidence=None, comment=""):
    """Change an exit task's status, with a comment and a file, all or nothing. Returns the task.

    The plan is locked first, as completing the exit locks it, so no task changes while the exit is
    being completed, and none after. A task that needs evidence (the deletion certificate) cannot be done
    without a file. The comment is the change reason of the task's history row: the history is its log.
    """
    plan = ExitPlan.objects.select_for_update().get(pk=task.plan_id)
    task = ExitTask.objects.select_for_update(of=("self",)).select_related("vendor").get(pk=task.pk)
    if plan.is_complete:
        raise ValidationError("This exit is complete: its tasks no longer change.")
    task.plan = plan
    apply_status(task, by=by, status=status, blocked_reason=blocked_reason)
    needs_file = task.evidence_required and evidence is None and not task.evidence.exists()
    if status == TaskStatus.DONE and needs_file:
        message = f"“{task}” needs its evidence (e.g. the signed certificate) before it is done."
        raise ValidationError({"evidence": message})
    task._history_user = by
    task._change_reason = comment.strip() or None
    task.save()
    if evidence is not None:
        task.evidence.create(file=evidence, uploaded_by=by)
    return task


@transaction.atomic
def exit_complete(*, plan, by):
    """End the partnership: every task must be done. The vendor becomes "exited" and its staff's user
    accounts are deactivated (access revoked); nothing else changes and nothing is deleted.

    Returns how many staff accounts were deactivated.
    """
    require_project_lead(by)
    plan = ExitPlan.objects.select_for_update().select_related("vendor").get(pk=plan.pk)
    if plan.is_complete:
        raise ValidationError("This exit is already complete.")
    open_titles = list(plan.tasks.open().values_list("title", flat=True))
    if open_titles:
        raise ValidationError(
            "The exit cannot be completed while tasks are open: " + "; ".join(f"“{t}”" for t in open_titles)
        )
    plan.completed_at, plan.completed_by = timezone.now(), by
    plan._history_user = by
    plan.save(update_fields=["completed_at", "completed_by"])
    vendor = plan.vendor
    vendor.status = VendorStatus.EXITED
    vendor._history_user = by
    vendor.save(update_fields=["status", "updated_at"])
    staff = get_user_model().objects.filter(profile__role=Role.VENDOR_STAFF, profile__vendor=vendor)
    return staff.filter(is_active=True).update(is_active=False)

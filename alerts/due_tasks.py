"""Onboarding tasks and action items (of reviews and of governance meetings): due soon, overdue, and
escalated, run by the daily job.

Each unfinished item of a vendor that is not archived goes through three alerts, each keyed on the
item's due date (a new due date is a new set of alerts):

- due soon: from ALERT_DUE_SOON_DAYS before its due date until the due date itself;
- overdue: from the day after its due date, to the same people;
- escalated: once it is more than ALERT_ESCALATE_AFTER_DAYS overdue, to the vendor's internal owner
  (or, when the owner is the one who holds the item, the owner's lead).

Overdue and escalated alerts stay due for ALERT_CATCH_UP_DAYS, so a run missed while beat or the
workers were down is caught up once by the next one. Each function makes two queries (the items and
the directory of people) whatever the number of vendors.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.formats import date_format

from alerts import registry
from alerts.due import when
from alerts.recipients import Directory
from alerts.registry import Due
from reviews.models import ActionItem, Owner
from vendors.models import OnboardingTask, Responsible, VendorStatus

ONBOARDING_TASK_DUE = "onboarding_task_due"
ONBOARDING_TASK_OVERDUE = "onboarding_task_overdue"
ONBOARDING_TASK_ESCALATED = "onboarding_task_escalated"
ACTION_ITEM_DUE = "action_item_due"
ACTION_ITEM_OVERDUE = "action_item_overdue"
ACTION_ITEM_ESCALATED = "action_item_escalated"


def due_soon_range(today):
    return today, today + timedelta(days=settings.ALERT_DUE_SOON_DAYS)


def overdue_range(today):
    """Due dates whose overdue alert is due: yesterday, and the catch-up days before it."""
    return today - timedelta(days=1 + settings.ALERT_CATCH_UP_DAYS), today - timedelta(days=1)


def escalation_range(today):
    """Due dates more than ALERT_ESCALATE_AFTER_DAYS behind `today`, within the catch-up days."""
    last = today - timedelta(days=settings.ALERT_ESCALATE_AFTER_DAYS + 1)
    return last - timedelta(days=settings.ALERT_CATCH_UP_DAYS), last


def _late(day, today) -> str:
    days = (today - day).days
    return f"{days} day{'s' if days != 1 else ''} overdue (due {date_format(day, 'j F Y')})"


# Onboarding tasks


def _open_tasks(due_range):
    return (
        OnboardingTask.objects.open()
        .filter(due_date__range=due_range)
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor", "assignee")
        .order_by("pk")
    )


def _task_holders(task, people) -> list[int]:
    """The assignee; unassigned, whoever the task's responsible party is."""
    if task.assignee_id:
        return [task.assignee_id]
    if task.responsible == Responsible.VENDOR:
        return people.vendor_staff(task.vendor_id)
    if task.responsible == Responsible.QA:
        return people.qa
    return people.accountable(task.vendor)


def _task_due(kind, task, recipients, title, message):
    return Due(
        kind=kind,
        subject=task,
        due_on=task.due_date,
        recipients=recipients,
        title=f"{task.vendor.name}: onboarding task “{task.title}” {title}",
        message=f"{message} Phase: {task.get_phase_display()}; "
        f"responsible: {task.get_responsible_display()}.",
        link=task.get_absolute_url(),
        vendor_id=task.vendor_id,
    )


@registry.due(ONBOARDING_TASK_DUE, label="Onboarding task due soon", job="daily")
def due_onboarding_task_soon(today):
    people = Directory.load()
    for task in _open_tasks(due_soon_range(today)):
        yield _task_due(
            ONBOARDING_TASK_DUE,
            task,
            _task_holders(task, people),
            f"is due {when(task.due_date, today)}",
            "Complete it, or mark it blocked with the reason, before its due date.",
        )


@registry.due(ONBOARDING_TASK_OVERDUE, label="Onboarding task overdue", job="daily")
def due_onboarding_task_overdue(today):
    people = Directory.load()
    for task in _open_tasks(overdue_range(today)):
        yield _task_due(
            ONBOARDING_TASK_OVERDUE,
            task,
            _task_holders(task, people),
            f"is {_late(task.due_date, today)}",
            "Complete it or record what blocks it: go-live depends on it.",
        )


@registry.due(ONBOARDING_TASK_ESCALATED, label="Onboarding task escalated", job="daily")
def due_onboarding_task_escalated(today):
    people = Directory.load()
    for task in _open_tasks(escalation_range(today)):
        holder = (task.assignee.get_full_name() or task.assignee.username) if task.assignee else "nobody"
        yield _task_due(
            ONBOARDING_TASK_ESCALATED,
            task,
            people.escalate_to(task.vendor, _task_holders(task, people)),
            f"is {_late(task.due_date, today)}",
            f"Escalated to you: it is more than {settings.ALERT_ESCALATE_AFTER_DAYS} days overdue "
            f"(assigned to {holder}, status {task.get_status_display().lower()}).",
        )


# Action items of reviews and meetings


def _open_items(due_range):
    return (
        ActionItem.objects.unfinished()
        .current()
        .filter(due_date__range=due_range)
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor", "review", "meeting")
        .order_by("pk")
    )


def _item_holders(item, people) -> list[int]:
    """Vendor staff for the vendor's items; the vendor's internal owner for ours (items name their
    owner in free text, so the owner of the partnership stands in for the person)."""
    vendor = item.vendor
    if item.owner == Owner.VENDOR:
        return people.vendor_staff(vendor.pk)
    return people.accountable(vendor)


def _item_due(kind, item, recipients, title, message):
    vendor = item.vendor
    owner = f" Owner: {item.owner_name}." if item.owner_name else ""
    return Due(
        kind=kind,
        subject=item,
        due_on=item.due_date,
        recipients=recipients,
        title=f"{vendor.name}: action item “{item.title}” {title}",
        message=f"{message} From {item.source_label}.{owner}",
        link=item.get_absolute_url(),
        vendor_id=vendor.pk,
    )


@registry.due(ACTION_ITEM_DUE, label="Action item due soon", job="daily")
def due_action_item_soon(today):
    people = Directory.load()
    for item in _open_items(due_soon_range(today)):
        yield _item_due(
            ACTION_ITEM_DUE,
            item,
            _item_holders(item, people),
            f"is due {when(item.due_date, today)}",
            "Update its progress, or mark it done, by its due date.",
        )


@registry.due(ACTION_ITEM_OVERDUE, label="Action item overdue", job="daily")
def due_action_item_overdue(today):
    people = Directory.load()
    for item in _open_items(overdue_range(today)):
        yield _item_due(
            ACTION_ITEM_OVERDUE,
            item,
            _item_holders(item, people),
            f"is {_late(item.due_date, today)}",
            "Finish it, or record the progress made and what is in the way.",
        )


@registry.due(ACTION_ITEM_ESCALATED, label="Action item escalated", job="daily")
def due_action_item_escalated(today):
    people = Directory.load()
    for item in _open_items(escalation_range(today)):
        yield _item_due(
            ACTION_ITEM_ESCALATED,
            item,
            people.escalate_to(item.vendor, _item_holders(item, people)),
            f"is {_late(item.due_date, today)}",
            f"Escalated to you: it is more than {settings.ALERT_ESCALATE_AFTER_DAYS} days overdue "
            f"({item.get_owner_display().lower()} item, {item.get_status_display().lower()}).",
        )

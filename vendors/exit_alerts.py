"""Exit tasks overdue, run by the daily job: to the task's assignee or, unassigned, its responsible side.

As onboarding's overdue tasks (alerts/due_tasks.py): keyed on the task's due date, due from the day after
it for ALERT_CATCH_UP_DAYS, in two queries (the tasks and the directory of people) whatever the number
of vendors. A completed exit has no open task, so it raises nothing.
"""

from django.utils.formats import date_format

from alerts import registry
from alerts.due_tasks import overdue_range
from alerts.recipients import Directory
from alerts.registry import Due
from vendors.models import ExitTask, Responsible, VendorStatus

EXIT_TASK_OVERDUE = "exit_task_overdue"


def _late(task, today) -> str:
    days = (today - task.due_date).days
    return f"{days} day{'s' if days != 1 else ''} overdue (due {date_format(task.due_date, 'j F Y')})"


def _holders(task, people) -> list[int]:
    if task.assignee_id:
        return [task.assignee_id]
    if task.responsible == Responsible.VENDOR:
        return people.vendor_staff(task.vendor_id)
    if task.responsible == Responsible.QA:
        return people.qa
    return people.accountable(task.vendor)


@registry.due(EXIT_TASK_OVERDUE, label="Exit task overdue", job="daily")
def due_exit_task_overdue(today):
    people = Directory.load()
    tasks = (
        ExitTask.objects.open()
        .filter(due_date__range=overdue_range(today))
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor")
        .order_by("pk")
    )
    for task in tasks:
        yield Due(
            kind=EXIT_TASK_OVERDUE,
            subject=task,
            due_on=task.due_date,
            recipients=_holders(task, people),
            title=f"{task.vendor.name}: exit task “{task.title}” is {_late(task, today)}",
            message=f"Complete it or record what blocks it: the exit closes only when every task is done. "
            f"Area: {task.get_area_display()}; responsible: {task.get_responsible_display()}.",
            link=f"{task.vendor.get_absolute_url()}#exit-task-{task.pk}",
            vendor_id=task.vendor_id,
        )

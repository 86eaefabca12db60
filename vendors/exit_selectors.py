"""Reads of a vendor's exit: its checklist grouped by area, with progress and each task's log, in three
queries once the plan is loaded (the vendor page loads the plan with the vendor)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from vendors.exit_services import EXITABLE
from vendors.models import ExitArea, ExitTask, ExitTaskEvidence

# What the vendor page's exit section shows of the plan, loaded with the vendor in the same query.
EXIT_PLAN_RELATED = (
    "exit_plan__template",
    "exit_plan__successor",
    "exit_plan__started_by",
    "exit_plan__completed_by",
)


@dataclass
class ExitProgress:
    done: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return bool(self.total) and self.done == self.total

    @classmethod
    def of(cls, tasks):
        return cls(
            done=sum(t.is_done for t in tasks),
            total=len(tasks),
            overdue=sum(t.is_overdue for t in tasks),
        )


def exit_tasks(plan, user):
    """The plan's tasks, each with `.editable` for `user`, the files `user` may see and `.log` (its
    updates, with their comments)."""
    files = Prefetch("evidence", ExitTaskEvidence.objects.visible_to(user).select_related("uploaded_by"))
    tasks = list(plan.tasks.select_related("assignee", "completed_by").prefetch_related(files))
    logs = {}
    entries = (
        ExitTask.history.filter(plan_id=plan.pk, history_type="~")
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for entry in entries:
        logs.setdefault(entry.id, []).append(entry)
    for task in tasks:
        task.editable = task.may_update(user)
        task.log = logs.get(task.pk, [])
    return tasks


def exit_checklist(vendor, user) -> dict:
    """Template context of the vendor page's exit section: nothing when no exit has started."""
    plan = getattr(vendor, "exit_plan", None)
    if plan is None:
        return {"exit_plan": None, "exit_startable": vendor.status in EXITABLE}
    tasks = exit_tasks(plan, user)
    areas = [(area, [t for t in tasks if t.area == area]) for area in ExitArea]
    return {
        "exit_plan": plan,
        "exit_areas": [(area, items, ExitProgress.of(items)) for area, items in areas if items],
        "exit_progress": ExitProgress.of(tasks),
        "exit_open": [t for t in tasks if not t.is_done],
        "exit_mine": [t for t in tasks if t.editable and not t.is_done],
    }

"""Reads of the vendor registry that need care: pagination, onboarding progress and the vendor page,
each in a fixed number of queries however much data there is."""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from relationship.models import Issue
from vendors.models import OnboardingTask, Phase, TaskComment, TaskEvidence, TaskStatus

PAGE_SIZE = 25


@dataclass
class PhaseProgress:
    phase: Phase
    done: int = 0
    total: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return bool(self.total) and self.done == self.total


@dataclass
class OnboardingProgress:
    """Done / total and overdue count of a vendor's onboarding tasks, per phase and overall."""

    phases: dict = field(default_factory=lambda: {phase: PhaseProgress(phase) for phase in Phase})

    @property
    def done(self) -> int:
        return sum(p.done for p in self.phases.values())

    @property
    def total(self) -> int:
        return sum(p.total for p in self.phases.values())

    @property
    def overdue(self) -> int:
        return sum(p.overdue for p in self.phases.values())

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def current_phase(self):
        """The first phase with work left, or None when nothing is left (or nothing planned)."""
        return next((p for p in self.phases.values() if p.total and not p.complete), None)


def onboarding_progress(vendors, *, today=None) -> dict[int, OnboardingProgress]:
    """Progress of many vendors in one query: `vendors` is a queryset, or vendors, or their ids.

    Every vendor asked about gets an entry (empty when it has no onboarding tasks).
    """
    today = today or timezone.localdate()
    if hasattr(vendors, "values"):
        tasks = OnboardingTask.objects.filter(vendor__in=vendors.values("pk"))
        progress = {}
    else:
        ids = [getattr(vendor, "pk", vendor) for vendor in vendors]
        tasks = OnboardingTask.objects.filter(vendor_id__in=ids)
        progress = {vendor_id: OnboardingProgress() for vendor_id in ids}
    rows = (
        tasks.order_by()
        .values("vendor_id", "phase")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            overdue=Count("pk", filter=~Q(status=TaskStatus.DONE) & Q(due_date__lt=today)),
        )
    )
    for row in rows:
        phase = progress.setdefault(row["vendor_id"], OnboardingProgress()).phases[Phase(row["phase"])]
        phase.done, phase.total, phase.overdue = row["done"], row["total"], row["overdue"]
    return progress


def vendor_list_rows(vendors, *, page):
    """One page of vendors, each with `.progress` (its onboarding), in three queries plus the count."""
    vendors = vendors.select_related("owner").prefetch_related("services")
    page = Paginator(vendors, PAGE_SIZE).get_page(page)
    progress = onboarding_progress(list(page.object_list))
    for vendor in page.object_list:
        vendor.progress = progress[vendor.pk]
    return page


def onboarding_tasks(vendor_tasks):
    """Tasks with everything a task card shows (people, comments, evidence) in three queries."""
    return vendor_tasks.select_related("assignee", "completed_by").prefetch_related(
        Prefetch("comments", queryset=TaskComment.objects.select_related("author")),
        Prefetch("evidence", queryset=TaskEvidence.objects.select_related("uploaded_by")),
    )


def tasks_by_phase(tasks):
    """[(phase, [task, …]), …] in phase order, for templates; phases without tasks are left out."""
    grouped = {}
    for task in tasks:
        grouped.setdefault(Phase(task.phase), []).append(task)
    return sorted(grouped.items())


@dataclass
class OpenIssues:
    """A vendor's open issues, most severe first, and how many are overdue: the vendor page's section."""

    issues: list

    @property
    def count(self) -> int:
        return len(self.issues)

    @property
    def overdue(self) -> int:
        return sum(issue.is_overdue for issue in self.issues)


def open_issues(vendor) -> OpenIssues:
    """One query: the vendor's open issues with nothing more than their row (the page links to each)."""
    return OpenIssues(
        list(Issue.objects.filter(vendor=vendor).open().order_by("severity", "raised_at", "pk"))
    )

"""The alert kinds bporeg knows, and the "what is due" functions that scheduled jobs run.

Adding a kind is one function: it takes `today` and yields `Due(...)` items computed from the
database (never from which beat tick fired), registered under a job ("daily" or "monthly"):

    @registry.due("action_item_overdue", label="Action item overdue", job="daily")
    def due_action_item_overdue(today):
        for item in ActionItem.objects.overdue_on(today).select_related("assignee"):
            yield Due(kind="action_item_overdue", subject=item, due_on=item.due_date,
                      recipients=[item.assignee_id], title=..., message=..., link=item.get_absolute_url())

The sweeper turns each Due into one alert row per recipient and channel; the row's unique key
(kind, subject, due_on, recipient, channel) means a function may yield the same item on every run
while it stays due: only the first run inserts it. Work a job must do before its alerts are computed
(the monthly job creating the period's reviews) is registered with `@registry.before("monthly")`.
Kinds raised by events rather than by a schedule (SLA breaches) are declared with `registry.event(...)`.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import models

JOBS = ("daily", "monthly")


@dataclass(frozen=True)
class Due:
    """One thing that is due, for some people: becomes one alert per recipient and channel."""

    kind: str
    subject: models.Model
    due_on: date
    recipients: Sequence[int]
    title: str
    message: str
    link: str
    vendor_id: int | None = None


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    job: str | None = None
    find_due: Callable[[date], Iterable[Due]] | None = field(default=None, compare=False)


KINDS: dict[str, Kind] = {}
_BEFORE: dict[str, list[Callable[[date], object]]] = {job: [] for job in JOBS}


def _add(kind: Kind) -> None:
    if kind.code in KINDS:
        raise ValueError(f"Alert kind {kind.code!r} is registered twice.")
    if kind.job is not None and kind.job not in JOBS:
        raise ValueError(f"Unknown job {kind.job!r}; jobs are {JOBS}.")
    KINDS[kind.code] = kind


def due(code: str, *, label: str, job: str):
    """Register `find_due(today) -> Iterable[Due]` as the kind `code`, run by `job`."""

    def register(find_due):
        _add(Kind(code, label, job, find_due))
        return find_due

    return register


def event(code: str, *, label: str) -> str:
    """Declare a kind raised by an event (a measurement landing), not by a scheduled job."""
    _add(Kind(code, label))
    return code


def before(job: str):
    """Register `step(today)` to run at the start of `job`, before its alerts are computed."""

    def register(step):
        _BEFORE[job].append(step)
        return step

    return register


def steps(job: str) -> list[Callable[[date], object]]:
    return list(_BEFORE[job])


def due_in_job(job: str, today: date) -> Iterator[Due]:
    for kind in KINDS.values():
        if kind.job == job:
            yield from kind.find_due(today)


def label(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label if kind else code.replace("_", " ").capitalize()

"""The daily alert for open issues past their resolution time, run by the alerts' daily job.

Keyed on the issue and its resolution date, so each overdue issue is announced once (a new resolution
date would be a new alert): to its internal owner (with none, every manager and operations specialist)
and its owner on the vendor's side. Two queries whatever the number of issues.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from alerts import registry
from alerts.registry import Due
from relationship.escalation import People
from relationship.models import Issue
from vendors.models import VendorStatus

ISSUE_OVERDUE = "issue_overdue"


def _cutoff(today):
    """Overdue as of now, or as of the end of `today` for a run that catches up a past day."""
    end_of_day = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    return min(timezone.now(), end_of_day)


@registry.due(ISSUE_OVERDUE, label="Issue past its resolution time", job="daily")
def due_issue_overdue(today):
    issues = (
        Issue.objects.open()
        .filter(resolution_due_at__lt=_cutoff(today))
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor")
        .order_by("pk")
    )
    people = None
    for issue in issues:
        people = people or People.load()
        ours = [issue.internal_owner_id] if issue.internal_owner_id else people.operators
        due = timezone.localtime(issue.resolution_due_at)
        yield Due(
            kind=ISSUE_OVERDUE,
            subject=issue,
            due_on=due.date(),
            recipients=[pk for pk in [*ours, issue.vendor_owner_id] if pk is not None],
            title=f"{issue.vendor.name}: {issue.reference} “{issue.title}” is past its resolution time",
            message=(
                f"It was to be resolved by {date_format(due, 'j F Y H:i')} and is still "
                f"{issue.get_state_display().lower()}. Agree a solution with the vendor, or record in the "
                "thread what stands in the way."
            ),
            link=issue.get_absolute_url(),
            vendor_id=issue.vendor_id,
        )

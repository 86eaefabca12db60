"""Running a scheduled job as beat would on a given day, with the clock stopped there (time-machine),
and building the contracts, onboarding tasks and review action items the "what is due" tests need."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

from alerts.models import Alert, Channel
from alerts.tasks import run_scheduled_job
from reviews.models import Review
from tests.factories import ContractFactory, OnboardingPlanFactory, OnboardingTaskFactory
from tests.reviews.factories import ActionItemFactory, ReviewFactory
from vendors.models import OnboardingPlan

BERLIN = ZoneInfo("Europe/Berlin")
AT = {"daily": time(7, 30), "monthly": time(9, 0)}


def run_on(day, job="daily"):
    """The job's task at its seeded hour on `day`, Berlin time: it works out `today` by itself."""
    with time_machine.travel(datetime.combine(day, AT[job], tzinfo=BERLIN), tick=False):
        run_scheduled_job.apply(kwargs={"job": job}, throw=True)


def emails(kind=None, **filters):
    """(kind, subject id, due date, recipient id) of each email alert raised so far."""
    alerts = Alert.objects.filter(channel=Channel.EMAIL, **filters)
    if kind:
        alerts = alerts.filter(kind=kind)
    return sorted(alerts.values_list("kind", "object_id", "due_on", "recipient_id"))


def task_of(vendor, **fields):
    plan = OnboardingPlan.objects.filter(vendor=vendor).first() or OnboardingPlanFactory(vendor=vendor)
    return OnboardingTaskFactory(plan=plan, **fields)


def action_item_of(vendor, **fields):
    review = Review.objects.filter(vendor=vendor).first() or ReviewFactory(vendor=vendor)
    return ActionItemFactory(review=review, **fields)


def contract_reviewed_on(day, **fields):
    """A contract whose yearly review is due on `day`, its only date near `day`: it started a year
    before and ends a year after, so neither its end nor its notice date raises an alert then."""
    year = timedelta(days=365)
    return ContractFactory(next_review_date=day, start_date=day - year, end_date=day + year, **fields)


def recipients(dues):
    """{subject id: sorted recipient ids} of the Due items a function yields."""
    return {due.subject.pk: sorted(due.recipients) for due in dues}

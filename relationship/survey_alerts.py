"""Survey reminders, run by the daily alert job, and the opening of each quarter's surveys before them.

Only surveys nobody has answered yet are reminded, to the people who answer them:

- our rating of a vendor: the vendor's internal owner when the owner is an operator (a BPO manager or
  an operations specialist), otherwise every operator;
- the vendor's rating of us: the vendor's active staff; once overdue, the vendor's owner too (or every
  manager when it has none), who chases it with the vendor.

"Open" is raised while the answering window is open (a survey created late by a catch-up run is
announced too), "due soon" from REMINDER_DAYS before the due date, "overdue" from the day after it
for ALERT_CATCH_UP_DAYS. The alert key keeps each to one per person. Same few queries for any number
of vendors.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.formats import date_format

from accounts.models import Profile
from alerts import registry
from alerts.due import when
from alerts.recipients import Directory
from alerts.registry import Due
from bporeg.access import OPERATORS
from relationship.models import Survey
from relationship.surveys import surveys_open
from vendors.models import VendorStatus

SURVEY_OPEN = "survey_open"
SURVEY_DUE_SOON = "survey_due_soon"
SURVEY_OVERDUE = "survey_overdue"
REMINDER_DAYS = 3
# A partnership that has ended is not asked how it is going.
ENDED = (VendorStatus.EXITED, VendorStatus.ARCHIVED)

# Before the alerts, so the first run of a quarter opens its surveys and announces them the same day.
registry.before("daily")(surveys_open)


class People:
    """Everyone a survey reminder may go to, read in two queries."""

    def __init__(self):
        self.directory = Directory.load()
        self.operators = list(
            Profile.objects.filter(user__is_active=True, role__in=OPERATORS)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )

    def answering(self, survey) -> list[int]:
        if survey.by_company:
            owner = survey.vendor.owner_id
            return [owner] if owner in self.operators else self.operators
        return self.directory.vendor_staff(survey.vendor_id)


def _pending(**dates):
    return (
        Survey.objects.pending()
        .filter(**dates)
        .exclude(vendor__status__in=ENDED)
        .select_related("vendor")
        .order_by("pk")
    )


def _about(survey) -> str:
    if survey.by_company:
        return f"{survey.vendor.name}: rate the vendor for {survey.quarter_label}"
    return f"Rate your partnership with us for {survey.quarter_label}"


def _due(kind, survey, recipients, title, message, due_on=None):
    return Due(
        kind=kind,
        subject=survey,
        due_on=due_on or survey.due_on,
        recipients=recipients,
        title=f"{_about(survey)}: {title}",
        message=message,
        link=survey.get_absolute_url(),
        vendor_id=survey.vendor_id,
    )


QUESTIONS_TEXT = (
    "Four questions (communication, responsiveness, clarity of expectations, collaboration), "
    "scored 1 to 5, and a comment"
)


@registry.due(SURVEY_OPEN, label="Quarterly survey open", job="daily")
def due_survey_open(today):
    people = People()
    for survey in _pending(opened_on__lte=today, due_on__gte=today):
        yield _due(
            SURVEY_OPEN,
            survey,
            people.answering(survey),
            f"the survey is open until {date_format(survey.due_on, 'j F Y')}",
            f"{QUESTIONS_TEXT}: it takes a few minutes. One answer per side; answer it in bporeg.",
            due_on=survey.opened_on,
        )


@registry.due(SURVEY_DUE_SOON, label="Quarterly survey due soon", job="daily")
def due_survey_soon(today):
    people = People()
    for survey in _pending(due_on__range=(today, today + timedelta(days=REMINDER_DAYS))):
        yield _due(
            SURVEY_DUE_SOON,
            survey,
            people.answering(survey),
            f"due {when(survey.due_on, today)}",
            f"Nobody has answered it yet. {QUESTIONS_TEXT}.",
        )


@registry.due(SURVEY_OVERDUE, label="Quarterly survey overdue", job="daily")
def due_survey_overdue(today):
    people = People()
    yesterday = today - timedelta(days=1)
    passed = (yesterday - timedelta(days=settings.ALERT_CATCH_UP_DAYS), yesterday)
    for survey in _pending(due_on__range=passed):
        recipients = people.answering(survey)
        if not survey.by_company:
            recipients = list(dict.fromkeys([*recipients, *people.directory.accountable(survey.vendor)]))
        yield _due(
            SURVEY_OVERDUE,
            survey,
            recipients,
            f"it was due on {date_format(survey.due_on, 'j F Y')}",
            "It can still be answered: the results mark it late. Until then the quarter has no score "
            "from this side.",
        )

"""Quarterly two-way surveys: opening them each quarter, answering one, and the results per quarter.

- `surveys_open(today)` runs in the daily job (registered in relationship/survey_alerts.py). From the
  first day of a quarter until its answering window closes (ANSWER_DAYS later) it makes sure every
  vendor that is active or on watch has both surveys of the quarter that just ended: a missed day is
  caught up by the next run, a second run creates nothing, and after the window nothing is created.
- `survey_submit(...)` records one side's answers, once: the row is claimed with a conditional UPDATE,
  so two people answering at the same moment cannot both win.
- `survey_results(vendor)` lays out both sides' scores per quarter with the change from the quarter
  before; `falling_score(...)` is the rule the portfolio's red flag and the results page share.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import Signal
from django.utils import timezone

from kpis.periods import add_months
from relationship.models import Direction, Survey
from relationship.models.surveys import QUESTIONS
from vendors.models import Vendor, VendorStatus

# Days from a quarter's first day to the surveys' due date: two weeks to answer.
ANSWER_DAYS = 14
SURVEYED_STATUSES = (VendorStatus.ACTIVE, VendorStatus.ON_WATCH)
# A rating that fell this much quarter on quarter, or stands below LOW_SCORE, is a falling score.
FALL = 0.5
LOW_SCORE = 3.0

# Sent after a survey is submitted (the claim is an UPDATE, so post_save is not sent), with `survey`.
survey_submitted = Signal()


def quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_label(quarter: date) -> str:
    return f"Q{(quarter.month - 1) // 3 + 1} {quarter.year}"


# Opening


def surveys_open(today) -> int:
    """Create the surveys of the quarter before today's, while their answering window is open.

    Three queries whatever the number of vendors; returns how many surveys were added.
    """
    opened_on = quarter_start(today)
    due_on = opened_on + timedelta(days=ANSWER_DAYS)
    if today > due_on:
        return 0
    quarter = add_months(opened_on, -3)
    vendor_ids = Vendor.objects.filter(status__in=SURVEYED_STATUSES).values_list("pk", flat=True)
    existing = set(Survey.objects.filter(quarter=quarter).values_list("vendor_id", "direction"))
    new = [
        Survey(vendor_id=vendor_id, quarter=quarter, direction=direction, opened_on=opened_on, due_on=due_on)
        for vendor_id in vendor_ids
        for direction in Direction.values
        if (vendor_id, direction) not in existing
    ]
    # Another run at the same moment may insert some of them first: the unique key keeps one of each.
    Survey.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


# Answering


def _require_answerer(survey, by):
    if survey.may_be_answered_by(by):
        return
    if survey.by_company:
        raise PermissionDenied(
            "Our rating of a vendor is given by a BPO manager or an operations specialist."
        )
    raise PermissionDenied("Only the vendor's own staff answer its rating of us.")


def _clean_scores(scores):
    errors = {
        question: "Choose a score from 1 (poor) to 5 (excellent)."
        for question, score in scores.items()
        if not isinstance(score, int) or isinstance(score, bool) or not 1 <= score <= 5
    }
    if errors:
        raise ValidationError(errors)


def survey_submit(*, survey, by, communication, responsiveness, clarity, collaboration, comments=""):
    """Record `by`'s answers to `survey`, once. After the due date it may still be answered: late."""
    _require_answerer(survey, by)
    scores = {
        "communication": communication,
        "responsiveness": responsiveness,
        "clarity": clarity,
        "collaboration": collaboration,
    }
    _clean_scores(scores)
    answers = {**scores, "comments": comments.strip(), "submitted_at": timezone.now(), "submitted_by": by}
    claimed = Survey.objects.filter(pk=survey.pk, submitted_at__isnull=True).update(**answers)
    if not claimed:
        raise ValidationError("This survey has already been answered: each side answers it once.")
    for name, value in answers.items():
        setattr(survey, name, value)
    survey_submitted.send(sender=Survey, survey=survey)
    return survey


# Results


def falling_score(previous, latest) -> bool:
    """Whether a rating (an average out of 5) is falling: down FALL points or more since the previous
    quarter's, or below LOW_SCORE."""
    if latest is None:
        return False
    return latest < LOW_SCORE or (previous is not None and previous - latest >= FALL)


@dataclass
class SideResult:
    """One side's answers for one quarter, and the change of its average since the previous answers."""

    survey: Survey | None
    change: float | None = None

    @property
    def average(self):
        return self.survey.average if self.survey else None

    @property
    def change_label(self):
        """ "+0.25", "−0.75" or "±0": how the results table shows the change."""
        if self.change is None:
            return ""
        if not self.change:
            return "±0"
        return f"{'+' if self.change > 0 else '−'}{abs(self.change):.2f}"

    @property
    def scores(self):
        return [getattr(self.survey, question) if self.survey else None for question in QUESTIONS]


@dataclass
class QuarterResult:
    quarter: date
    company: SideResult
    vendor: SideResult

    @property
    def label(self):
        return quarter_label(self.quarter)


@dataclass
class Results:
    quarters: list  # QuarterResult, oldest first
    company_falling: bool
    vendor_falling: bool

    def latest(self, side):
        """(previous, latest) submitted averages of one side ("company" or "vendor")."""
        averages = [getattr(q, side).average for q in self.quarters if getattr(q, side).average is not None]
        return (averages[-2] if len(averages) > 1 else None), (averages[-1] if averages else None)


def survey_results(vendor) -> Results:
    """Both sides' scores per quarter, oldest first, in one query. A side's change is measured from its
    previous submitted answers, so a quarter left unanswered does not hide a fall."""
    by_quarter = {}
    for survey in Survey.objects.filter(vendor=vendor).select_related("submitted_by").order_by("quarter"):
        sides = by_quarter.setdefault(survey.quarter, {})
        sides["company" if survey.by_company else "vendor"] = survey
    quarters, last = [], {"company": None, "vendor": None}
    for quarter, sides in by_quarter.items():
        result = {}
        for side in ("company", "vendor"):
            side_result = SideResult(sides.get(side))
            average = side_result.average
            if average is not None:
                side_result.change = None if last[side] is None else round(average - last[side], 2)
                last[side] = average
            result[side] = side_result
        quarters.append(QuarterResult(quarter, result["company"], result["vendor"]))
    results = Results(quarters, False, False)
    results.company_falling = falling_score(*results.latest("company"))
    results.vendor_falling = falling_score(*results.latest("vendor"))
    return results

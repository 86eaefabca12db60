"""Demo quarterly surveys: four answered quarters for each active or on-watch demo vendor, and the
latest quarter's surveys waiting for answers.

Steady partners score well on both sides; on-watch vendors' rating by us falls by a point in the last
answered quarter (the "falling relationship score" flag) while their rating of us holds; the first
vendor's staff rate us lower in that quarter (an informational line on its results). Deterministic
(a generator per vendor, seeded by its slug) and idempotent (the survey's unique key; existing rows are
left alone). Called by relationship/demo.py's `seed(ctx)`.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from kpis.periods import add_months
from relationship.models import Direction, Survey
from relationship.models.surveys import QUESTIONS
from relationship.surveys import ANSWER_DAYS, SURVEYED_STATUSES, quarter_start
from vendors.models import VendorStatus

ANSWERED_QUARTERS = 4
COMMENTS = {
    Direction.COMPANY_RATES_VENDOR: [
        "Weekly reporting arrives on time; escalations are picked up the same day.",
        "Good ideas in the monthly review; the team owns its mistakes.",
        "Answers to our questions take too long and staffing changes reach us late.",
    ],
    Direction.VENDOR_RATES_COMPANY: [
        "Clear targets and quick decisions from the operations team.",
        "Forecast changes come late: we need volumes two weeks ahead.",
        "Good collaboration in the calibration sessions.",
    ],
}


def _scores(rng, level):
    """Four scores around `level` (1–5), one of them maybe a point lower: a steady side moves by a
    quarter point at most from one quarter to the next and raises no flag."""
    scores = {question: max(1, min(5, round(level))) for question in QUESTIONS}
    question = rng.choice(QUESTIONS)
    scores[question] = max(1, min(5, scores[question] + rng.choice((-1, 0))))
    return scores


def _level(ctx, vendor, direction, age):
    """The average a side gives in the quarter `age` quarters before the latest answered one."""
    if vendor.status == VendorStatus.ON_WATCH and direction == Direction.COMPANY_RATES_VENDOR:
        return 2.6 if age == 0 else 4.2
    if vendor == ctx.vendors[0] and direction == Direction.VENDOR_RATES_COMPANY and age == 0:
        return 3.0  # the first partner's staff rate us lower: a line on its results, not a flag
    return 4.6 if ctx.is_steady(vendor) else 3.8


def _answered(ctx, vendor, quarter, direction, age, rng):
    opened_on = add_months(quarter, 3)
    due_on = opened_on + timedelta(days=ANSWER_DAYS)
    by = (
        ctx.users["ops"] if direction == Direction.COMPANY_RATES_VENDOR else ctx.users[f"staff-{vendor.slug}"]
    )
    answered_on = opened_on + timedelta(days=rng.randrange(2, ANSWER_DAYS + 4))  # some a little late
    return Survey(
        vendor=vendor,
        quarter=quarter,
        direction=direction,
        opened_on=opened_on,
        due_on=due_on,
        **_scores(rng, _level(ctx, vendor, direction, age)),
        comments=rng.choice(COMMENTS[direction]),
        submitted_at=timezone.make_aware(datetime.combine(answered_on, time(10, 30))),
        submitted_by=by,
    )


def seed(ctx):
    vendors = [vendor for vendor in ctx.vendors if vendor.status in SURVEYED_STATUSES]
    opened_on = quarter_start(ctx.today)
    latest = add_months(opened_on, -3)
    surveys = []
    for vendor in vendors:
        rng = random.Random(f"surveys-{vendor.slug}")
        for age in range(ANSWERED_QUARTERS):
            quarter = add_months(latest, -3 * (age + 1))
            for direction in Direction.values:
                surveys.append(_answered(ctx, vendor, quarter, direction, age, rng))
        for direction in Direction.values:
            surveys.append(
                Survey(
                    vendor=vendor,
                    quarter=latest,
                    direction=direction,
                    opened_on=opened_on,
                    due_on=opened_on + timedelta(days=ANSWER_DAYS),
                )
            )
    Survey.objects.bulk_create(surveys, ignore_conflicts=True, batch_size=2000)

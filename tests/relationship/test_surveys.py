"""Quarterly surveys: opened on the first day of each quarter for active and on-watch vendors (caught up,
never twice, never late), reminded to the people who answer them, answered once by the right side."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from relationship.models import Direction, Survey
from relationship.survey_alerts import (
    SURVEY_DUE_SOON,
    SURVEY_OPEN,
    SURVEY_OVERDUE,
    due_survey_open,
    due_survey_overdue,
    due_survey_soon,
)
from relationship.surveys import survey_submit, surveys_open
from tests.alerts.days import BERLIN, emails, recipients, run_on
from tests.factories import VendorFactory
from tests.relationship.factories import SurveyFactory
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)
OPENED = date(2026, 10, 1)  # the Q3 2026 surveys open on 1 October and are due on the 15th
DUE = date(2026, 10, 15)
Q3 = date(2026, 7, 1)
GOOD = {"communication": 4, "responsiveness": 5, "clarity": 3, "collaboration": 4, "comments": "Fine."}


def opened():
    return sorted(Survey.objects.values_list("vendor__name", "quarter", "direction", "opened_on", "due_on"))


def both(name, quarter, opened_on):
    due_on = opened_on + timedelta(days=14)
    return [
        (name, quarter, Direction.COMPANY_RATES_VENDOR, opened_on, due_on),
        (name, quarter, Direction.VENDOR_RATES_COMPANY, opened_on, due_on),
    ]


@pytest.fixture
def portfolio():
    """One vendor in each status: only the active and the on-watch ones are surveyed."""
    return {status: VendorFactory(name=f"Vendor {status}", status=status) for status in VendorStatus.values}


# The schedule


@pytest.mark.parametrize(
    ("today", "quarter"),
    [
        (date(2026, 1, 1), date(2025, 10, 1)),
        (date(2026, 4, 1), date(2026, 1, 1)),
        (date(2026, 7, 1), date(2026, 4, 1)),
        (date(2026, 10, 1), date(2026, 7, 1)),
    ],
)
def test_on_the_first_day_of_a_quarter_the_last_quarters_surveys_open_for_active_vendors(
    portfolio, today, quarter
):
    assert surveys_open(today) == 4
    assert opened() == [
        *both("Vendor active", quarter, today),
        *both("Vendor on_watch", quarter, today),
    ]


def test_running_twice_creates_nothing_more(portfolio):
    surveys_open(OPENED)
    assert surveys_open(OPENED) == 0
    assert surveys_open(OPENED + DAY) == 0
    assert Survey.objects.count() == 4


def test_a_run_on_day_ten_catches_up_with_the_quarters_opening_date(portfolio):
    assert surveys_open(date(2026, 10, 10)) == 4
    assert {row[3:] for row in opened()} == {(OPENED, DUE)}


def test_nothing_opens_after_the_answering_window(portfolio):
    assert surveys_open(DUE + DAY) == 0
    assert surveys_open(date(2026, 12, 31)) == 0
    assert Survey.objects.count() == 0
    assert surveys_open(DUE) == 4  # the due date itself is still in the window


def test_a_vendor_activated_in_the_window_is_surveyed_one_activated_after_it_is_not(portfolio):
    surveys_open(OPENED)
    newcomer = portfolio[VendorStatus.ONBOARDING]
    newcomer.status = VendorStatus.ACTIVE
    newcomer.save()
    assert surveys_open(date(2026, 10, 5)) == 2
    late = VendorFactory(name="Late", status=VendorStatus.ACTIVE)
    assert surveys_open(DUE + DAY) == 0
    assert not Survey.objects.filter(vendor=late).exists()


def test_the_daily_job_opens_q4_2026_on_new_years_day_2027(portfolio):
    run_on(date(2027, 1, 1))
    assert opened() == [
        *both("Vendor active", date(2026, 10, 1), date(2027, 1, 1)),
        *both("Vendor on_watch", date(2026, 10, 1), date(2027, 1, 1)),
    ]


@pytest.mark.parametrize("count", [2, 40])
def test_opening_costs_the_same_queries_for_any_number_of_vendors(count):
    VendorFactory.create_batch(count, status=VendorStatus.ACTIVE)
    with CaptureQueriesContext(connection) as queries:
        assert surveys_open(OPENED) == 2 * count
    assert len(queries) == 3


# Reminders


@pytest.fixture
def surveys(vendor_a, staff_a, staff_b, ops, manager, qa, pm):
    vendor_a.owner = ops
    vendor_a.save()
    return {
        direction: SurveyFactory(vendor=vendor_a, direction=direction, opened_on=OPENED, due_on=DUE)
        for direction in Direction.values
    }


def survey_emails(surveys):
    """The survey alerts about these surveys (the daily job also opens vendor B's)."""
    ids = {survey.pk for survey in surveys.values()}
    return [e for e in emails() if e[0] in (SURVEY_OPEN, SURVEY_DUE_SOON, SURVEY_OVERDUE) and e[1] in ids]


def test_each_side_is_reminded_once_when_it_opens_before_and_after_it_is_due(surveys, ops, staff_a):
    for offset in range(0, 25):
        run_on(OPENED + offset * DAY)
    ours, theirs = surveys[Direction.COMPANY_RATES_VENDOR].pk, surveys[Direction.VENDOR_RATES_COMPANY].pk
    assert sorted(survey_emails(surveys)) == sorted(
        [
            (SURVEY_OPEN, ours, OPENED, ops.pk),
            (SURVEY_OPEN, theirs, OPENED, staff_a.pk),
            (SURVEY_DUE_SOON, ours, DUE, ops.pk),
            (SURVEY_DUE_SOON, theirs, DUE, staff_a.pk),
            (SURVEY_OVERDUE, ours, DUE, ops.pk),
            # The vendor's overdue answer is chased by its owner too.
            (SURVEY_OVERDUE, theirs, DUE, staff_a.pk),
            (SURVEY_OVERDUE, theirs, DUE, ops.pk),
        ]
    )


def test_the_reminders_fire_three_days_before_and_from_the_day_after_the_due_date(surveys):
    assert list(due_survey_soon(DUE - 4 * DAY)) == []
    assert len(list(due_survey_soon(DUE - 3 * DAY))) == 2
    [due, _] = due_survey_soon(DUE)
    assert due.title == "Acme Support: rate the vendor for Q3 2026: due today"
    assert list(due_survey_overdue(DUE)) == []
    [_, theirs] = due_survey_overdue(DUE + DAY)
    assert theirs.title == "Rate your partnership with us for Q3 2026: it was due on 15 October 2026"
    assert theirs.link == surveys[Direction.VENDOR_RATES_COMPANY].get_absolute_url()


def test_our_side_goes_to_every_operator_when_the_owner_is_not_one(
    surveys, vendor_a, qa, manager, ops, staff_a
):
    ours, theirs = surveys[Direction.COMPANY_RATES_VENDOR], surveys[Direction.VENDOR_RATES_COMPANY]
    vendor_a.owner = qa
    vendor_a.save()
    assert recipients(due_survey_open(OPENED))[ours.pk] == sorted([manager.pk, ops.pk])
    vendor_a.owner = None
    vendor_a.save()
    assert recipients(due_survey_open(OPENED))[ours.pk] == sorted([manager.pk, ops.pk])
    # Without an owner, every manager chases the vendor's overdue answer.
    assert recipients(due_survey_overdue(DUE + DAY))[theirs.pk] == sorted([staff_a.pk, manager.pk])


def test_an_answered_survey_is_not_reminded(surveys, ops, staff_a):
    survey_submit(survey=surveys[Direction.COMPANY_RATES_VENDOR], by=ops, **GOOD)
    survey_submit(survey=surveys[Direction.VENDOR_RATES_COMPANY], by=staff_a, **GOOD)
    for offset in range(0, 25):
        run_on(OPENED + offset * DAY)
    assert survey_emails(surveys) == []


# Answering


def test_each_side_is_answered_by_its_own_people(surveys, ops, manager, qa, pm, staff_a, staff_b):
    ours, theirs = surveys[Direction.COMPANY_RATES_VENDOR], surveys[Direction.VENDOR_RATES_COMPANY]
    for reader in (qa, pm, staff_a, staff_b):
        with pytest.raises(PermissionDenied):
            survey_submit(survey=ours, by=reader, **GOOD)
    for outsider in (manager, ops, qa, staff_b):
        with pytest.raises(PermissionDenied):
            survey_submit(survey=theirs, by=outsider, **GOOD)
    assert Survey.objects.submitted().count() == 0
    survey_submit(survey=ours, by=ops, **GOOD)
    survey_submit(survey=theirs, by=staff_a, **GOOD)
    assert sorted(Survey.objects.submitted().values_list("submitted_by", flat=True)) == sorted(
        [ops.pk, staff_a.pk]
    )


def test_a_survey_is_answered_once(surveys, ops, manager):
    ours = surveys[Direction.COMPANY_RATES_VENDOR]
    survey_submit(survey=ours, by=ops, **GOOD)
    stale = Survey.objects.get(pk=ours.pk)
    stale.submitted_at = None  # a second person's copy, read before the first answer landed
    with pytest.raises(ValidationError, match="already been answered"):
        survey_submit(survey=stale, by=manager, **{**GOOD, "communication": 1})
    ours.refresh_from_db()
    assert (ours.communication, ours.submitted_by) == (4, ops)


@pytest.mark.parametrize("score", [0, 6, None, "4"])
def test_a_score_outside_1_to_5_is_refused(surveys, ops, score):
    with pytest.raises(ValidationError) as error:
        survey_submit(survey=surveys[Direction.COMPANY_RATES_VENDOR], by=ops, **{**GOOD, "clarity": score})
    assert "clarity" in error.value.message_dict
    assert Survey.objects.submitted().count() == 0


def test_an_answer_after_the_due_date_is_accepted_and_marked_late(surveys, staff_a, ops):
    theirs, ours = surveys[Direction.VENDOR_RATES_COMPANY], surveys[Direction.COMPANY_RATES_VENDOR]
    with time_machine.travel(datetime(2026, 10, 15, 23, 30, tzinfo=BERLIN), tick=False):
        survey_submit(survey=theirs, by=staff_a, **GOOD)
    with time_machine.travel(datetime(2026, 10, 16, 0, 30, tzinfo=BERLIN), tick=False):
        survey_submit(survey=ours, by=ops, **GOOD)
    theirs.refresh_from_db()
    ours.refresh_from_db()
    assert (theirs.is_late, ours.is_late) == (False, True)

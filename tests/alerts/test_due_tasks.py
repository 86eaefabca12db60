"""Onboarding tasks and review action items: due soon, overdue, escalated; once each, to the right people."""

from datetime import date, timedelta

import pytest

from accounts.models import Role
from alerts.due_tasks import (
    ACTION_ITEM_DUE,
    ACTION_ITEM_ESCALATED,
    ACTION_ITEM_OVERDUE,
    ONBOARDING_TASK_DUE,
    ONBOARDING_TASK_ESCALATED,
    ONBOARDING_TASK_OVERDUE,
    due_action_item_escalated,
    due_action_item_overdue,
    due_action_item_soon,
    due_onboarding_task_escalated,
    due_onboarding_task_overdue,
    due_onboarding_task_soon,
)
from alerts.models import Alert
from reviews.models import ActionItemStatus, Owner, ReviewStatus
from tests.alerts.days import action_item_of, emails, recipients, run_on, task_of
from tests.factories import VendorFactory, make_user
from vendors.models import Responsible, TaskStatus, VendorStatus

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)
DAY = timedelta(days=1)
TASK_KINDS = (ONBOARDING_TASK_DUE, ONBOARDING_TASK_OVERDUE, ONBOARDING_TASK_ESCALATED)
ITEM_KINDS = (ACTION_ITEM_DUE, ACTION_ITEM_OVERDUE, ACTION_ITEM_ESCALATED)


def subjects(find_due, today):
    return sorted(due.subject.title for due in find_due(today))


def test_a_task_is_due_soon_from_fourteen_days_before_until_its_due_date(vendor_a, staff_a):
    task_of(vendor_a, title="Too early", due_date=TODAY + 15 * DAY)
    task_of(vendor_a, title="Soon", due_date=TODAY + 14 * DAY)
    task_of(vendor_a, title="Today", due_date=TODAY)
    task_of(vendor_a, title="Yesterday", due_date=TODAY - DAY)
    assert subjects(due_onboarding_task_soon, TODAY) == ["Soon", "Today"]
    [today] = [due for due in due_onboarding_task_soon(TODAY) if due.subject.title == "Today"]
    assert today.title == "Acme Support: onboarding task “Today” is due today"


def test_overdue_from_the_day_after_and_escalated_only_past_seven_days(vendor_a, staff_a):
    task_of(vendor_a, title="T", due_date=TODAY)
    assert subjects(due_onboarding_task_overdue, TODAY) == []
    assert subjects(due_onboarding_task_overdue, TODAY + DAY) == ["T"]
    assert [subjects(due_onboarding_task_escalated, TODAY + n * DAY) for n in (1, 7, 8)] == [[], [], ["T"]]
    [escalated] = due_onboarding_task_escalated(TODAY + 8 * DAY)
    assert escalated.title == "Acme Support: onboarding task “T” is 8 days overdue (due 20 March 2026)"


def test_the_escalation_delay_is_a_setting(vendor_a, settings):
    settings.ALERT_ESCALATE_AFTER_DAYS = 2
    task_of(vendor_a, title="T", due_date=TODAY)
    assert [subjects(due_onboarding_task_escalated, TODAY + n * DAY) for n in (2, 3)] == [[], ["T"]]


def test_the_due_soon_window_is_a_setting(vendor_a, settings):
    settings.ALERT_DUE_SOON_DAYS = 3
    task_of(vendor_a, title="T", due_date=TODAY + 4 * DAY)
    assert subjects(due_onboarding_task_soon, TODAY) == []
    assert subjects(due_onboarding_task_soon, TODAY + DAY) == ["T"]


def test_run_every_day_for_three_weeks_each_alert_is_raised_once(manager, vendor_a, staff_a):
    vendor_a.owner = manager
    vendor_a.save()
    task = task_of(vendor_a, due_date=TODAY + 3 * DAY)
    for day in range(21):
        run_on(TODAY + day * DAY)
    assert [e for e in emails() if e[0] in TASK_KINDS] == [
        (ONBOARDING_TASK_DUE, task.pk, task.due_date, staff_a.pk),
        (ONBOARDING_TASK_ESCALATED, task.pk, task.due_date, manager.pk),
        (ONBOARDING_TASK_OVERDUE, task.pk, task.due_date, staff_a.pk),
    ]
    assert Alert.objects.filter(kind__in=TASK_KINDS).count() == 6  # and the same three in the app


def test_missed_runs_are_caught_up_once(manager, vendor_a, staff_a):
    """Beat was down from the due date to five days after, then again until twelve days after."""
    task = task_of(vendor_a, due_date=TODAY)
    run_on(TODAY - 2 * DAY)
    run_on(TODAY + 5 * DAY)
    run_on(TODAY + 6 * DAY)
    run_on(TODAY + 12 * DAY)
    run_on(TODAY + 13 * DAY)
    assert [(e[0], e[3]) for e in emails() if e[0] in TASK_KINDS] == [
        (ONBOARDING_TASK_DUE, staff_a.pk),
        (ONBOARDING_TASK_ESCALATED, manager.pk),
        (ONBOARDING_TASK_OVERDUE, staff_a.pk),
    ]
    assert Alert.objects.get(kind=ONBOARDING_TASK_OVERDUE, channel="email").object_id == task.pk


def test_a_new_due_date_is_a_new_reminder(vendor_a, staff_a):
    task = task_of(vendor_a, due_date=TODAY)
    run_on(TODAY)
    task.due_date = TODAY + 10 * DAY
    task.save()
    run_on(TODAY + DAY)
    assert [(e[0], e[2]) for e in emails(ONBOARDING_TASK_DUE)] == [
        (ONBOARDING_TASK_DUE, TODAY),
        (ONBOARDING_TASK_DUE, TODAY + 10 * DAY),
    ]


def test_task_recipients_follow_the_assignee_then_the_responsible_party(manager, qa, vendor_a, staff_a):
    second_staff = make_user("staff-a2", Role.VENDOR_STAFF, vendor=vendor_a)
    owner = make_user("owen", Role.MANAGER)
    vendor_a.owner = owner
    vendor_a.save()
    assigned = task_of(vendor_a, responsible=Responsible.VENDOR, assignee=second_staff, due_date=TODAY)
    vendor_side = task_of(vendor_a, responsible=Responsible.VENDOR, due_date=TODAY)
    qa_side = task_of(vendor_a, responsible=Responsible.QA, due_date=TODAY)
    ours = task_of(vendor_a, responsible=Responsible.MANAGER, due_date=TODAY)
    assert recipients(due_onboarding_task_soon(TODAY)) == {
        assigned.pk: [second_staff.pk],
        vendor_side.pk: sorted([staff_a.pk, second_staff.pk]),
        qa_side.pk: [qa.pk],
        ours.pk: [owner.pk],
    }
    # Escalated to the vendor's owner; the owner's own task goes to the owner's lead.
    owner.profile.reports_to = manager
    owner.profile.save()
    assert recipients(due_onboarding_task_escalated(TODAY + 8 * DAY)) == {
        assigned.pk: [owner.pk],
        vendor_side.pk: [owner.pk],
        qa_side.pk: [owner.pk],
        ours.pk: [manager.pk],
    }


def test_done_tasks_and_archived_vendors_are_left_out(vendor_a, staff_a, manager):
    task_of(vendor_a, title="Open", due_date=TODAY)
    task_of(vendor_a, title="Blocked", due_date=TODAY, status=TaskStatus.BLOCKED, blocked_reason="Waiting")
    task_of(
        vendor_a,
        title="Done",
        due_date=TODAY,
        status=TaskStatus.DONE,
        completed_at="2026-03-01T10:00Z",
        completed_by=staff_a,
    )
    task_of(VendorFactory(name="Gone", status=VendorStatus.ARCHIVED), title="Archived", due_date=TODAY)
    for find_due, day in [
        (due_onboarding_task_soon, TODAY),
        (due_onboarding_task_overdue, TODAY + DAY),
        (due_onboarding_task_escalated, TODAY + 8 * DAY),
    ]:
        assert subjects(find_due, day) == ["Blocked", "Open"]


def test_vendor_staff_never_get_another_vendors_task(vendor_a, vendor_b, staff_a, staff_b):
    task_of(vendor_a, title="A's", responsible=Responsible.VENDOR, due_date=TODAY)
    # Even a task wrongly assigned to vendor B's staff is not sent to them.
    task_of(vendor_a, title="Misassigned", responsible=Responsible.VENDOR, assignee=staff_b, due_date=TODAY)
    task_of(vendor_b, title="B's", responsible=Responsible.VENDOR, due_date=TODAY)
    run_on(TODAY)
    titles = dict.fromkeys([staff_a.pk, staff_b.pk])
    for person in titles:
        titles[person] = sorted(Alert.objects.filter(recipient_id=person).values_list("title", "vendor_id"))
    assert {title for title, vendor in titles[staff_a.pk]} == {
        "Acme Support: onboarding task “A's” is due today"
    }
    assert {vendor for title, vendor in titles[staff_b.pk]} == {vendor_b.pk}
    assert not Alert.objects.filter(title__contains="Misassigned").exists()


# Review action items


def test_action_items_due_soon_overdue_and_escalated(vendor_a, staff_a):
    action_item_of(vendor_a, title="Late", due_date=TODAY - 8 * DAY)
    action_item_of(vendor_a, title="Yesterday", due_date=TODAY - DAY)
    action_item_of(vendor_a, title="Soon", due_date=TODAY + 14 * DAY)
    action_item_of(vendor_a, title="Later", due_date=TODAY + 15 * DAY)
    assert subjects(due_action_item_soon, TODAY) == ["Soon"]
    assert subjects(due_action_item_overdue, TODAY) == ["Late", "Yesterday"]
    assert subjects(due_action_item_escalated, TODAY) == ["Late"]
    [due] = due_action_item_overdue(TODAY - 7 * DAY)
    assert due.title == "Acme Support: action item “Late” is 1 day overdue (due 12 March 2026)"
    assert due.link.endswith("#action-items")


def test_action_item_recipients_and_escalation(manager, vendor_a, staff_a, staff_b):
    lead = make_user("lead", Role.MANAGER)
    vendor_a.owner = manager
    vendor_a.save()
    manager.profile.reports_to = lead
    manager.profile.save()
    theirs = action_item_of(vendor_a, owner=Owner.VENDOR, due_date=TODAY)
    ours = action_item_of(vendor_a, owner=Owner.INTERNAL, owner_name="Maya", due_date=TODAY)
    assert recipients(due_action_item_soon(TODAY)) == {theirs.pk: [staff_a.pk], ours.pk: [manager.pk]}
    assert recipients(due_action_item_escalated(TODAY + 8 * DAY)) == {
        theirs.pk: [manager.pk],
        ours.pk: [lead.pk],
    }


def test_closed_items_superseded_reviews_and_archived_vendors_are_left_out(vendor_a, staff_a):
    action_item_of(vendor_a, title="Open", due_date=TODAY)
    action_item_of(vendor_a, title="Started", due_date=TODAY, status=ActionItemStatus.IN_PROGRESS)
    action_item_of(vendor_a, title="Done", due_date=TODAY, status=ActionItemStatus.DONE)
    action_item_of(vendor_a, title="Cancelled", due_date=TODAY, status=ActionItemStatus.CANCELLED)
    old = action_item_of(VendorFactory(name="Revised"), title="Superseded", due_date=TODAY)
    old.review.status = ReviewStatus.SUPERSEDED
    old.review.save()
    action_item_of(VendorFactory(name="Gone", status=VendorStatus.ARCHIVED), title="Archived", due_date=TODAY)
    assert subjects(due_action_item_soon, TODAY) == ["Open", "Started"]
    assert subjects(due_action_item_overdue, TODAY + DAY) == ["Open", "Started"]
    assert subjects(due_action_item_escalated, TODAY + 8 * DAY) == ["Open", "Started"]


def test_action_item_alerts_once_over_a_month_of_daily_runs(manager, vendor_a, staff_a):
    item = action_item_of(vendor_a, due_date=TODAY + 2 * DAY)
    for day in range(30):
        run_on(TODAY + day * DAY)
    assert [(e[0], e[3]) for e in emails() if e[0] in ITEM_KINDS] == [
        (ACTION_ITEM_DUE, staff_a.pk),
        (ACTION_ITEM_ESCALATED, manager.pk),
        (ACTION_ITEM_OVERDUE, staff_a.pk),
    ]
    assert {e[1] for e in emails() if e[0] in ITEM_KINDS} == {item.pk}

"""Escalation timing: an issue not answered in time climbs one level per window, up to executive, and the
new level's contacts and the people who run the partnership are told; the daily overdue alert."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from accounts.models import Role
from alerts import registry, services
from alerts.models import Alert, Channel
from bporeg.celery import app
from relationship.escalation import ISSUE_ESCALATED, escalate_unanswered
from relationship.models import Issue, IssueComment, IssueState, Severity
from relationship.tasks import escalate_issues
from tests.alerts.processes import clear_broker, wait_for
from tests.factories import ContactFactory, VendorFactory, make_user
from tests.relationship.factories import IssueFactory
from vendors.models import ContactSide

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
RAISED = datetime(2026, 11, 2, 9, 0, tzinfo=BERLIN)
# A high-severity issue has 8 hours to be answered and 3 days to be resolved.
ANSWER_BY = RAISED + timedelta(hours=8)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def issue(vendor_a, manager, ops):
    return IssueFactory(
        vendor=vendor_a, raised_by=manager, internal_owner=ops, severity=Severity.HIGH, raised_at=RAISED
    )


@pytest.fixture
def contacts(vendor_a):
    """Contacts of vendor A at every level; of level 2, one archived and one with only a phone."""
    make = ContactFactory
    return {
        "vendor 1": make(vendor=vendor_a, name="Val Day", escalation_level=1),
        "vendor 2": make(vendor=vendor_a, name="Dana Reyes", escalation_level=2),
        "ours 2": make(vendor=vendor_a, name="Lars Okafor", side=ContactSide.INTERNAL, escalation_level=2),
        "ours 3": make(vendor=vendor_a, name="Eve Chief", side=ContactSide.INTERNAL, escalation_level=3),
        "archived 2": make(vendor=vendor_a, name="Ann Gone", escalation_level=2, archived_at=RAISED),
        "phone 2": make(vendor=vendor_a, name="Pat Phone", escalation_level=2, email="", phone="+49 30 1"),
    }


def run(at, capture):
    """One run of the job at `at`, with what it does after its commit; then the alert sweeper's delivery."""
    with time_machine.travel(at, tick=False):
        with capture(execute=True):
            moved = escalate_unanswered(at)
        services.deliver_pending()
    return moved


def refreshed(issue):
    issue.refresh_from_db()
    return issue


def escalations(issue):
    return list(IssueComment.objects.filter(issue=issue, kind="escalation").values_list("body", flat=True))


def test_not_escalated_a_minute_before_the_response_time(issue, contacts, django_capture_on_commit_callbacks):
    assert run(ANSWER_BY - MINUTE, django_capture_on_commit_callbacks) == 0
    assert refreshed(issue).escalation_level == 1
    assert escalations(issue) == [] and mail.outbox == []


def test_escalated_a_minute_after_to_level_2_telling_its_contacts_and_our_people(
    issue, contacts, ops, manager, staff_a, staff_b, django_capture_on_commit_callbacks
):
    now = ANSWER_BY + MINUTE
    assert run(now, django_capture_on_commit_callbacks) == 1
    issue = refreshed(issue)
    assert (issue.escalation_level, issue.escalated_at) == (2, now)
    assert issue.response_due_at == now + timedelta(hours=8)
    assert escalations(issue) == [
        "Not answered in time: escalated to level 2 · Management. Told: Dana Reyes (vendor), "
        "Lars Okafor (ours). Next answer due by 3 November 2026 01:01."
    ]
    step = issue.history.get(history_type="~")
    assert (step.escalation_level, step.history_change_reason) == (2, "Not answered in time")

    contact_mails = {m.to[0]: m for m in mail.outbox if m.to[0].endswith("@vendor.example")}
    assert set(contact_mails) == {contacts["vendor 2"].email, contacts["ours 2"].email}
    dana = contact_mails[contacts["vendor 2"].email]
    assert dana.subject == f"[bporeg] {issue.reference} escalated to you: {issue.title} (Acme Support)"
    assert settings.SITE_URL + issue.get_absolute_url() in dana.body
    # The issue's owner on our side and the vendor's staff; no manager below the executive level.
    people = sorted(m.to[0] for m in mail.outbox if not m.to[0].endswith("@vendor.example"))
    assert people == sorted([ops.email, staff_a.email])
    assert all(issue.reference in m.subject for m in mail.outbox)


def test_it_climbs_to_executive_after_another_window_and_never_further(
    issue, contacts, ops, manager, django_capture_on_commit_callbacks
):
    second = ANSWER_BY + MINUTE
    run(second, django_capture_on_commit_callbacks)
    assert run(second + timedelta(hours=8) - MINUTE, django_capture_on_commit_callbacks) == 0
    third = second + timedelta(hours=8) + MINUTE
    mail.outbox.clear()
    assert run(third, django_capture_on_commit_callbacks) == 1
    assert refreshed(issue).escalation_level == 3
    assert escalations(issue)[-1].startswith(
        "Not answered in time: escalated to level 3 · Executive. Told: Eve Chief (ours)."
    )
    # The executive step tells every manager too.
    assert manager.email in {m.to[0] for m in mail.outbox}
    assert run(third + timedelta(days=1), django_capture_on_commit_callbacks) == 0
    assert refreshed(issue).escalation_level == 3 and len(escalations(issue)) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"first_response_at": RAISED + timedelta(hours=1)},
        {
            "state": IssueState.RESOLVED,
            "agreement": "Refund script fixed.",
            "resolved_at": RAISED + timedelta(hours=2),
        },
    ],
    ids=["answered", "resolved"],
)
def test_an_answered_or_resolved_issue_never_escalates(
    issue, manager, change, django_capture_on_commit_callbacks
):
    if "resolved_at" in change:
        change["resolved_by"] = manager
    Issue.objects.filter(pk=issue.pk).update(**change)
    assert run(ANSWER_BY + timedelta(days=5), django_capture_on_commit_callbacks) == 0
    assert refreshed(issue).escalation_level == 1 and escalations(issue) == []


def test_two_runs_at_the_same_instant_escalate_once(issue, contacts, django_capture_on_commit_callbacks):
    now = ANSWER_BY + MINUTE
    assert run(now, django_capture_on_commit_callbacks) == 1
    sent = len(mail.outbox)
    assert run(now, django_capture_on_commit_callbacks) == 0
    assert refreshed(issue).escalation_level == 2
    assert len(escalations(issue)) == 1 and len(mail.outbox) == sent


def test_a_run_hours_late_moves_one_level_and_the_next_run_the_next(
    issue, django_capture_on_commit_callbacks
):
    late = ANSWER_BY + timedelta(hours=30)
    assert run(late, django_capture_on_commit_callbacks) == 1
    assert refreshed(issue).escalation_level == 2
    # Not one level per missed window: the new level gets its full eight hours from now.
    assert issue.response_due_at == late + timedelta(hours=8)
    assert run(late + timedelta(minutes=15), django_capture_on_commit_callbacks) == 0


def test_the_new_response_time_never_passes_the_resolution_time(
    vendor_a, manager, django_capture_on_commit_callbacks
):
    issue = IssueFactory(
        vendor=vendor_a,
        raised_by=manager,
        severity=Severity.HIGH,
        raised_at=RAISED,
        resolution_due_at=ANSWER_BY + timedelta(hours=2),
    )
    run(ANSWER_BY + MINUTE, django_capture_on_commit_callbacks)
    issue = refreshed(issue)
    assert (issue.escalation_level, issue.response_due_at) == (2, issue.resolution_due_at)
    assert escalations(issue)[0].endswith(
        "No current contact at this level has an email: add one on the vendor page. "
        "Next answer due by 2 November 2026 19:00."
    )


def test_without_an_owner_every_operator_is_told(vendor_a, manager, ops, qa, pm, staff_a, staff_b):
    IssueFactory(vendor=vendor_a, raised_by=staff_a, raised_side="vendor", raised_at=RAISED)
    with time_machine.travel(RAISED + timedelta(days=2), tick=False):
        escalate_unanswered(RAISED + timedelta(days=2))
    told = set(
        Alert.objects.filter(kind=ISSUE_ESCALATED, channel=Channel.IN_APP).values_list("recipient", flat=True)
    )
    assert told == {manager.pk, ops.pk, staff_a.pk}


@pytest.mark.parametrize("count", [1, 10])
def test_a_run_costs_the_same_queries_for_one_issue_or_ten(manager, ops, count):
    ContentType.objects.get_for_model(IssueComment)
    for number in range(count):
        vendor = VendorFactory(name=f"Vendor {number}", owner=ops)
        ContactFactory(vendor=vendor, escalation_level=2)
        make_user(f"staff-{number}", Role.VENDOR_STAFF, vendor=vendor)
        IssueFactory(vendor=vendor, raised_by=manager, internal_owner=manager, raised_at=RAISED)
    with (
        time_machine.travel(RAISED + timedelta(days=2), tick=False),
        CaptureQueriesContext(connection) as queries,
    ):
        assert escalate_unanswered(RAISED + timedelta(days=2)) == count
    # Savepoint, claim, update, history, contacts, entries, people, alert recipients (3), insert, release.
    assert len(queries) == 12, [q["sql"] for q in queries]


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_escalate_each_issue_once(manager):
    for number in range(5):
        IssueFactory(vendor=VendorFactory(name=f"Vendor {number}"), raised_by=manager, raised_at=RAISED)
    now = RAISED + timedelta(days=2)
    barrier, moved, errors = threading.Barrier(3), [], []

    def sweep():
        try:
            barrier.wait()
            moved.append(escalate_unanswered(now))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(moved) == 5
    assert IssueComment.objects.filter(kind="escalation").count() == 5
    assert set(Issue.objects.values_list("escalation_level", flat=True)) == {2}


def test_the_migration_seeds_the_escalation_every_15_minutes():
    task = PeriodicTask.objects.select_related("interval").get(task="relationship.escalate_issues")
    assert (task.interval.every, task.interval.period, task.enabled) == (15, "minutes", True)
    assert task.expire_seconds < 15 * 60
    assert task.kwargs == "{}"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_task_runs_through_a_real_worker(manager):
    issue = IssueFactory(vendor=VendorFactory(name="Acme"), raised_by=manager, raised_at=RAISED)
    clear_broker(settings.CELERY_BROKER_URL)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"
        ):
            escalate_issues.apply_async(kwargs={"now": (RAISED + timedelta(days=2)).isoformat()})
            wait_for(lambda: refreshed(issue).escalation_level == 2, what="the worker to escalate")
    finally:
        clear_broker(settings.CELERY_BROKER_URL)
    assert escalations(issue)[0].startswith("Not answered in time: escalated to level 2 · Management.")


# The daily alert of issues past their resolution time


def test_an_open_issue_past_its_resolution_time_is_announced_once_to_both_owners(
    vendor_a, manager, ops, staff_a
):
    due = IssueFactory(
        vendor=vendor_a, raised_by=manager, internal_owner=ops, vendor_owner=staff_a, raised_at=RAISED
    )
    IssueFactory(vendor=vendor_a, raised_by=manager, raised_at=RAISED + timedelta(days=6))  # not yet
    resolved = IssueFactory(vendor=vendor_a, raised_by=manager, raised_at=RAISED)
    Issue.objects.filter(pk=resolved.pk).update(
        state=IssueState.RESOLVED, agreement="Done.", resolved_at=RAISED, resolved_by=manager
    )
    assert registry.KINDS["issue_overdue"].job == "daily"
    day = (RAISED + timedelta(days=8)).date()
    with time_machine.travel(RAISED + timedelta(days=8), tick=False):
        services.run_job("daily", today=day)
        services.run_job("daily", today=day)
    alerts = Alert.objects.filter(kind="issue_overdue", channel=Channel.IN_APP)
    assert sorted(alerts.values_list("recipient", "object_id")) == sorted(
        [(ops.pk, due.pk), (staff_a.pk, due.pk)]
    )
    assert alerts.first().title == f"Acme Support: {due.reference} “{due.title}” is past its resolution time"


def test_an_overdue_issue_without_an_internal_owner_goes_to_the_operators(vendor_a, manager, ops, qa):
    IssueFactory(vendor=vendor_a, raised_by=manager, raised_at=RAISED)
    with time_machine.travel(RAISED + timedelta(days=8), tick=False):
        services.run_job("daily", today=(RAISED + timedelta(days=8)).date())
    told = Alert.objects.filter(kind="issue_overdue", channel=Channel.IN_APP).values_list(
        "recipient", flat=True
    )
    assert set(told) == {manager.pk, ops.pk}

"""The "what is due" functions of the daily job, as plain functions of the database and today."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alerts import registry, services
from alerts.due import CONTRACT_END, CONTRACT_RENEWAL_NOTICE, CONTRACT_REVIEW, due_contract_end
from alerts.models import Alert, Channel
from alerts.tasks import run_scheduled_job
from tests.factories import ContractFactory, VendorFactory
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


def kinds_due(today=TODAY):
    return sorted(
        (due.kind, due.subject.reference, due.due_on) for due in registry.due_in_job("daily", today)
    )


def test_contract_end_is_due_from_fourteen_days_before_to_seven_days_after(manager):
    ContractFactory(reference="EARLY", end_date=TODAY + timedelta(days=15), renewal_notice_days=0)
    ContractFactory(reference="SOON", end_date=TODAY + timedelta(days=14), renewal_notice_days=0)
    ContractFactory(reference="MISSED", end_date=TODAY - timedelta(days=7), renewal_notice_days=0)
    ContractFactory(reference="LONG-GONE", end_date=TODAY - timedelta(days=8), renewal_notice_days=0)
    ends = [d for d in kinds_due() if d[0] == CONTRACT_END]
    assert ends == [
        (CONTRACT_END, "MISSED", TODAY - timedelta(days=7)),
        (CONTRACT_END, "SOON", TODAY + timedelta(days=14)),
    ]


def test_auto_renewing_and_archived_contracts_do_not_warn_of_their_end(manager):
    ContractFactory(reference="AUTO", end_date=TODAY, auto_renew=True, renewal_notice_days=300)
    ContractFactory(reference="ARCHIVED", end_date=TODAY, archived_at="2026-01-01T00:00Z")
    ContractFactory(reference="GONE", end_date=TODAY, vendor=VendorFactory(status=VendorStatus.ARCHIVED))
    assert [d for d in kinds_due() if d[0] == CONTRACT_END] == []


def test_renewal_notice_date_is_end_date_minus_notice_period(manager):
    ContractFactory(reference="N", end_date=date(2026, 6, 8), renewal_notice_days=90, auto_renew=True)
    assert kinds_due() == [(CONTRACT_RENEWAL_NOTICE, "N", date(2026, 3, 10))]
    due = next(registry.due_in_job("daily", TODAY))
    assert "cancel it or it renews" in due.message
    assert due.title.endswith("is due today")


def test_yearly_contract_review(manager):
    ContractFactory(reference="R", next_review_date=TODAY + timedelta(days=3))
    assert kinds_due() == [(CONTRACT_REVIEW, "R", TODAY + timedelta(days=3))]


def test_the_owner_is_told_or_every_manager_when_there_is_none(manager, qa):
    from tests.factories import make_user

    lead = make_user("lead", "manager")
    ContractFactory(reference="OWNED", end_date=TODAY, vendor=VendorFactory(owner=qa))
    ContractFactory(reference="ORPHAN", end_date=TODAY)
    recipients = {due.subject.reference: list(due.recipients) for due in due_contract_end(TODAY)}
    assert recipients == {"OWNED": [qa.pk], "ORPHAN": [manager.pk, lead.pk]}


def test_missed_days_are_caught_up_once(manager):
    """Beat was down from the 1st to the 9th: the run on the 10th raises what fell due meanwhile, and
    the runs of the next days raise nothing new."""
    ContractFactory(reference="A", end_date=date(2026, 3, 5), renewal_notice_days=90)
    ContractFactory(reference="B", next_review_date=date(2026, 3, 8))
    for day in range(10, 17):
        services.run_job("daily", today=date(2026, 3, day))
    contract_alerts = Alert.objects.filter(kind__startswith="contract_")  # February's reviews are due too
    assert sorted(contract_alerts.values_list("kind", "channel")) == sorted(
        [(CONTRACT_END, Channel.EMAIL), (CONTRACT_END, Channel.IN_APP)]
        + [(CONTRACT_REVIEW, Channel.EMAIL), (CONTRACT_REVIEW, Channel.IN_APP)]
    )


def test_a_new_due_date_is_a_new_alert(manager):
    contract = ContractFactory(reference="R", next_review_date=TODAY)
    services.run_job("daily", today=TODAY)
    contract.next_review_date = date(2027, 3, 10)
    contract.save()
    services.run_job("daily", today=date(2027, 3, 1))
    reminders = Alert.objects.filter(kind=CONTRACT_REVIEW, channel=Channel.EMAIL)
    assert sorted(reminders.values_list("due_on", flat=True)) == [
        TODAY,
        date(2027, 3, 10),
    ]


@time_machine.travel("2026-03-29 23:30 +02:00", tick=False)
def test_the_scheduled_task_uses_the_local_date(manager):
    """A review on 13 April is due from 30 March. At 00:30 on the 30th in Berlin, UTC still says the
    29th: the job goes by the configured time zone, so it raises the alert then, not two hours later."""
    ContractFactory(reference="R", next_review_date=date(2026, 4, 13))
    run_scheduled_job.apply(kwargs={"job": "daily"}, throw=True)
    assert not Alert.objects.exists()
    with time_machine.travel("2026-03-30 00:30 +02:00", tick=False):
        run_scheduled_job.apply(kwargs={"job": "daily"}, throw=True)
    assert Alert.objects.filter(due_on=date(2026, 4, 13)).exists()


def _queries_for_daily_run(count):
    for number in range(count):
        ContractFactory(
            vendor=VendorFactory(name=f"Bulk {count}-{number}"),
            reference=f"B{count}-{number}",
            end_date=TODAY + timedelta(days=3),
            next_review_date=TODAY,
            renewal_notice_days=10,
        )
    with CaptureQueriesContext(connection) as queries:
        services.run_job("daily", today=TODAY)
    Alert.objects.all().delete()
    return len(queries)


def test_a_daily_run_makes_the_same_number_of_queries_for_5_or_50_vendors(manager):
    assert _queries_for_daily_run(5) == _queries_for_daily_run(50)

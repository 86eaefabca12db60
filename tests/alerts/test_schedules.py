"""The alert calendar in django-celery-beat: seeded in TIME_ZONE, right across daylight-saving days,
and runnable by hand."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django_celery_beat.models import PeriodicTask

from alerts.models import Alert
from bporeg.beat import DatabaseScheduler
from bporeg.celery import app
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
MONTHLY = "alerts: monthly reviews"


def test_the_migration_seeds_the_calendar_in_the_configured_time_zone():
    tasks = {
        t.name: t for t in PeriodicTask.objects.filter(name__startswith="alerts:").select_related("crontab")
    }
    assert {name: (t.task, str(t.crontab.timezone), t.expire_seconds) for name, t in tasks.items()} == {
        "alerts: send pending alerts": ("alerts.send_pending_alerts", "Europe/Berlin", 50),
        "alerts: daily deadlines": ("alerts.run_scheduled_job", "Europe/Berlin", 72000),
        "alerts: daily digest": ("alerts.send_daily_digests", "Europe/Berlin", 72000),
        MONTHLY: ("alerts.run_scheduled_job", "Europe/Berlin", 72000),
    }
    monthly = tasks[MONTHLY].crontab
    assert (monthly.minute, monthly.hour, monthly.day_of_month) == ("0", "9", "1")


def beat_fires(task, start, hours):
    """Step beat's real entry for `task` minute by minute, as beat's loop would; return when it fired."""
    entry = DatabaseScheduler.Entry(task, app=app)
    fired = []
    moment = start
    while moment < start + timedelta(hours=hours):
        with time_machine.travel(moment, tick=False):
            if entry.is_due().is_due:
                fired.append(moment.astimezone(BERLIN))
                entry = next(entry)
        moment += timedelta(minutes=1)
    return fired


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [(date(2026, 3, 29), 7), (date(2026, 10, 25), 8)],
    ids=["spring-forward", "fall-back"],
)
def test_a_0900_monthly_reminder_fires_once_at_0900_local_on_daylight_saving_days(day, utc_hour):
    """An admin moves the monthly reminder to the day clocks change: it fires once, at 09:00 in Berlin."""
    task = PeriodicTask.objects.get(name=MONTHLY)
    task.crontab.day_of_month = str(day.day)
    task.crontab.save()
    start = datetime(day.year, day.month, day.day - 1, 12, tzinfo=BERLIN)
    task.last_run_at = start
    task.save()
    fired = beat_fires(PeriodicTask.objects.get(pk=task.pk), start, hours=36)
    assert fired == [datetime(day.year, day.month, day.day, 9, tzinfo=BERLIN)]
    assert fired[0].astimezone(UTC).hour == utc_hour


def test_the_seeded_monthly_job_fires_once_a_month_at_0900():
    task = PeriodicTask.objects.get(name=MONTHLY)
    start = datetime(2026, 2, 27, tzinfo=BERLIN)
    task.last_run_at = start
    task.save()
    fired = []
    entry = DatabaseScheduler.Entry(task, app=app)
    for hour in range(24 * 60):  # beat's checks, hourly for brevity, over two month turns
        moment = start + timedelta(hours=hour)
        with time_machine.travel(moment, tick=False):
            if entry.is_due().is_due:
                fired.append(moment.astimezone(BERLIN))
                entry = next(entry)
    assert fired == [datetime(2026, 3, 1, 9, tzinfo=BERLIN), datetime(2026, 4, 1, 9, tzinfo=BERLIN)]


def test_any_scheduled_job_runs_by_hand(manager, capsys):
    ContractFactory(next_review_date=date(2026, 3, 20))
    call_command("run_scheduled_job", "alerts: daily deadlines", today=date(2026, 3, 20))
    call_command("run_scheduled_job", "daily", today=date(2026, 3, 20))
    assert Alert.objects.count() == 2
    call_command("run_scheduled_job", "send")
    call_command("run_scheduled_job")
    out = capsys.readouterr().out
    assert "alerts: monthly reviews" in out and "Europe/Berlin" in out
    with pytest.raises(CommandError):
        call_command("run_scheduled_job", "no such job")
    with pytest.raises(CommandError):
        call_command("run_scheduled_job", "send", today=date(2026, 3, 20))

"""SLA alerts when measurements land, and the "on watch" rule.

`kpis.services.record_measurements` calls `measurements_recorded` inside its own transaction, whatever
the source (form, import, API, audits), so the alert rows are part of the same commit as the
measurements: a rollback leaves no alert, and a commit leaves alert rows that are delivered even if the
broker is down at that moment (see `services.schedule_delivery`).
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from alerts import registry
from alerts.recipients import accountable, manager_ids
from alerts.registry import Due
from alerts.services import raise_alerts, schedule_delivery
from kpis.models import KPI, Frequency, Measurement, SLATarget, Status
from kpis.periods import add_months, month_start
from vendors.models import Vendor, VendorStatus

SLA_BREACH = registry.event("sla_breach", label="SLA breach")
SLA_WARNING = registry.event("sla_warning", label="SLA warning")
VENDOR_ON_WATCH = registry.event("vendor_on_watch", label="Vendor put on watch")

# Looked up once: `Measurement.history` builds a new manager on every access.
HistoricalMeasurement = Measurement.history.model
SEVERITY = {Status.MET: 0, Status.WARNING: 1, Status.BREACHED: 2}
# Values for periods older than this many months raise no alert: back-filling history pages nobody.
ALERT_MONTHS_BACK = 2


def alerts_from(today):
    """The first period whose new or changed values raise SLA alerts."""
    return add_months(month_start(today), -ALERT_MONTHS_BACK)


def _worst(targets, value):
    """The most severe judgement among the targets in force (a KPI may sit in several SLAs)."""
    judged = [(target.judge(value), target) for target in targets]
    return max(judged, key=lambda pair: SEVERITY[pair[0]], default=(Status.MET, None))


def _previous(period, frequency):
    if frequency == Frequency.WEEKLY:
        return period - timedelta(days=7)
    if frequency == Frequency.DAILY:
        return period - timedelta(days=1)
    return add_months(period, -1)


def _in_force(targets, day):
    return [
        t for t in targets if t.effective_from <= day and (t.effective_to is None or t.effective_to > day)
    ]


def _streak_periods(measurement, frequency):
    """This period and the ALERT_ON_WATCH_STREAK - 1 before it."""
    periods = [measurement.period]
    for _ in range(settings.ALERT_ON_WATCH_STREAK - 1):
        periods.append(_previous(periods[-1], frequency))
    return periods


def _earlier_values(breaches):
    """{(vendor, kpi, period): value} for the periods the streak rule looks back on: one query."""
    pairs = {(m.vendor_id, m.kpi_id) for m, _, _ in breaches}
    oldest = min(_streak_periods(m, target.frequency)[-1] for m, target, _ in breaches)
    rows = Measurement.objects.filter(
        vendor_id__in={v for v, _ in pairs}, kpi_id__in={k for _, k in pairs}, period__gte=oldest
    ).values_list("vendor_id", "kpi_id", "period", "value")
    return {(v, k, p): value for v, k, p, value in rows}


def _breached_in_a_row(measurement, target, targets, earlier) -> bool:
    """Was this KPI breached in each of the last ALERT_ON_WATCH_STREAK periods, this one included?"""
    for period in _streak_periods(measurement, target.frequency)[1:]:
        value = earlier.get((measurement.vendor_id, measurement.kpi_id, period))
        if value is None or _worst(_in_force(targets, period), value)[0] != Status.BREACHED:
            return False
    return True


def _put_on_watch(vendors) -> list[Vendor]:
    """Active vendors -> on watch (with history, in three statements); the others stay as they are.

    One UPDATE for all of them: a bulk update would build a CASE of every vendor, slower than the
    import's own upsert once hundreds of vendors go on watch at once.
    """
    ids = [vendor.pk for vendor in vendors]
    vendors = list(Vendor.objects.select_for_update().filter(pk__in=ids, status=VendorStatus.ACTIVE))
    now = timezone.now()
    Vendor.objects.filter(pk__in=[vendor.pk for vendor in vendors]).update(
        status=VendorStatus.ON_WATCH, updated_at=now
    )
    for vendor in vendors:
        vendor.status, vendor.updated_at = VendorStatus.ON_WATCH, now
    Vendor.history.bulk_history_create(vendors, update=True, default_date=now)
    return vendors


def _targets(changed):
    """{(vendor, KPI): every version of its targets}, each with its KPI: two queries."""
    kpis = KPI.objects.in_bulk()
    targets = defaultdict(list)
    for target in SLATarget.objects.filter(
        sla__vendor_id__in={m.vendor_id for m in changed}, kpi_id__in={m.kpi_id for m in changed}
    ).annotate(vendor_id=F("sla__vendor_id")):
        target.kpi = kpis[target.kpi_id]
        targets[(target.vendor_id, target.kpi_id)].append(target)
    return targets


def _judged(changed, targets):
    """[(measurement, status, target)] for the measurements that missed a target."""
    missed = []
    for m in changed:
        status, target = _worst(_in_force(targets[(m.vendor_id, m.kpi_id)], m.period), m.value)
        if status != Status.MET:
            missed.append((m, status, target))
    return missed


def _recorded_now(missed, targets):
    """The misses this recording brings, each with the history row that recorded it.

    A value that was already missing its target as badly before this change (a breach corrected to
    another breaching value, an audit re-scoring a month that stays in warning) was alerted when it
    first missed, so it is left out. One query over the two newest history rows of each measurement.
    """
    history = (
        HistoricalMeasurement.objects.filter(id__in=[m.id for m, _, _ in missed])
        .annotate(newest=Window(RowNumber(), partition_by=F("id"), order_by=F("history_id").desc()))
        .filter(newest__lte=2)
        .values_list("id", "newest", "history_id", "value")
    )
    latest, before = {}, {}  # this recording's history row; the value before it, if any
    for measurement_id, newest, history_id, value in history:
        if newest == 1:
            latest[measurement_id] = history_id
        else:
            before[measurement_id] = value
    new_misses = []
    for m, status, target in missed:
        if m.id in before:
            pair = targets[(m.vendor_id, m.kpi_id)]
            if SEVERITY[_worst(_in_force(pair, m.period), before[m.id])[0]] >= SEVERITY[status]:
                continue
        new_misses.append((m, status, target, latest[m.id]))
    return new_misses


def _amount(number):
    return f"{number.normalize():f}"


def _miss_line(m, status, target):
    word = "breached" if status == Status.BREACHED else "close to breaching"
    return (
        f"{target.kpi.name} for {m.period:%B %Y} is {_amount(m.value)} against a target of "
        f"{_amount(target.target)} (warning past {_amount(target.warning_threshold)}, "
        f"breach past {_amount(target.breach_threshold)}): {word}."
    )


def _periods(misses):
    first, last = min(m.period for m, *_ in misses), max(m.period for m, *_ in misses)
    return f"{last:%B %Y}" if first == last else f"{first:%B %Y} to {last:%B %Y}"


def _sla_due(vendor, misses, recipients):
    """One alert for all of a vendor's misses in one recording (an import, a form, an API batch).

    Its subject is the newest history row among them and its due date their latest period. A history
    row is written once per real change, so the key stays what makes alerts exactly-once: re-saving
    identical values writes no history and raises nothing, and a retried transaction that rolled back
    left nothing behind. A subject shared by recordings (the vendor, or a measurement) would let the
    key swallow a later import's new breaches for the same vendor and month.
    """
    misses = sorted(misses, key=lambda miss: (miss[0].period, miss[2].kpi.name))
    breached = sum(status == Status.BREACHED for _, status, _, _ in misses)
    if len(misses) == 1:
        m, status, target, _ = misses[0]
        word = "breached" if status == Status.BREACHED else "is close to breaching"
        title = f"{vendor.name}: {target.kpi.name} {word} its SLA target ({m.period:%B %Y})"
    else:
        counts = [f"{breached} breached"] if breached else []
        if len(misses) > breached:
            counts.append(f"{len(misses) - breached} close to breaching")
        title = (
            f"{vendor.name}: {len(misses)} KPIs missed their SLA targets, {' and '.join(counts)} "
            f"({_periods(misses)})"
        )
    return Due(
        kind=SLA_BREACH if breached else SLA_WARNING,
        # Only the subject's key goes into the alert: no need to load the history row.
        subject=HistoricalMeasurement(history_id=max(history_id for *_, history_id in misses)),
        due_on=max(m.period for m, *_ in misses),
        recipients=recipients,
        title=title,
        message="\n".join(_miss_line(m, status, target) for m, status, target, _ in misses),
        link=vendor.get_absolute_url(),
        vendor_id=vendor.pk,
    )


def _on_watch_dues(breaches, vendors, managers):
    earlier = _earlier_values(breaches)
    streaks = {
        m.vendor_id: (m, target)
        for m, target, pair in breaches
        if _breached_in_a_row(m, target, pair, earlier)
    }
    for vendor in _put_on_watch([vendors[vendor_id] for vendor_id in streaks]):
        m, target = streaks[vendor.pk]
        yield Due(
            kind=VENDOR_ON_WATCH,
            subject=vendor,
            due_on=m.period,
            recipients=accountable(vendor, managers),
            title=f"{vendor.name} is now on watch",
            message=f"{target.kpi.name} breached its SLA target {settings.ALERT_ON_WATCH_STREAK} periods "
            f"in a row, up to {m.period:%B %Y}.",
            link=vendor.get_absolute_url(),
            vendor_id=vendor.pk,
        )


def measurements_recorded(changed) -> None:
    """Raise SLA breach/warning alerts, and put vendors on watch, for measurements just saved.

    `changed` holds the created or changed measurements of recent periods (`kpis.services.Changed`).
    Each vendor gets one alert per recipient and channel listing its misses, however many KPIs and
    periods an import brings, in a fixed number of queries.
    """
    if not changed:
        return
    targets = _targets(changed)
    missed = _judged(changed, targets)
    if not missed:
        return
    vendors = Vendor.objects.only("pk", "name", "slug", "owner_id", "status").in_bulk(
        {m.vendor_id for m, _, _ in missed}
    )
    managers = manager_ids()
    by_vendor = defaultdict(list)
    for miss in _recorded_now(missed, targets):
        by_vendor[miss[0].vendor_id].append(miss)
    dues = [
        _sla_due(vendors[vendor_id], misses, accountable(vendors[vendor_id], managers))
        for vendor_id, misses in by_vendor.items()
    ]
    # Only an active vendor can be put on watch: the streak rule has nothing to read for the others.
    breaches = [
        (m, target, targets[(m.vendor_id, m.kpi_id)])
        for m, status, target in missed
        if status == Status.BREACHED and vendors[m.vendor_id].status == VendorStatus.ACTIVE
    ]
    if breaches:
        dues.extend(_on_watch_dues(breaches, vendors, managers))
    raise_alerts(dues)
    schedule_delivery()

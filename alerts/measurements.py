"""SLA alerts when measurements land, and the "on watch" rule.

`kpis.services.record_measurements` calls `measurements_recorded` inside its own transaction, whatever
the source (form, import, API, audits), so the alert rows are part of the same commit as the
measurements: a rollback leaves no alert, and a commit leaves alert rows that are delivered even if the
broker is down at that moment (see `services.schedule_delivery`).
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from alerts import registry
from alerts.recipients import accountable, manager_ids
from alerts.registry import Due
from alerts.services import raise_alerts, schedule_delivery
from kpis.models import Frequency, Measurement, SLATarget, Status
from kpis.periods import add_months, month_start
from vendors.models import Vendor, VendorStatus

SLA_BREACH = registry.event("sla_breach", label="SLA breach")
SLA_WARNING = registry.event("sla_warning", label="SLA warning")
VENDOR_ON_WATCH = registry.event("vendor_on_watch", label="Vendor put on watch")

SEVERITY = {Status.MET: 0, Status.WARNING: 1, Status.BREACHED: 2}
# Values for periods older than this many months raise no alert: back-filling history pages nobody.
ALERT_MONTHS_BACK = 2


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
    pairs = {(m.vendor_id, m.kpi_id) for m, _ in breaches}
    oldest = min(_streak_periods(m, target.frequency)[-1] for m, target in breaches)
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


def _put_on_watch(vendor_ids) -> list[Vendor]:
    """Active vendors -> on watch (with history); vendors already on watch or not active stay as they are."""
    vendors = list(Vendor.objects.select_for_update().filter(pk__in=vendor_ids, status=VendorStatus.ACTIVE))
    for vendor in vendors:
        vendor.status = VendorStatus.ON_WATCH
        vendor.save(update_fields=["status", "updated_at"])
    return vendors


def _judged(measurements):
    """[(measurement, status, target, targets)] for the measurements that missed a target: one query."""
    targets = defaultdict(list)
    for target in SLATarget.objects.filter(
        sla__vendor_id__in={m.vendor_id for m in measurements}, kpi_id__in={m.kpi_id for m in measurements}
    ).select_related("kpi", "sla"):
        targets[(target.sla.vendor_id, target.kpi_id)].append(target)
    missed = []
    for m in measurements:
        pair_targets = targets[(m.vendor_id, m.kpi_id)]
        status, target = _worst(_in_force(pair_targets, m.period), m.value)
        if status != Status.MET:
            missed.append((m, status, target, pair_targets))
    return missed


def _sla_due(measurement, status, target, recipients):
    vendor, kpi = measurement.vendor, target.kpi
    period = f"{measurement.period:%B %Y}"
    word = "breached" if status == Status.BREACHED else "is close to breaching"
    return Due(
        kind=SLA_BREACH if status == Status.BREACHED else SLA_WARNING,
        subject=measurement,
        due_on=measurement.period,
        recipients=recipients,
        title=f"{vendor.name}: {kpi.name} {word} its SLA target ({period})",
        message=f"{kpi.name} for {period} is {measurement.value.normalize():f} against a target of "
        f"{target.target.normalize():f} (warning past {target.warning_threshold.normalize():f}, "
        f"breach past {target.breach_threshold.normalize():f}).",
        link=vendor.get_absolute_url(),
        vendor_id=vendor.pk,
    )


def measurements_recorded(measurement_ids) -> None:
    """Raise SLA breach/warning alerts, and put vendors on watch, for measurements just saved.

    A fixed number of queries however many measurements an import brings.
    """
    if not measurement_ids:
        return
    recent = add_months(month_start(timezone.localdate()), -ALERT_MONTHS_BACK)
    measurements = list(
        Measurement.objects.filter(pk__in=measurement_ids, period__gte=recent)
        .select_related("vendor", "kpi")
        .order_by("pk")
    )
    missed = _judged(measurements) if measurements else []
    if not missed:
        return
    managers = manager_ids()
    dues = [_sla_due(m, status, target, accountable(m.vendor, managers)) for m, status, target, _ in missed]
    breaches = [(m, target, targets) for m, status, target, targets in missed if status == Status.BREACHED]
    if breaches:
        earlier = _earlier_values([(m, target) for m, target, _ in breaches])
        streaks = {
            m.vendor_id: m
            for m, target, targets in breaches
            if _breached_in_a_row(m, target, targets, earlier)
        }
        for vendor in _put_on_watch(streaks):
            m = streaks[vendor.pk]
            dues.append(
                Due(
                    kind=VENDOR_ON_WATCH,
                    subject=vendor,
                    due_on=m.period,
                    recipients=accountable(vendor, managers),
                    title=f"{vendor.name} is now on watch",
                    message=f"{m.kpi.name} breached its SLA target {settings.ALERT_ON_WATCH_STREAK} periods "
                    f"in a row, up to {m.period:%B %Y}.",
                    link=vendor.get_absolute_url(),
                    vendor_id=vendor.pk,
                )
            )
    raise_alerts(dues)
    schedule_delivery()

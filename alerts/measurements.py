"""SLA alerts when a measurement lands, and the "on watch" rule.

`kpis.services.record_measurement` calls `measurement_recorded` inside its own transaction, whatever
the source (form, import, API), so the alert rows are part of the same commit as the measurement: a
rollback leaves no alert, and a commit leaves alert rows that are delivered even if the broker is down
at that moment (see `services.schedule_delivery`).
"""

from datetime import timedelta

from django.conf import settings

from alerts import registry
from alerts.recipients import accountable, manager_ids
from alerts.registry import Due
from alerts.services import raise_alerts, schedule_delivery
from kpis.models import Frequency, Measurement, SLATarget, Status
from kpis.periods import add_months
from vendors.models import Vendor, VendorStatus

SLA_BREACH = registry.event("sla_breach", label="SLA breach")
SLA_WARNING = registry.event("sla_warning", label="SLA warning")
VENDOR_ON_WATCH = registry.event("vendor_on_watch", label="Vendor put on watch")

SEVERITY = {Status.MET: 0, Status.WARNING: 1, Status.BREACHED: 2}


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


def _breached_in_a_row(measurement, frequency) -> bool:
    """Was this KPI breached in each of the last ALERT_ON_WATCH_STREAK periods, this one included?"""
    periods = [measurement.period]
    for _ in range(settings.ALERT_ON_WATCH_STREAK - 1):
        periods.append(_previous(periods[-1], frequency))
    earlier = list(
        Measurement.objects.filter(
            vendor_id=measurement.vendor_id, kpi_id=measurement.kpi_id, period__in=periods[1:]
        )
    )
    if len(earlier) < len(periods) - 1:
        return False
    targets = list(
        SLATarget.objects.filter(
            sla__vendor_id=measurement.vendor_id, kpi_id=measurement.kpi_id, effective_from__lte=periods[0]
        ).select_related("kpi")
    )
    return all(_worst(_in_force(targets, m.period), m.value)[0] == Status.BREACHED for m in earlier)


def _put_on_watch(vendor_id) -> Vendor | None:
    """Active vendor -> on watch (with history); None when it was not active (already on watch...)."""
    vendor = Vendor.objects.select_for_update().get(pk=vendor_id)
    if vendor.status != VendorStatus.ACTIVE:
        return None
    vendor.status = VendorStatus.ON_WATCH
    vendor.save(update_fields=["status", "updated_at"])
    return vendor


def measurement_recorded(measurement) -> None:
    targets = (
        SLATarget.objects.in_force_on(measurement.period)
        .filter(sla__vendor_id=measurement.vendor_id, kpi_id=measurement.kpi_id)
        .select_related("kpi")
    )
    status, target = _worst(targets, measurement.value)
    if status == Status.MET:
        return
    vendor, kpi = measurement.vendor, target.kpi
    recipients = accountable(vendor, manager_ids())
    period = f"{measurement.period:%B %Y}"
    word = "breached" if status == Status.BREACHED else "is close to breaching"
    dues = [
        Due(
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
    ]
    if status == Status.BREACHED and _breached_in_a_row(measurement, target.frequency):
        watched = _put_on_watch(vendor.pk)
        if watched is not None:
            streak = settings.ALERT_ON_WATCH_STREAK
            dues.append(
                Due(
                    kind=VENDOR_ON_WATCH,
                    subject=watched,
                    due_on=measurement.period,
                    recipients=recipients,
                    title=f"{vendor.name} is now on watch",
                    message=f"{kpi.name} breached its SLA target {streak} periods in a row, up to {period}.",
                    link=vendor.get_absolute_url(),
                    vendor_id=vendor.pk,
                )
            )
    raise_alerts(dues)
    schedule_delivery()

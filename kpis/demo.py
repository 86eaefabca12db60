"""Demo SLAs, targets and monthly measurements for every demo vendor.

Each vendor's numbers come from its own seeded generator, so they are the same on every run; rows are
bulk-inserted with ON CONFLICT DO NOTHING, so a second run adds nothing. Most vendors hover around
their targets with the odd warning or breach; every 25th vendor (Keystroke Data Services among the
named ones) has been sliding for the last eight months.
"""

import random
from decimal import Decimal

from kpis.library import install_standard_kpis
from kpis.models import KPI, SLA, Direction, Measurement, SLATarget
from kpis.periods import add_months, month_start
from vendors.models import Contract, Vendor

# code: (target, warning, breach, weight)
CONTACT_CENTER = {
    "fcr": (75, 72, 68, 2),
    "aht": (300, 320, 345, 1),
    "csat": (85, 82, 78, 2),
    "service-level": (80, 77, 72, 2),
    "abandonment-rate": (5, 6, 8, 1),
    "qa-score": (90, 87, 83, 1),
    "attrition-rate": (4, 5, 6.5, 1),
    "schedule-adherence": (90, 87, 84, 1),
}
BACK_OFFICE = {
    "error-rate": (2, 2.5, 3.5, 2),
    "qa-score": (92, 89, 85, 2),
    "cost-per-contact": (3.2, 3.4, 3.7, 1),
    "attrition-rate": (4, 5, 6.5, 1),
    "schedule-adherence": (90, 87, 84, 1),
    "nps": (30, 25, 15, 1),
}
BACK_OFFICE_SERVICES = {"back-office", "data-entry", "content-moderation"}
# CSAT's target was raised half a year ago for the named vendors: the trend shows the step.
RAISED_CSAT = (82, 79, 75)
SLIDING_MONTHS = 8
PLACES = {
    "percent": Decimal("0.1"),
    "seconds": Decimal("1"),
    "currency": Decimal("0.01"),
    "score": Decimal("1"),
}


def seed(ctx):
    install_standard_kpis()
    kpis = {kpi.code: kpi for kpi in KPI.objects.all()}
    current = month_start(ctx.today)
    start = add_months(current, -ctx.months)
    services = _services_by_vendor(ctx.vendors)
    contracts = {}
    for contract in Contract.objects.filter(vendor__in=ctx.vendors).order_by("vendor_id", "reference"):
        contracts.setdefault(contract.vendor_id, contract)
    SLA.objects.bulk_create(
        [
            SLA(
                vendor=vendor,
                contract=contracts[vendor.pk],
                name="Service levels",
                service_credit_cap_percent=Decimal(10),
                vendor_may_submit=index == 0,
            )
            for index, vendor in enumerate(ctx.vendors)
        ],
        ignore_conflicts=True,
    )
    slas = {sla.vendor_id: sla for sla in SLA.objects.filter(vendor__in=ctx.vendors, name="Service levels")}
    raised_from = add_months(current, -6)
    targets = []
    for index, vendor in enumerate(ctx.vendors):
        for code, (target, warning, breach, weight) in _profile(services[vendor.pk]).items():
            version = {"sla": slas[vendor.pk], "kpi": kpis[code], "weight": weight, "effective_from": start}
            if code == "csat" and index < 6 and raised_from > start:
                old = RAISED_CSAT
                targets.append(_target(version, old, effective_to=raised_from))
                version["effective_from"] = raised_from
            targets.append(_target(version, (target, warning, breach)))
    SLATarget.objects.bulk_create(targets, ignore_conflicts=True, batch_size=5000)
    _seed_measurements(ctx, kpis, services, start, current)


def _services_by_vendor(vendors):
    services = {vendor.pk: set() for vendor in vendors}
    rows = Vendor.services.through.objects.filter(vendor__in=vendors).values_list(
        "vendor_id", "service__code"
    )
    for vendor_id, code in rows:
        services[vendor_id].add(code)
    return services


def _profile(codes):
    return BACK_OFFICE if codes and codes <= BACK_OFFICE_SERVICES else CONTACT_CENTER


def _target(version, numbers, effective_to=None):
    target, warning, breach = (Decimal(str(n)) for n in numbers)
    return SLATarget(
        **version,
        target=target,
        warning_threshold=warning,
        breach_threshold=breach,
        effective_to=effective_to,
    )


def _seed_measurements(ctx, kpis, services, start, current):
    periods = [add_months(start, offset) for offset in range(ctx.months)]
    fees = dict(Contract.objects.filter(vendor__in=ctx.vendors).values_list("vendor_id", "monthly_fee"))
    rows = []
    for index, vendor in enumerate(ctx.vendors):
        rng = random.Random(f"kpis-demo-{vendor.slug}")
        quality, noise = (0.7, 0.2) if ctx.is_steady(vendor) else (rng.uniform(-0.25, 0.9), 0.45)
        sliding = index % 25 == 2
        for code, (target, _warning, breach, _weight) in _profile(services[vendor.pk]).items():
            kpi = kpis[code]
            sign = 1 if kpi.direction == Direction.HIGHER_IS_BETTER else -1
            gap = abs(target - breach)
            for month_index, period in enumerate(periods):
                level = quality + rng.gauss(0, noise)
                months_left = len(periods) - month_index
                if sliding and months_left <= SLIDING_MONTHS:
                    level -= 0.22 * (SLIDING_MONTHS - months_left + 1)
                value = _clamp(kpi, target + sign * gap * level)
                volume = _volume(kpi, target, fees.get(vendor.pk), rng)
                rows.append(Measurement(vendor=vendor, kpi=kpi, period=period, value=value, volume=volume))
    Measurement.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)


def _volume(kpi, target, monthly_fee, rng):
    """Contacts behind a weighted value; for cost per contact, about what the monthly fee pays for."""
    if kpi.aggregation != "weighted":
        return None
    if kpi.code == "cost-per-contact" and monthly_fee:
        return int(monthly_fee / Decimal(str(target)) * Decimal(str(rng.uniform(0.75, 0.98))))
    return rng.randint(6000, 22000)


def _clamp(kpi, value):
    value = Decimal(str(value)).quantize(PLACES.get(kpi.unit, Decimal("0.1")))
    if kpi.unit == "percent":
        return min(Decimal(100), max(Decimal(0), value))
    return max(Decimal(0), value)

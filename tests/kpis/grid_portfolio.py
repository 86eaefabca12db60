"""A small portfolio for the KPI grid's tests: vendors with CSAT, AHT and FCR targets measured in October.

Each vendor has one SLA (a 20,000 monthly fee, credits capped at 10%) with three targets, 2% credit each:
CSAT (higher is better: target 85, warning below 82, breach below 78), AHT in seconds (lower is
better: 300, 320, 345) and FCR (higher: 75, 72, 70). A breach costs 400; values left out are not measured.
"""

from datetime import date

from tests.factories import ServiceFactory, VendorFactory
from tests.kpis.factories import SLAFactory, SLATargetFactory, kpi, measure
from vendors.models import VendorStatus

OCT = date(2025, 10, 1)
THRESHOLDS = {"csat": (85, 82, 78), "aht": (300, 320, 345), "fcr": (75, 72, 70)}


def graded_vendor(name, *, status=VendorStatus.ACTIVE, service=None, **values):
    """A vendor with the three targets and October's values given as csat=…, aht=…, fcr=…."""
    vendor = VendorFactory(name=name, status=status)
    if service:
        vendor.services.add(ServiceFactory(code=service, name=service.replace("-", " ").capitalize()))
    sla = SLAFactory(vendor=vendor, contract__monthly_fee=20000)
    for code, (target, warning, breach) in THRESHOLDS.items():
        SLATargetFactory(
            sla=sla,
            kpi=kpi(code),
            target=target,
            warning_threshold=warning,
            breach_threshold=breach,
            service_credit_percent=2,
        )
        if values.get(code) is not None:
            measure(vendor, code, OCT, values[code])
    return vendor

"""Certifications expiring within 90, 60 and 30 days, and expired, run by the daily job.

Each threshold is its own reminder: the alert's date is the day the threshold is crossed (expiry minus
90, 60 or 30 days), so one certification gets up to three "expiring" alerts per person, each once.
A certification first seen inside a window (added with 20 days left, or after the workers were down)
gets the most urgent reminder only, not a burst of the ones it skipped. The expired alert stays due
for ALERT_CATCH_UP_DAYS after expiry. Archived certifications and archived vendors are left out.
"""

from datetime import timedelta

from django.conf import settings
from django.utils.formats import date_format

from alerts import registry
from alerts.due import when
from alerts.recipients import Directory
from alerts.registry import Due
from vendors.models import Certification, VendorStatus

CERTIFICATION_EXPIRING = "certification_expiring"
CERTIFICATION_EXPIRED = "certification_expired"
THRESHOLDS = (30, 60, 90)


def _certifications(expiring_range):
    return (
        Certification.objects.current()
        .filter(expires_on__range=expiring_range)
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor")
        .order_by("pk")
    )


def _certification_due(kind, certification, due_on, people, title, message):
    vendor = certification.vendor
    reference = f" ({certification.reference})" if certification.reference else ""
    return Due(
        kind=kind,
        subject=certification,
        due_on=due_on,
        recipients=people.accountable(vendor),
        title=f"{vendor.name}: {certification.get_kind_display()} {title}",
        message=f"{message} Certificate{reference} issued on "
        f"{date_format(certification.issued_on, 'j F Y')}.",
        link=certification.get_absolute_url(),
        vendor_id=vendor.pk,
    )


@registry.due(CERTIFICATION_EXPIRING, label="Certification expiring", job="daily")
def due_certification_expiring(today):
    people = Directory.load()
    for certification in _certifications((today, today + timedelta(days=max(THRESHOLDS)))):
        days_left = (certification.expires_on - today).days
        threshold = min(days for days in THRESHOLDS if days >= days_left)
        yield _certification_due(
            CERTIFICATION_EXPIRING,
            certification,
            certification.expires_on - timedelta(days=threshold),
            people,
            f"expires {when(certification.expires_on, today)}"
            + (f", within {threshold} days" if days_left else ""),
            "Ask the vendor for the renewed certificate and upload it as evidence.",
        )


@registry.due(CERTIFICATION_EXPIRED, label="Certification expired", job="daily")
def due_certification_expired(today):
    people = Directory.load()
    yesterday = today - timedelta(days=1)
    expired = (yesterday - timedelta(days=settings.ALERT_CATCH_UP_DAYS), yesterday)
    for certification in _certifications(expired):
        yield _certification_due(
            CERTIFICATION_EXPIRED,
            certification,
            certification.expires_on,
            people,
            f"expired on {date_format(certification.expires_on, 'j F Y')}",
            "The vendor is working without it: get the renewed certificate, or record the risk.",
        )

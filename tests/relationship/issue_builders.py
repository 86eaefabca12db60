"""Builders for the issue-log tests: issues raised through the service, and the records they come from."""

from datetime import UTC, date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from bporeg.uploads import sample_bytes
from relationship.issues import issue_raise
from relationship.models import IssueCategory, Severity
from tests.kpis.factories import SLATargetFactory, measure
from tests.reviews.factories import make_audit, make_scorecard

# A Monday morning, so due times read plainly.
RAISED_AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def raise_issue(*, vendor, by, **fields):
    values = {
        "title": "Callers told the wrong refund rules",
        "description": "Since Monday agents quote the old refund policy.",
        "category": IssueCategory.QUALITY,
        "severity": Severity.MEDIUM,
        **fields,
    }
    return issue_raise(vendor=vendor, by=by, **values)


def text_file(name="notes.txt"):
    return SimpleUploadedFile(name, sample_bytes("txt"), content_type="text/plain")


def csat_measurement(vendor, value):
    """A CSAT value for October 2026 against a target of 85 that breaches below 78."""
    SLATargetFactory(sla__vendor=vendor)
    return measure(vendor, "csat", date(2026, 10, 1), value)


def audit_of(vendor, qa):
    return make_audit(auditor=qa, vendor=vendor, version=make_scorecard(qa, name=f"Card {vendor.slug}"))

"""Certifications: reminders 90, 60 and 30 days before expiry and on expiry, once each."""

from datetime import date, timedelta

import pytest

from alerts.due_certifications import (
    CERTIFICATION_EXPIRED,
    CERTIFICATION_EXPIRING,
    due_certification_expired,
    due_certification_expiring,
)
from tests.alerts.days import emails, recipients, run_on
from tests.factories import CertificationFactory, VendorFactory, make_user
from vendors.models import VendorStatus

pytestmark = pytest.mark.django_db
EXPIRY = date(2026, 9, 30)
DAY = timedelta(days=1)


def test_each_threshold_and_the_expiry_alert_once_over_a_hundred_daily_runs(manager, vendor_a, staff_a):
    certification = CertificationFactory(vendor=vendor_a, expires_on=EXPIRY)
    for day in range(100, -10, -1):
        run_on(EXPIRY - day * DAY)
    kinds = (CERTIFICATION_EXPIRING, CERTIFICATION_EXPIRED)
    assert [e for e in emails() if e[0] in kinds] == [
        (CERTIFICATION_EXPIRED, certification.pk, EXPIRY, manager.pk),
        (CERTIFICATION_EXPIRING, certification.pk, EXPIRY - 90 * DAY, manager.pk),
        (CERTIFICATION_EXPIRING, certification.pk, EXPIRY - 60 * DAY, manager.pk),
        (CERTIFICATION_EXPIRING, certification.pk, EXPIRY - 30 * DAY, manager.pk),
    ]


def test_thresholds_fire_on_the_day_and_not_before(vendor_a, manager):
    CertificationFactory(vendor=vendor_a, expires_on=EXPIRY)
    assert [due.due_on for due in due_certification_expiring(EXPIRY - 91 * DAY)] == []
    assert [due.due_on for due in due_certification_expiring(EXPIRY - 90 * DAY)] == [EXPIRY - 90 * DAY]
    assert [due.due_on for due in due_certification_expiring(EXPIRY - 61 * DAY)] == [EXPIRY - 90 * DAY]
    [due] = due_certification_expiring(EXPIRY - 60 * DAY)
    assert due.title == "Acme Support: ISO/IEC 27001 expires on 30 September 2026, within 60 days"
    [due] = due_certification_expiring(EXPIRY)
    assert due.title == "Acme Support: ISO/IEC 27001 expires today"
    assert list(due_certification_expired(EXPIRY)) == []
    [due] = due_certification_expired(EXPIRY + DAY)
    assert due.title == "Acme Support: ISO/IEC 27001 expired on 30 September 2026"


def test_a_certification_added_late_gets_only_the_most_urgent_reminder(vendor_a, manager):
    """Added 20 days before it expires, or seen after the workers were down: no burst of old ones."""
    CertificationFactory(vendor=vendor_a, expires_on=EXPIRY)
    run_on(EXPIRY - 20 * DAY)
    assert [e[2] for e in emails(CERTIFICATION_EXPIRING)] == [EXPIRY - 30 * DAY]


def test_the_expired_alert_is_caught_up_for_a_week(vendor_a, manager):
    CertificationFactory(vendor=vendor_a, expires_on=EXPIRY)
    assert list(due_certification_expired(EXPIRY + 9 * DAY)) == []
    run_on(EXPIRY + 8 * DAY)
    assert [e[2] for e in emails(CERTIFICATION_EXPIRED)] == [EXPIRY]


def test_the_vendor_owner_is_told_or_every_manager_never_vendor_staff(manager, qa, vendor_a, staff_a):
    lead = make_user("lead", "manager")
    owned = CertificationFactory(vendor=VendorFactory(name="Owned", owner=qa), expires_on=EXPIRY)
    orphan = CertificationFactory(vendor=vendor_a, expires_on=EXPIRY)
    assert recipients(due_certification_expiring(EXPIRY)) == {
        owned.pk: [qa.pk],
        orphan.pk: sorted([manager.pk, lead.pk]),
    }


def test_archived_certifications_and_vendors_and_open_ended_ones_are_left_out(vendor_a, manager):
    CertificationFactory(vendor=vendor_a, expires_on=EXPIRY, archived_at="2026-01-01T00:00Z")
    CertificationFactory(vendor=vendor_a, expires_on=None)
    CertificationFactory(vendor=VendorFactory(name="Gone", status=VendorStatus.ARCHIVED), expires_on=EXPIRY)
    assert list(due_certification_expiring(EXPIRY)) == []
    assert list(due_certification_expired(EXPIRY + DAY)) == []

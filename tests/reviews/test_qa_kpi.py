"""Audits feed the vendor's qa-score KPI: the average of the period's audits, source "audit"."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from kpis.models import KPI, Measurement, Source
from kpis.services import record_measurement
from reviews import auditing
from tests.reviews.factories import criteria_by_label, make_audit, make_scorecard

OCTOBER = date(2026, 10, 1)


def qa_score(vendor, period=OCTOBER):
    return Measurement.objects.filter(vendor=vendor, kpi__code="qa-score", period=period).first()


def test_adding_audits_averages_the_period(qa, vendor_a):
    version = make_scorecard(qa)
    make_audit(auditor=qa, vendor=vendor_a, version=version)  # 100
    measurement = qa_score(vendor_a)
    assert (measurement.value, measurement.source, measurement.volume) == (Decimal("100"), Source.AUDIT, 1)
    make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Greeting": 0})  # 90
    make_audit(
        auditor=qa, vendor=vendor_a, version=version, day=date(2026, 11, 2), answers={"Data protection": 0}
    )
    measurement = qa_score(vendor_a)
    assert (measurement.value, measurement.volume) == (Decimal("95"), 2)
    assert qa_score(vendor_a, date(2026, 11, 1)).value == Decimal("0")


def test_rescoring_recalculates(qa, staff_a, vendor_a):
    version = make_scorecard(qa)
    make_audit(auditor=qa, vendor=vendor_a, version=version)
    audit = make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Data protection": 0})
    assert qa_score(vendor_a).value == Decimal("50")
    dispute = auditing.raise_dispute(audit=audit, user=staff_a, reason="Verified at 01:10")
    criteria = criteria_by_label(version)
    answers = [(c, 1 if c.scale == "yes_no" else 5, "") for c in criteria.values()]
    auditing.decide_dispute(dispute=dispute, user=qa, accept=True, comment="Agreed", answers=answers)
    assert qa_score(vendor_a).value == Decimal("100")


def test_voiding_recalculates_and_the_last_void_removes_the_measurement(client_for, qa, vendor_a):
    version = make_scorecard(qa)
    keep = make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Greeting": 0})
    wrong = make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Data protection": 0})
    assert qa_score(vendor_a).value == Decimal("45")
    response = client_for(qa).post(reverse("reviews:audit_void", args=[wrong.pk]), {"reason": "Wrong vendor"})
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert wrong.is_void and wrong.void_reason == "Wrong vendor"  # kept, not deleted
    assert qa_score(vendor_a).value == Decimal("90")
    auditing.void_audit(audit=keep, user=qa, reason="Duplicate")
    assert qa_score(vendor_a) is None
    assert Measurement.history.filter(vendor=vendor_a, history_type="-").exists()


def test_a_void_without_reason_changes_nothing(client_for, qa, vendor_a):
    version = make_scorecard(qa)
    audit = make_audit(auditor=qa, vendor=vendor_a, version=version)
    client_for(qa).post(reverse("reviews:audit_void", args=[audit.pk]), {"reason": ""})
    audit.refresh_from_db()
    assert not audit.is_void and qa_score(vendor_a).value == Decimal("100")


def test_removing_the_last_audit_leaves_other_sources_alone(qa, manager, vendor_a):
    version = make_scorecard(qa)
    record_measurement(
        vendor=vendor_a,
        kpi=KPI.objects.get(code="qa-score"),
        period=date(2026, 9, 1),
        value=88,
        source=Source.MANUAL,
    )
    audit = make_audit(auditor=qa, vendor=vendor_a, version=version)
    auditing.void_audit(audit=audit, user=qa, reason="Test call")
    assert qa_score(vendor_a) is None
    assert qa_score(vendor_a, date(2026, 9, 1)).source == Source.MANUAL

"""Vendor staff dispute an audit; QA accepts (and rescores) or rejects; everything is kept."""

from decimal import Decimal

from django.urls import reverse

from kpis.models import Measurement
from reviews.models import AuditResult, Dispute, DisputeStatus
from tests.reviews.factories import criteria_by_label, make_audit, make_scorecard


def decision(version, decision, comment="Checked the recording", **values):
    criteria = criteria_by_label(version)
    data = {"decision": decision, "comment": comment}
    for label, criterion in criteria.items():
        data[f"c{criterion.pk}"] = values.get(label, "1" if criterion.scale == "yes_no" else "5")
    return data


def test_staff_disputes_and_qa_accepts_with_a_rescore(client_for, qa, staff_a, vendor_a):
    version = make_scorecard(qa)
    audit = make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Data protection": 0})
    assert audit.result == AuditResult.CRITICAL_FAIL
    response = client_for(staff_a).post(
        reverse("reviews:audit_dispute", args=[audit.pk]), {"reason": "The agent did verify; see 02:14."}
    )
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert (dispute.status, dispute.raised_by, dispute.score_before) == (
        DisputeStatus.OPEN,
        staff_a,
        Decimal("0.0"),
    )

    response = client_for(qa).post(
        reverse("reviews:dispute_decide", args=[dispute.pk]), decision(version, "accept")
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    audit.refresh_from_db()
    assert dispute.status == DisputeStatus.ACCEPTED and dispute.decided_by == qa
    assert (dispute.score_before, dispute.score_after) == (Decimal("0.0"), Decimal("100.0"))
    assert audit.score == Decimal("100.0") and audit.result == AuditResult.PASSED
    # History keeps the answer as it was before the rescore, and the audit's old score.
    data_protection = audit.scores.get(criterion__label="Data protection")
    assert [h.value for h in data_protection.history.order_by("history_date")] == [0, 1]
    assert [h.score for h in audit.history.order_by("history_date")] == [Decimal("0.0"), Decimal("100.0")]
    assert Measurement.objects.get(vendor=vendor_a).value == Decimal("100")


def test_qa_rejects_a_dispute_and_the_score_stays(client_for, qa, staff_a, vendor_a):
    version = make_scorecard(qa)
    audit = make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Greeting": 0})
    dispute = Dispute.objects.create(audit=audit, raised_by=staff_a, reason="We greeted the customer.")
    response = client_for(qa).post(
        reverse("reviews:dispute_decide", args=[dispute.pk]),
        decision(version, "reject", comment="No greeting at 00:03"),
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    audit.refresh_from_db()
    assert dispute.status == DisputeStatus.REJECTED and dispute.decision_comment == "No greeting at 00:03"
    assert audit.score == dispute.score_after == Decimal("90.0")
    # Decided disputes are no longer open for a decision.
    assert client_for(qa).get(reverse("reviews:dispute_decide", args=[dispute.pk])).status_code == 404


def test_one_open_dispute_at_a_time_and_a_reason_is_required(client_for, qa, staff_a, vendor_a):
    version = make_scorecard(qa)
    audit = make_audit(auditor=qa, vendor=vendor_a, version=version)
    url = reverse("reviews:audit_dispute", args=[audit.pk])
    short = client_for(staff_a).post(url, {"reason": "no"})
    assert short.status_code == 200 and "at least 10 characters" in str(short.context["form"].errors)
    client_for(staff_a).post(url, {"reason": "First dispute, reasons."})
    second = client_for(staff_a).post(url, {"reason": "Second dispute, reasons."})
    assert "already has an open dispute" in str(second.context["form"].non_field_errors())
    assert Dispute.objects.count() == 1


def test_decision_without_comment_changes_nothing(client_for, qa, staff_a, vendor_a):
    version = make_scorecard(qa)
    audit = make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Greeting": 0})
    dispute = Dispute.objects.create(audit=audit, raised_by=staff_a, reason="We greeted the customer.")
    response = client_for(qa).post(
        reverse("reviews:dispute_decide", args=[dispute.pk]), decision(version, "accept", comment="")
    )
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    dispute.refresh_from_db()
    audit.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN and audit.score == Decimal("90.0")

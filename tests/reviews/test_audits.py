"""Logging an audit through the form: server-side score, live preview, evidence, bad input."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reviews.models import Audit, AuditResult
from tests.factories import VendorFactory
from tests.reviews.factories import criteria_by_label, make_audit, make_scorecard

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

pytestmark = pytest.mark.usefixtures("frozen_today")


@pytest.fixture
def frozen_today():
    with time_machine.travel(date(2026, 11, 10), tick=False):
        yield


def audit_post(version, vendor, values, **extra):
    criteria = criteria_by_label(version)
    data = {
        "version": version.pk,
        "vendor": vendor.pk,
        "channel": "voice",
        "reference": "CALL-1001",
        "interaction_date": "2026-11-03",
        "agent": "Ana R. (A-17)",
        "overall_comment": "Good call",
    }
    for label, value in values.items():
        data[f"c{criteria[label].pk}"] = value
        data[f"c{criteria[label].pk}_comment"] = f"about {label}"
    return data | extra


ALL_GOOD = {
    "Greeting": "1",
    "Verification": "na",
    "Resolution accuracy": "4",
    "Data protection": "1",
    "Tone": "5",
}


def test_qa_logs_an_audit_and_the_server_scores_it(client_for, qa, vendor_a):
    version = make_scorecard(qa)
    evidence = SimpleUploadedFile("screen.png", PNG, content_type="image/png")
    response = client_for(qa).post(
        reverse("reviews:audit_create"),
        audit_post(version, vendor_a, ALL_GOOD, evidence=evidence, score="100"),
    )
    audit = Audit.objects.get()
    assert response.status_code == 302 and response.url == audit.get_absolute_url()
    # 1 + 2.4 + 2 + 2 of 8 (verification n.a.), whatever the client claims.
    assert audit.score == Decimal("92.5") and audit.result == AuditResult.PASSED
    assert audit.period == date(2026, 11, 1)
    assert audit.scores.count() == 5 and audit.scores.get(criterion__label="Verification").value is None
    assert audit.evidence.name.startswith("audit-evidence/") and audit.evidence.name.endswith("/screen.png")


def test_live_preview_scores_the_answers_so_far(client_for, qa, vendor_a):
    version = make_scorecard(qa)
    url = reverse("reviews:audit_score_preview")
    partial = client_for(qa).post(
        url, audit_post(version, vendor_a, {"Greeting": "1", "Data protection": "0"})
    )
    assert partial.status_code == 200
    assert b"0.0%" in partial.content and b"Critical fail" in partial.content
    assert b"2 of 5 answered" in partial.content


def test_evidence_download_is_an_access_checked_attachment(client_for, qa, vendor_a, staff_a, staff_b):
    version = make_scorecard(qa)
    evidence = SimpleUploadedFile("screen.png", PNG, content_type="image/png")
    client_for(qa).post(
        reverse("reviews:audit_create"), audit_post(version, vendor_a, ALL_GOOD, evidence=evidence)
    )
    audit = Audit.objects.get()
    url = reverse("reviews:audit_evidence", args=[audit.pk])
    response = client_for(staff_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="screen.png"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PNG
    assert client_for(staff_b).get(url).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.pdf", b"MZ\x90\x00 not a pdf"), "not an accepted type"),
        (SimpleUploadedFile("call.wav", b"<html><script>alert(1)</script></html>"), "not an accepted type"),
    ],
)
def test_evidence_is_checked_by_content(client_for, qa, vendor_a, upload, message):
    version = make_scorecard(qa)
    response = client_for(qa).post(
        reverse("reviews:audit_create"), audit_post(version, vendor_a, ALL_GOOD, evidence=upload)
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["evidence"])
    assert not Audit.objects.exists()


def test_evidence_over_the_size_limit_is_refused(client_for, qa, vendor_a, settings):
    settings.UPLOAD_MAX_BYTES = 32
    version = make_scorecard(qa)
    upload = SimpleUploadedFile("screen.png", PNG)
    response = client_for(qa).post(
        reverse("reviews:audit_create"), audit_post(version, vendor_a, ALL_GOOD, evidence=upload)
    )
    assert "the limit is 0.0 MB" in str(response.context["form"].errors["evidence"])
    assert not Audit.objects.exists()


def test_bad_input_shows_clear_errors_and_saves_nothing(client_for, qa, vendor_a):
    version = make_scorecard(qa)
    archived = VendorFactory(name="Gone Ltd", status="archived")
    missing_answer = {k: v for k, v in ALL_GOOD.items() if k != "Tone"}
    response = client_for(qa).post(
        reverse("reviews:audit_create"),
        audit_post(version, archived, missing_answer, interaction_date="2026-12-01", reference=""),
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert "Select a valid choice" in str(errors["vendor"])
    assert "cannot be in the future" in str(errors["interaction_date"])
    assert "reference" in errors
    tone = criteria_by_label(version)["Tone"]
    assert "Answer this criterion (n.a. if it did not apply)." in errors[f"c{tone.pk}"]
    everything_na = dict.fromkeys(ALL_GOOD, "na")
    response = client_for(qa).post(
        reverse("reviews:audit_create"), audit_post(version, vendor_a, everything_na)
    )
    assert "Score at least one criterion" in str(response.context["form"].non_field_errors())
    assert not Audit.objects.exists()


def test_audit_list_filters(client_for, qa, vendor_a, vendor_b):
    version = make_scorecard(qa)
    make_audit(auditor=qa, vendor=vendor_a, version=version, agent="Ana", reference="A-1")
    make_audit(
        auditor=qa,
        vendor=vendor_a,
        version=version,
        agent="Ben",
        reference="A-2",
        answers={"Data protection": 0},
    )
    make_audit(
        auditor=qa, vendor=vendor_b, version=version, agent="Ana", reference="B-1", day=date(2026, 9, 2)
    )
    client = client_for(qa)

    def references(**query):
        page = client.get(reverse("reviews:audit_list"), query).context["page"]
        return sorted(audit.reference for audit in page)

    assert references() == ["A-1", "A-2", "B-1"]
    assert references(vendor=vendor_a.pk) == ["A-1", "A-2"]
    assert references(agent="ana") == ["A-1", "B-1"]
    assert references(period="2026-09") == ["B-1"]
    assert references(result="critical_fail") == ["A-2"]
    assert references(template=version.template_id, vendor=vendor_b.pk) == ["B-1"]


def test_vendor_staff_see_only_their_vendors_audits(client_for, qa, vendor_a, vendor_b, staff_a):
    version = make_scorecard(qa)
    make_audit(auditor=qa, vendor=vendor_a, version=version, reference="A-1")
    other = make_audit(auditor=qa, vendor=vendor_b, version=version, reference="B-1")
    client = client_for(staff_a)
    page = client.get(reverse("reviews:audit_list"), {"vendor": vendor_b.pk}).context["page"]
    assert [audit.reference for audit in page] == ["A-1"]  # the foreign vendor is not even a valid choice
    assert client.get(reverse("reviews:audit_detail", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("reviews:audit_dispute", args=[other.pk]), {"reason": "x" * 20}).status_code
        == 404
    )
    assert not other.disputes.exists()


def test_failure_rates_per_vendor_and_criterion(client_for, qa, vendor_a, vendor_b):
    version = make_scorecard(qa)
    make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Greeting": 0, "Tone": 2})
    make_audit(auditor=qa, vendor=vendor_a, version=version, answers={"Greeting": 0, "Verification": None})
    make_audit(auditor=qa, vendor=vendor_b, version=version, answers={"Verification": 0})
    rows = client_for(qa).get(reverse("reviews:failure_rates")).context["rows"]
    table = {
        (r["audit__vendor__name"], r["criterion_label"]): (r["failed_count"], r["answered"], r["rate"])
        for r in rows
    }
    assert table == {
        (vendor_a.name, "Greeting"): (2, 2, 100.0),
        (vendor_a.name, "Tone"): (1, 2, 50.0),
        (vendor_b.name, "Verification"): (1, 1, 100.0),
    }

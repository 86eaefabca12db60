"""Weighted scoring: n.a. leaves the calculation, a missed critical criterion zeroes the audit."""

from decimal import Decimal

from reviews.models import AuditResult
from reviews.scoring import score_audit
from tests.reviews.factories import criteria_by_label, make_scorecard


def answers(version, **values):
    criteria = criteria_by_label(version)
    labels = {
        "greeting": "Greeting",
        "verification": "Verification",
        "accuracy": "Resolution accuracy",
        "data": "Data protection",
        "tone": "Tone",
    }
    return [(criteria[labels[key]], value) for key, value in values.items()]


def test_weighted_score_excludes_not_applicable(qa):
    version = make_scorecard(qa)
    # greeting no (w1: 0), verification n.a. (out), accuracy 4/5 (w3: 2.4), data yes (w2: 2), tone 5 (w2: 2)
    outcome = score_audit(
        answers(version, greeting=0, verification=None, accuracy=4, data=1, tone=5), pass_mark=Decimal(80)
    )
    assert outcome.score == Decimal("80.0")  # 6.4 earned of 8 applicable weight
    assert outcome.result == AuditResult.PASSED
    assert outcome.applicable == 4


def test_below_pass_mark_fails(qa):
    version = make_scorecard(qa)
    outcome = score_audit(
        answers(version, greeting=0, verification=0, accuracy=3, data=1, tone=3), pass_mark=80
    )
    # 0 + 0 + 1.8 + 2 + 1.2 = 5 of 10
    assert outcome.score == Decimal("50.0")
    assert outcome.result == AuditResult.FAILED


def test_missed_critical_criterion_zeroes_the_audit(qa):
    version = make_scorecard(qa)
    outcome = score_audit(
        answers(version, greeting=1, verification=1, accuracy=5, data=0, tone=5), pass_mark=80
    )
    assert outcome.score == Decimal("0.0")
    assert outcome.result == AuditResult.CRITICAL_FAIL
    assert [c.label for c in outcome.critical_missed] == ["Data protection"]


def test_critical_criterion_not_applicable_does_not_fail(qa):
    version = make_scorecard(qa)
    outcome = score_audit(answers(version, greeting=1, data=None), pass_mark=80)
    assert outcome.score == Decimal("100.0")
    assert outcome.result == AuditResult.PASSED


def test_all_not_applicable_has_no_score(qa):
    version = make_scorecard(qa)
    outcome = score_audit(answers(version, greeting=None, tone=None), pass_mark=80)
    assert outcome.score is None and outcome.result is None

"""How an audit is scored: the one function the form preview, the service and the tests all use.

Each applicable criterion earns a share of its weight (yes = all, no = none, a rating r of 5 = r/5);
criteria answered n.a. leave the calculation entirely. A missed critical criterion fails the whole
audit: score 0, result "critical fail", whatever the other answers.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from reviews.models import AuditResult, Scale

RATING_MAX = 5
# A rating of 1 or 2 counts as a miss: it shows in failure rates and fails a critical criterion.
RATING_FAIL_AT_OR_BELOW = 2


def is_failed(criterion, value) -> bool:
    if value is None:
        return False
    if criterion.scale == Scale.YES_NO:
        return value == 0
    return value <= RATING_FAIL_AT_OR_BELOW


def earned_share(criterion, value) -> Decimal:
    if criterion.scale == Scale.YES_NO:
        return Decimal(1 if value else 0)
    return Decimal(value) / RATING_MAX


@dataclass(frozen=True)
class Outcome:
    score: Decimal | None
    result: str | None
    critical_missed: list
    applicable: int

    @property
    def result_label(self):
        return AuditResult(self.result).label if self.result else ""


def score_audit(answers, *, pass_mark) -> Outcome:
    """`answers`: (criterion, value) pairs, value None for n.a. Score 0–100 to one decimal."""
    applicable = [(criterion, value) for criterion, value in answers if value is not None]
    critical_missed = [c for c, value in applicable if c.critical and is_failed(c, value)]
    if not applicable:
        return Outcome(score=None, result=None, critical_missed=[], applicable=0)
    if critical_missed:
        return Outcome(Decimal("0.0"), AuditResult.CRITICAL_FAIL, critical_missed, len(applicable))
    total = sum(Decimal(c.weight) for c, _ in applicable)
    earned = sum(Decimal(c.weight) * earned_share(c, value) for c, value in applicable)
    score = (earned / total * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    result = AuditResult.PASSED if score >= pass_mark else AuditResult.FAILED
    return Outcome(score, result, [], len(applicable))

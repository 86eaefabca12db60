"""Refreshing the stored health snapshot: `refresh_vendor_health` is the one function that computes it.

It is called by the Celery beat job (every few minutes and nightly, when "overdue" moves on by a day),
by the task enqueued after a write that changes a vendor's health (`schedule_refresh`), by `seed_demo`
and by the manager's "Refresh now" button. Its queries do not grow with the number of vendors.
"""

import logging
import statistics
from collections import defaultdict
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from costs.value import portfolio_value, value_tile
from portfolio.facts import gather, vendors_to_refresh
from portfolio.flags import health_of, red_flags
from portfolio.models import Health, PortfolioSnapshot, VendorHealth
from reviews.models import Risk
from reviews.selectors import heat_counts
from vendors.models import Vendor, VendorStatus

logger = logging.getLogger(__name__)

TREND_MONTHS = 6
UPDATED_FIELDS = [field.name for field in VendorHealth._meta.concrete_fields if not field.primary_key]


def _number(value):
    return None if value is None else float(value)


def _history(facts):
    rows = []
    for month in facts.periods:
        card = facts.scorecard(month)
        rows.append(
            {
                "period": month.isoformat(),
                "score": _number(card.score),
                "adherence": _number(card.adherence),
                "spend": _number(facts.spend(month)),
                "budget": _number(facts.budget(month)),
            }
        )
    return rows


def _contract_dates(facts):
    """Next contract review, and the first contract to end (with its renewal-notice deadline)."""
    upcoming = [c for c in facts.contracts if c["end_date"] >= facts.today]
    reviews = [c["next_review_date"] for c in facts.contracts if c["next_review_date"]]
    ending = min(upcoming, key=lambda c: c["end_date"], default=None)
    notice = ending["end_date"] - timedelta(days=ending["renewal_notice_days"]) if ending else None
    return min(reviews, default=None), ending["end_date"] if ending else None, notice


def vendor_health(facts, now) -> VendorHealth:
    """One vendor's snapshot row from its facts."""
    flags = red_flags(facts)
    card = facts.scorecard(facts.period)
    score, health = health_of(card.score, flags)
    qa = next((value for month, value in facts.kpi_series("qa-score", 1) if month == facts.period), None)
    next_review, contract_end, notice = _contract_dates(facts)
    risk = facts.top_risk or {}
    history = _history(facts)
    return VendorHealth(
        vendor_id=facts.vendor.pk,
        period=facts.period,
        health=health,
        health_score=score,
        score=card.score,
        sla_adherence=card.adherence,
        qa_score=qa,
        onboarding_percent=round(100 * facts.tasks_done / facts.tasks_total) if facts.tasks_total else None,
        overdue_tasks=facts.tasks_overdue,
        overdue_actions=facts.actions_overdue,
        overdue_total=facts.tasks_overdue + facts.actions_overdue,
        open_issues=facts.issues_open,
        overdue_issues=facts.issues_overdue,
        next_review_date=next_review,
        contract_end_date=contract_end,
        renewal_notice_date=notice,
        top_risk_score=risk.get("score"),
        top_risk_id=risk.get("pk"),
        flag_count=len(flags),
        flag_codes=" ".join(["", *(flag.code for flag in flags), ""]),
        flags=[flag.as_json() for flag in flags],
        history=history,
        trend=[point["score"] for point in history[-TREND_MONTHS:]],
        refreshed_at=now,
    )


@transaction.atomic
def refresh_vendor_health(vendor_ids=None, *, today=None) -> int:
    """Recompute the health of these vendors (all current vendors when None) and the portfolio charts.

    A fixed number of queries whatever the number of vendors (pinned in tests/portfolio/test_refresh.py):
    those that gather the facts, one upsert, one delete (archived vendors leave the dashboard), and those
    of the charts, totals, heat map and the manager's value tile. Returns how many vendors were refreshed.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    vendors = vendors_to_refresh(vendor_ids)
    facts = gather(vendors, today)
    rows = [vendor_health(f, now) for f in facts.values()]
    VendorHealth.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["vendor"], update_fields=UPDATED_FIELDS
    )
    stale = VendorHealth.objects.exclude(vendor_id__in=[v.pk for v in vendors])
    if vendor_ids is not None:
        stale = stale.filter(vendor_id__in=list(vendor_ids))
    stale.delete()
    _refresh_snapshot(now, today)
    return len(rows)


def _refresh_snapshot(now, today):
    """The portfolio charts and totals over the vendors the dashboard lists (every current vendor), the
    heat map of every live risk, and the value tile."""
    adherence, spend = defaultdict(list), defaultdict(lambda: [0.0, 0.0, 0])
    totals = {
        "vendors": 0,
        "flags": 0,
        "overdue": 0,
        "open_issues": 0,
        "overdue_issues": 0,
        **dict.fromkeys(Health.values, 0),
    }
    rows = VendorHealth.objects.exclude(vendor__status=VendorStatus.ARCHIVED).values_list(
        "health", "flag_count", "overdue_total", "open_issues", "overdue_issues", "history"
    )
    for health, flag_count, overdue, open_issues, overdue_issues, history in rows:
        totals["vendors"] += 1
        totals[health] += 1
        totals["flags"] += flag_count
        totals["overdue"] += overdue
        totals["open_issues"] += open_issues
        totals["overdue_issues"] += overdue_issues
        for point in history:
            if point["adherence"] is not None:
                adherence[point["period"]].append(point["adherence"])
            if point["spend"] is not None and point["budget"]:
                month = spend[point["period"]]
                month[0] += point["spend"]
                month[1] += point["budget"]
                month[2] += 1
    snapshot = PortfolioSnapshot(
        pk=1,
        refreshed_at=now,
        **totals,
        adherence=[_spread(period, values) for period, values in sorted(adherence.items())],
        spend=[
            {"period": period, "spend": round(s), "budget": round(b), "vendors": n}
            for period, (s, b, n) in sorted(spend.items())
        ],
        risks=heat_counts(Risk.objects.all()),
        value=value_tile(portfolio_value(vendors=Vendor.objects.all(), today=today)),
    )
    PortfolioSnapshot.objects.bulk_create(
        [snapshot],
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["refreshed_at", *totals, "adherence", "spend", "risks", "value"],
    )


def _spread(period, values):
    """Average adherence across vendors, and the band of the middle half of them."""
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return {
        "period": period,
        "average": round(statistics.fmean(values), 1),
        "low": round(quartiles[0], 1),
        "high": round(quartiles[2], 1),
        "vendors": len(values),
    }


def _enqueue_refresh(vendor_ids):
    from portfolio.tasks import refresh_health

    try:
        refresh_health.apply_async(kwargs={"vendor_ids": sorted(vendor_ids)}, retry=False)
    except Exception:
        # Best effort: the beat job refreshes every vendor within minutes anyway.
        logger.warning(
            "Broker unreachable; vendor health is refreshed by the next scheduled run.", exc_info=True
        )


class _Batch:
    """The vendors written in one transaction: one task refreshes them all after the commit."""

    def __init__(self):
        self.vendor_ids = set()

    def send(self):
        _enqueue_refresh(self.vendor_ids)


def schedule_refresh(vendor_ids) -> None:
    """Refresh these vendors' health once the current transaction has committed (in a worker).

    Writes in the same transaction share one task: an import of 1,000 vendors' values, or the demo
    seed's thousands of audits, enqueue one refresh, not thousands.
    """
    vendor_ids = {vendor_id for vendor_id in vendor_ids if vendor_id is not None}
    if not vendor_ids:
        return
    connection = transaction.get_connection()
    batch = getattr(connection, "portfolio_refresh_batch", None)
    # A batch whose callback is gone (committed, or rolled back) is not reused.
    if batch is None or not any(item[1] == batch.send for item in connection.run_on_commit):
        batch = connection.portfolio_refresh_batch = _Batch()
        batch.vendor_ids.update(vendor_ids)
        transaction.on_commit(batch.send, robust=True)
    else:
        batch.vendor_ids.update(vendor_ids)

"""Scoped reads for the reviews app, each in a fixed number of queries whatever the data size."""

from datetime import timedelta
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Exists, F, FloatField, OuterRef, Q
from django.db.models.functions import Cast, Round

from kpis.periods import add_months
from kpis.selectors import vendor_scorecard
from reviews.models import ActionItem, Audit, AuditResult, AuditScore, Dispute, DisputeStatus, Risk
from reviews.models.risks import band_of
from vendors.models import OnboardingTask

PAGE_SIZE = 25
CONTRACT_HORIZON_DAYS = 120


def audit_rows(audits, *, page):
    open_dispute = Dispute.objects.filter(audit=OuterRef("pk"), status=DisputeStatus.OPEN)
    audits = audits.select_related("vendor", "version__template", "auditor").annotate(
        disputed=Exists(open_dispute)
    )
    return Paginator(audits, PAGE_SIZE).get_page(page)


def review_rows(reviews, *, page):
    reviews = (
        reviews.select_related("vendor")
        .order_by("-period_start", "vendor__name", "-revision")
        .annotate(
            open_items=Count("action_items", filter=Q(action_items__status__in=["open", "in_progress"]))
        )
    )
    return Paginator(reviews, PAGE_SIZE).get_page(page)


def failure_rates(scores):
    """Per vendor and criterion (by section and label, across template versions): how often it was
    missed among the audits where it applied. Computed in SQL, worst first."""
    return (
        scores.filter(value__isnull=False, audit__voided_at__isnull=True)
        .values("audit__vendor__name", "audit__version__template__name", "criterion__section__title")
        .annotate(
            criterion_label=F("criterion__label"),
            answered=Count("pk"),
            failed_count=Count("pk", filter=Q(failed=True)),
            rate=Round(Cast(Count("pk", filter=Q(failed=True)), FloatField()) * 100.0 / Count("pk"), 1),
        )
        .filter(failed_count__gt=0)
        .order_by("-rate", "-failed_count", "audit__vendor__name", "criterion_label")
    )


def heat_counts(risks):
    """Live risks counted per (likelihood, impact) cell, as [likelihood, impact, count] triples."""
    cells = risks.live().values_list("likelihood", "impact").annotate(n=Count("pk")).order_by()
    return [list(cell) for cell in cells]


def heat_map(counts):
    """A 5×5 grid of live-risk counts (from `heat_counts`), impact rows from 5 down to 1, likelihood
    columns 1 to 5."""
    counted = {(likelihood, impact): n for likelihood, impact, n in counts}
    return [
        {
            "impact": impact,
            "cells": [
                {
                    "likelihood": likelihood,
                    "impact": impact,
                    "count": counted.get((likelihood, impact), 0),
                    "band": band_of(likelihood * impact),
                }
                for likelihood in range(1, 6)
            ],
        }
        for impact in range(5, 0, -1)
    ]


def _number(value, places="0.1"):
    return None if value is None else str(Decimal(value).quantize(Decimal(places)))


def _day(value):
    return value.strftime("%d %b %Y") if value else ""


def _scorecards(review):
    months = []
    period = review.period_start
    while period <= review.period_end:
        months.append(period)
        period = add_months(period, 1)
    cards = []
    for month in months:
        card = vendor_scorecard(review.vendor, month)
        cards.append(
            {
                "period": month.strftime("%B %Y"),
                "score": _number(card.score),
                "adherence": _number(card.adherence),
                "service_credits": _number(card.service_credits, "0.01"),
                "rows": [
                    {
                        "kpi": row.kpi.name,
                        "unit": row.kpi.get_unit_display(),
                        "target": _number(row.target.target, "0.01"),
                        "actual": _number(row.actual, "0.01"),
                        "variance": _number(row.variance, "0.01"),
                        "status": row.status.value if row.status else "",
                        "status_label": row.status.label if row.status else "Not measured",
                        "trend": row.trend,
                    }
                    for row in card.rows
                ],
            }
        )
    return cards


def audit_summary(audits):
    """Count, average, pass rate, critical fails, disputes and the five most-missed criteria."""
    figures = audits.aggregate(
        count=Count("pk"),
        average=Avg("score"),
        passed=Count("pk", filter=Q(result=AuditResult.PASSED)),
        critical=Count("pk", filter=Q(result=AuditResult.CRITICAL_FAIL)),
    )
    count = figures["count"]
    weakest = failure_rates(AuditScore.objects.filter(audit__in=audits))[:5]
    return {
        "count": count,
        "average": _number(figures["average"]),
        "pass_rate": _number(Decimal(figures["passed"]) * 100 / count) if count else None,
        "critical_fails": figures["critical"],
        "disputed": Dispute.objects.filter(audit__in=audits).values("audit").distinct().count(),
        "weakest": [
            {"criterion": row["criterion_label"], "failed": row["failed_count"], "rate": row["rate"]}
            for row in weakest
        ],
    }


def _overdue_actions(review, today):
    """The vendor's overdue items from its other reviews and from its governance meetings."""
    items = (
        ActionItem.objects.filter(vendor=review.vendor_id)
        .exclude(review=review)
        .overdue(today)
        .select_related("review", "meeting")
    )
    return [
        {
            "title": item.title,
            "owner": item.get_owner_display(),
            "owner_name": item.owner_name,
            "due_date": _day(item.due_date),
            "days_overdue": (today - item.due_date).days,
            "status": item.get_status_display(),
            "review": item.review.period_label if item.review_id else str(item.meeting),
        }
        for item in items
    ]


def _overdue_onboarding(review, today):
    tasks = OnboardingTask.objects.filter(vendor=review.vendor_id).overdue(today).select_related("assignee")
    return [
        {
            "title": task.title,
            "phase": task.get_phase_display(),
            "responsible": task.get_responsible_display(),
            "assignee": (task.assignee.get_full_name() or task.assignee.username) if task.assignee else "",
            "status": task.get_status_display(),
            "due_date": _day(task.due_date),
            "days_overdue": (today - task.due_date).days,
            "url": task.get_absolute_url(),
        }
        for task in tasks.order_by("due_date", "pk")
    ]


def _open_risks(review):
    risks = Risk.objects.filter(vendor=review.vendor_id).live().select_related("owner")
    return [
        {
            "title": risk.title,
            "category": risk.get_category_display(),
            "likelihood": risk.likelihood,
            "impact": risk.impact,
            "score": risk.score,
            "band": band_of(risk.score),
            "owner": risk.owner.get_full_name() or risk.owner.username,
            "status": risk.get_status_display(),
            "mitigation": risk.mitigation,
            "next_review": _day(risk.next_review_date),
        }
        for risk in risks
    ]


def _contract_dates(review, today):
    horizon = today + timedelta(days=CONTRACT_HORIZON_DAYS)
    dates = []
    for contract in review.vendor.contracts.filter(archived_at__isnull=True, end_date__gte=today):
        notice = contract.end_date - timedelta(days=contract.renewal_notice_days)
        for what, day in (
            ("Renewal notice deadline", notice),
            ("Contract ends" + (" (auto-renews)" if contract.auto_renew else ""), contract.end_date),
            ("Contract review", contract.next_review_date),
        ):
            if day and today <= day <= horizon:
                dates.append(
                    (
                        day,
                        {
                            "reference": contract.reference,
                            "what": what,
                            "date": _day(day),
                            "days": (day - today).days,
                        },
                    )
                )
    return [entry for _, entry in sorted(dates, key=lambda pair: pair[0])]


def prepare_review_pack(review, *, today):
    """Everything a review discusses, from the data, as plain JSON-ready values: the same dict is
    shown live while the review is a draft and frozen into `Review.snapshot` when it is signed."""
    audits = Audit.objects.active().filter(
        vendor=review.vendor_id, interaction_date__range=(review.period_start, review.period_end)
    )
    return {
        "prepared_on": _day(today),
        "scorecards": _scorecards(review),
        "audits": audit_summary(audits),
        "overdue_actions": _overdue_actions(review, today),
        "overdue_onboarding": _overdue_onboarding(review, today),
        "risks": _open_risks(review),
        "contract_dates": _contract_dates(review, today),
    }


def review_pack(review, *, today, internal):
    """The pack to show: the signed snapshot when there is one, else prepared now. The risk register
    is internal: vendor staff get the pack without it."""
    pack = review.snapshot or prepare_review_pack(review, today=today)
    if not internal:
        pack = {**pack, "risks": None}
    return pack

"""Demo QA audits, reviews, action items, governance meetings and risks for the demo vendors.

Small per vendor so 1,000 vendors stays fast; deterministic (a random generator per vendor, seeded by its
slug) and idempotent (templates by name; a vendor that already has audits, reviews or risks is skipped).
Audits produce the vendor's qa-score measurements through `recalculate_qa_score`, i.e. the KPI service.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from kpis.periods import add_months, month_start
from reviews import auditing
from reviews.meetings import meeting_add_action_item, meeting_record
from reviews.models import (
    ActionItem,
    ActionItemStatus,
    Audit,
    AuditScore,
    AuditTemplate,
    Channel,
    ImprovementPlan,
    Meeting,
    MeetingKind,
    Owner,
    Review,
    ReviewStatus,
    Risk,
    RiskCategory,
    Scale,
)
from reviews.scoring import is_failed, score_audit
from reviews.services import REVIEWED_STATUSES, create_due_reviews, period_containing
from vendors.models import VendorStatus

VOICE = [
    (
        "Opening",
        "Greeting and branding",
        1,
        Scale.YES_NO,
        False,
        "Company name and own name in the first 10 s.",
    ),
    ("Opening", "Customer verification", 2, Scale.YES_NO, True, "Two identifiers before any account detail."),
    ("Resolution", "Resolution accuracy", 3, Scale.RATING, False, "Correct answer, per the knowledge base."),
    ("Resolution", "Ownership and next steps", 2, Scale.RATING, False, ""),
    (
        "Compliance",
        "Data-protection statement",
        2,
        Scale.YES_NO,
        True,
        "Read out when recording personal data.",
    ),
    ("Soft skills", "Tone and empathy", 1, Scale.RATING, False, ""),
    ("Closing", "Summary and closing", 1, Scale.YES_NO, False, ""),
]
BACK_OFFICE = [
    ("Processing", "Correct categorisation", 2, Scale.YES_NO, False, ""),
    ("Processing", "Data entered accurately", 3, Scale.RATING, False, ""),
    ("Compliance", "No personal data in free text", 2, Scale.YES_NO, True, ""),
    ("Communication", "Customer reply quality", 2, Scale.RATING, False, ""),
]
AUDITS_PER_MONTH = 4
AUDITED_MONTHS = 3


def _rows(spec):
    return [
        {
            "section": s,
            "label": label,
            "weight": w,
            "scale": scale,
            "critical": critical,
            "guidance": guidance,
        }
        for s, label, w, scale, critical, guidance in spec
    ]


def _templates(ctx):
    qa = ctx.users["qa"]
    versions = []
    for name, spec, description in (
        (
            "Voice – customer support",
            VOICE,
            "Inbound calls: greeting to closing, with the compliance checks.",
        ),
        ("Back office – ticket handling", BACK_OFFICE, "Tickets and records processed by the back office."),
    ):
        template = AuditTemplate.objects.filter(name=name).first()
        if template is None:
            first = auditing.publish_template_version(
                user=qa,
                name=name,
                description=description,
                pass_mark=80,
                rows=_rows(spec[:-1]),
                note="First issue",
            )
            template = first.template
            if spec is VOICE:
                auditing.publish_template_version(
                    user=qa,
                    template=template,
                    pass_mark=85,
                    rows=_rows(spec),
                    note="Added closing; pass mark 85",
                )
        versions.append(auditing.current_version(template))
    return versions


def _answer(rng, criterion, quality):
    roll = rng.random()
    if roll < 0.08:
        return None
    if criterion.scale == Scale.YES_NO:
        miss = 0.03 if criterion.critical else 0.15
        return 0 if roll > 1 - miss * (1.6 - quality) else 1
    return max(1, min(5, round(rng.gauss(3.2 + quality * 1.6, 0.9))))


def _seed_audits(ctx, vendors, versions):
    audited = set(Audit.objects.filter(vendor__in=vendors).values_list("vendor_id", flat=True).distinct())
    criteria = {version.pk: auditing.version_criteria(version) for version in versions}
    qa = ctx.users["qa"]
    this_month = month_start(ctx.today)
    audits, answers = [], []
    for index, vendor in enumerate(vendors):
        if vendor.pk in audited:
            continue
        rng = random.Random(f"audits-{vendor.slug}")
        version = versions[index % len(versions)]
        channel, prefix = (Channel.VOICE, "CALL") if version == versions[0] else (Channel.TICKET, "TCK")
        if ctx.is_steady(vendor):
            quality = 0.97
        else:
            quality = 0.35 if vendor.status == VendorStatus.ON_WATCH else 0.55 + rng.random() * 0.4
        for months_back in range(AUDITED_MONTHS):
            period = add_months(this_month, -months_back - 1)
            for number in range(AUDITS_PER_MONTH):
                day = period + timedelta(days=rng.randrange(0, 27))
                rows = [(c, _answer(rng, c, quality)) for c in criteria[version.pk]]
                outcome = score_audit(rows, pass_mark=version.pass_mark)
                if outcome.score is None:
                    continue
                audits.append(
                    Audit(
                        vendor=vendor,
                        version=version,
                        auditor=qa,
                        period=period,
                        interaction_date=day,
                        channel=channel,
                        reference=f"{prefix}-{vendor.pk:04d}{period:%m}{number}",
                        agent=f"Agent {rng.randrange(1, 25):02d}",
                        score=outcome.score,
                        result=outcome.result,
                        overall_comment="Calibrated sample." if number == 0 else "",
                    )
                )
                answers.append(rows)
    Audit.objects.bulk_create(audits, batch_size=2000)
    AuditScore.objects.bulk_create(
        [
            AuditScore(audit=audit, criterion=c, value=value, failed=is_failed(c, value))
            for audit, rows in zip(audits, answers, strict=True)
            for c, value in rows
        ],
        batch_size=5000,
    )
    for vendor_id, period in sorted({(a.vendor_id, a.period) for a in audits}):
        auditing.recalculate_qa_score(
            vendor=next(v for v in vendors if v.pk == vendor_id), period=period, user=qa
        )
    return audits


def _seed_dispute(ctx, audits):
    """One open dispute on the first vendor's worst audit, so the QA inbox is not empty."""
    first = [a for a in audits if a.vendor_id == ctx.vendors[0].pk]
    if first:
        worst = min(first, key=lambda audit: audit.score)
        staff = ctx.users.get(f"staff-{ctx.vendors[0].slug}")
        if staff:
            auditing.raise_dispute(
                audit=worst, user=staff, reason="The agent verified the caller at 01:12; please re-listen."
            )


def _seed_reviews(ctx, vendors):
    create_due_reviews(ctx.today)
    manager, now = ctx.users["manager"], timezone.now()
    older = []
    for vendor in vendors:
        for months_back in (2, 3):
            start, end = period_containing(
                add_months(month_start(ctx.today), -months_back), vendor.review_cadence
            )
            rating = 2 if vendor.status == VendorStatus.ON_WATCH else 3 + (vendor.pk + months_back) % 3
            older.append(
                Review(
                    vendor=vendor,
                    cadence=vendor.review_cadence,
                    period_start=start,
                    period_end=end,
                    status=ReviewStatus.SIGNED_OFF,
                    rating=rating,
                    created_by=manager,
                    notes="Volumes on forecast. QA stable; first-contact resolution still below target.",
                    decisions="Keep staffing as is; revisit the knowledge base for billing contacts.",
                    manager_signed_by=manager,
                    manager_signed_at=now,
                    vendor_signed_by=ctx.users.get(f"staff-{vendor.slug}"),
                    vendor_signed_at=now,
                )
            )
    Review.objects.bulk_create(older, ignore_conflicts=True, batch_size=2000)
    _sign_steady_vendors_reviews(ctx, [vendor for vendor in vendors if ctx.is_steady(vendor)], manager, now)
    _seed_action_items(ctx, vendors)


def _sign_steady_vendors_reviews(ctx, vendors, manager, now):
    """Steady partners hold their monthly review on time: last period's review is signed too."""
    for vendor in vendors:
        Review.objects.filter(vendor=vendor, status=ReviewStatus.DRAFT).update(
            status=ReviewStatus.SIGNED_OFF,
            rating=4,
            manager_signed_by=manager,
            manager_signed_at=now,
            vendor_signed_by=ctx.users.get(f"staff-{vendor.slug}"),
            vendor_signed_at=now,
            notes="Targets met across the board; volumes on forecast.",
        )


def _seed_action_items(ctx, vendors):
    reviews = Review.objects.filter(vendor__in=vendors, action_items__isnull=True).select_related("vendor")
    items = []
    for review in reviews:
        due = review.period_end + timedelta(days=30)
        steady = ctx.is_steady(review.vendor)
        done = review.status == ReviewStatus.SIGNED_OFF and (steady or review.vendor_id % 2 == 0)
        items += [
            ActionItem(
                vendor_id=review.vendor_id,
                review=review,
                title="Refresh coaching on customer verification",
                owner=Owner.VENDOR,
                owner_name="Team lead",
                due_date=due,
                status=ActionItemStatus.DONE if done else ActionItemStatus.IN_PROGRESS,
            ),
            ActionItem(
                vendor_id=review.vendor_id,
                review=review,
                title="Share updated billing knowledge-base articles",
                owner=Owner.INTERNAL,
                owner_name="Maya Brennan",
                due_date=due + timedelta(days=14),
                status=ActionItemStatus.DONE if steady else ActionItemStatus.OPEN,
            ),
        ]
    ActionItem.objects.bulk_create(items, batch_size=5000)


RISKS = [
    (
        RiskCategory.DATA_BREACH,
        "Customer data exposed through agent workstations",
        "Clean-desk checks; USB ports locked.",
    ),
    (RiskCategory.UNDERPERFORMANCE, "QA score below target for two months", "Weekly calibration sessions."),
    (
        RiskCategory.SERVICE_DISRUPTION,
        "Site outage during monsoon season",
        "Fail-over to second site tested quarterly.",
    ),
    (
        RiskCategory.COMPLIANCE,
        "Call recordings kept beyond retention period",
        "Automated deletion job; monthly audit.",
    ),
    (RiskCategory.ATTRITION, "Agent attrition above 6% a month", "Retention bonus at 6 months."),
]


def _seed_risks(ctx, vendors):
    with_risks = set(Risk.objects.filter(vendor__in=vendors).values_list("vendor_id", flat=True).distinct())
    owners = [ctx.users["manager"], ctx.users["qa"]]
    risks = []
    for vendor in vendors:
        if vendor.pk in with_risks:
            continue
        rng = random.Random(f"risks-{vendor.slug}")
        for number, (category, title, mitigation) in enumerate(rng.sample(RISKS, 3)):
            risks.append(
                Risk(
                    vendor=vendor,
                    category=category,
                    title=title,
                    mitigation=mitigation,
                    owner=owners[number % 2],
                    likelihood=rng.randint(1, 2) if ctx.is_steady(vendor) else rng.randint(1, 5),
                    impact=rng.randint(2, 5),
                    next_review_date=ctx.today + timedelta(days=rng.randrange(7, 90)),
                )
            )
    Risk.objects.bulk_create(risks, batch_size=5000)


def _seed_plans(ctx, vendors):
    watched = [v for v in vendors if v.status == VendorStatus.ON_WATCH]
    planned = set(ImprovementPlan.objects.filter(vendor__in=watched).values_list("vendor_id", flat=True))
    ImprovementPlan.objects.bulk_create(
        [
            ImprovementPlan(
                vendor=v,
                goal="QA score back above 85% for two consecutive months",
                actions="Daily huddles on verification; double QA sampling; weekly calibration with our QA.",
                deadline=ctx.today + timedelta(days=60),
                opened_by=ctx.users["manager"],
            )
            for v in watched
            if v.pk not in planned
        ]
    )


def _held(day, hour):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _seed_meetings(ctx, vendors):
    """The first two vendors' last monthly review meeting (linked to the review it discussed) and a
    quarterly business review, with minutes, decisions and action items. A vendor with meetings is
    skipped, so a second run adds nothing."""
    ops, manager = ctx.users["ops"], ctx.users["manager"]
    met = set(Meeting.objects.filter(vendor__in=vendors).values_list("vendor_id", flat=True))
    for vendor in [vendor for vendor in vendors[:2] if vendor.pk not in met]:
        staff = [user for user in [ctx.users.get(f"staff-{vendor.slug}")] if user]
        review = Review.objects.current().filter(vendor=vendor).order_by("-period_start").first()
        if review is not None:
            monthly = meeting_record(
                vendor=vendor,
                by=ops,
                kind=MeetingKind.MONTHLY_REVIEW,
                title=f"Monthly review · {review.period_label}",
                held_at=_held(min(review.period_end + timedelta(days=6), ctx.today), 10),
                location="Video call",
                review=review,
                attendees=[manager, ops, *staff],
                other_attendees="Site operations lead",
                agenda="Scorecard\nQA audits\nOpen action items",
                minutes="Volumes on forecast. First-contact resolution two points below target on billing "
                "contacts; the vendor traced it to outdated knowledge-base articles.",
                decisions="Refresh the billing articles; re-measure first-contact resolution next month.",
            )
            meeting_add_action_item(
                meeting=monthly,
                by=ops,
                title="Re-train billing agents on the refreshed articles",
                owner=Owner.VENDOR,
                owner_name="Team lead",
                due_date=ctx.today + timedelta(days=10),
            )
        qbr = meeting_record(
            vendor=vendor,
            by=ops,
            kind=MeetingKind.QUARTERLY_BUSINESS_REVIEW,
            title="Quarterly business review",
            held_at=_held(ctx.today - timedelta(days=40), 14),
            location="On site",
            attendees=[manager, ops, *staff],
            agenda="Quarter in numbers\nRoadmap and volumes\nRelationship survey results",
            minutes="Both sides reviewed the quarter: targets mostly met, attrition the main risk.",
            decisions="Agree a retention plan for agents past six months; volumes forecast shared monthly.",
        )
        meeting_add_action_item(
            meeting=qbr,
            by=ops,
            title="Share next quarter's volume forecast",
            owner=Owner.INTERNAL,
            owner_name="Omar Haddad",
            due_date=ctx.today - timedelta(days=5),
        )


def seed(ctx):
    vendors = [vendor for vendor in ctx.vendors if vendor.status in REVIEWED_STATUSES]
    versions = _templates(ctx)
    audits = _seed_audits(ctx, vendors, versions)
    _seed_dispute(ctx, audits)
    _seed_reviews(ctx, vendors)
    _seed_meetings(ctx, vendors)
    _seed_risks(ctx, vendors)
    _seed_plans(ctx, vendors)

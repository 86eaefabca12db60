"""The relationship's demo: issues (here) and the quarterly surveys (demo_surveys).

Issues for the first few reviewed vendors: one being discussed, one resolved with its agreement,
one critical and still unanswered past its response time (so the escalation job has work), one raised by QA
from an audit.

Deterministic (dated from ctx.today, fixed texts) and idempotent (a vendor that has issues is skipped).
Rows are written directly, with their threads, because they are dated in the past.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from relationship import demo_surveys
from relationship.issues import person
from relationship.models import RESOLUTION_TIME, RESPONSE_TIME, Issue, IssueComment, Severity, Side
from relationship.models.issues import CommentKind, IssueState
from reviews.models import Audit
from reviews.services import REVIEWED_STATUSES

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def _issue(vendor, *, by, side, raised_at, severity, **fields):
    return Issue.objects.create(
        vendor=vendor,
        raised_by=by,
        raised_side=side,
        raised_at=raised_at,
        severity=severity,
        response_due_at=raised_at + RESPONSE_TIME[severity],
        resolution_due_at=raised_at + RESOLUTION_TIME[severity],
        **fields,
    )


def _moved(by, old, new):
    return f"{person(by)} moved the issue from “{old.label}” to “{new.label}”."


def _thread(issue, entries):
    """The description first, then (kind, author, hours after raising, body)."""
    rows = [
        IssueComment(issue=issue, author=issue.raised_by, body=issue.description, created_at=issue.raised_at)
    ]
    rows += [
        IssueComment(
            issue=issue, kind=kind, author=author, body=body, created_at=issue.raised_at + hours * HOUR
        )
        for kind, author, hours, body in entries
    ]
    IssueComment.objects.bulk_create(rows)


def _discussed(vendor, staff, ops, start):
    issue = _issue(
        vendor,
        by=staff,
        side=Side.VENDOR,
        raised_at=start - 3 * DAY,
        severity=Severity.HIGH,
        title="Forecast volumes arrive too late to staff the weekend",
        description="The weekly forecast came on Friday evening twice in a row; weekend queues ran short.",
        category="communication",
        state=IssueState.DISCUSSED,
        internal_owner=ops,
        vendor_owner=staff,
        first_response_at=start - 3 * DAY + 3 * HOUR,
    )
    _thread(
        issue,
        [
            (
                CommentKind.COMMENT,
                ops,
                3,
                "Confirmed: the planning export failed twice. Sending the last two files.",
            ),
            (
                CommentKind.STATE,
                staff,
                20,
                _moved(staff, IssueState.IDENTIFIED, IssueState.INFORMATION_GATHERED),
            ),
            (CommentKind.STATE, ops, 30, _moved(ops, IssueState.INFORMATION_GATHERED, IssueState.DISCUSSED)),
        ],
    )


def _resolved(vendor, staff, ops, start):
    agreement = "Forecast files by Wednesday noon; the vendor confirms staffing by Thursday."
    issue = _issue(
        vendor,
        by=ops,
        side=Side.INTERNAL,
        raised_at=start - 20 * DAY,
        severity=Severity.MEDIUM,
        title="Month-end report delivered four days late",
        description="The October operations report arrived on the 6th instead of the 2nd.",
        category="missed_deadline",
        state=IssueState.RESOLVED,
        internal_owner=ops,
        vendor_owner=staff,
        first_response_at=start - 20 * DAY + 5 * HOUR,
        agreement=agreement,
        resolved_at=start - 14 * DAY,
        resolved_by=ops,
    )
    _thread(
        issue,
        [
            (CommentKind.COMMENT, staff, 5, "Our analyst was out; a backup now covers the report."),
            (
                CommentKind.STATE,
                ops,
                48,
                f"{_moved(ops, IssueState.DISCUSSED, IssueState.AGREED)}\nAgreed: {agreement}",
            ),
            (CommentKind.STATE, ops, 144, _moved(ops, IssueState.AGREED, IssueState.RESOLVED)),
        ],
    )


def _unanswered(vendor, staff, start):
    issue = _issue(
        vendor,
        by=staff,
        side=Side.VENDOR,
        raised_at=start - DAY,
        severity=Severity.CRITICAL,
        title="Agent workstations logged in without MFA",
        description="Three workstations on the night shift bypassed multi-factor login after an update.",
        category="security",
        vendor_owner=staff,
    )
    _thread(issue, [])


def _from_audit(vendor, qa, audit, start):
    issue = _issue(
        vendor,
        by=qa,
        side=Side.INTERNAL,
        raised_at=start - 2 * HOUR,
        severity=Severity.LOW,
        title="Verification skipped on a refund call",
        description="The audit found the agent gave account details before two identifiers.",
        category="quality",
        audit=audit,
    )
    _thread(issue, [])


def seed(ctx):
    _seed_issues(ctx)
    demo_surveys.seed(ctx)


def _seed_issues(ctx):
    vendors = [vendor for vendor in ctx.vendors if vendor.status in REVIEWED_STATUSES][:3]
    vendors = [vendor for vendor in vendors if not vendor.issues.exists()]
    start = datetime.combine(ctx.today, time(9), tzinfo=timezone.get_current_timezone())
    ops, qa = ctx.users["ops"], ctx.users["qa"]
    for index, vendor in enumerate(vendors):
        staff = ctx.users[f"staff-{vendor.slug}"]
        if index == 0:
            _discussed(vendor, staff, ops, start)
            _resolved(vendor, staff, ops, start)
        elif index == 1:
            _unanswered(vendor, staff, start)
        else:
            audit = Audit.objects.filter(vendor=vendor).order_by("-interaction_date", "pk").first()
            _from_audit(vendor, qa, audit, start)

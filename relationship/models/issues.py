"""The issue and escalation log: what went wrong with a vendor, who owns it on each side, and every exchange.

An issue waits for an answer from the side that did not raise it. When that answer does not come by
`response_due_at`, the escalation job moves it up one escalation level (the vendor's contacts at that
level are told) and gives the new level the same time to answer. The conflict-resolution process is the
issue's state, from identified to resolved; reaching "agreed" records the agreement itself.
"""

from datetime import timedelta
from functools import reduce
from itertools import combinations
from operator import or_

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import internal_people
from bporeg.access import VendorScopedQuerySet
from bporeg.uploads import UploadPath, validate_upload
from vendors.models import EscalationLevel


class IssueCategory(models.TextChoices):
    QUALITY = "quality", "Quality"
    MISSED_DEADLINE = "missed_deadline", "Missed deadline"
    STAFFING = "staffing", "Staffing / turnover"
    COMMUNICATION = "communication", "Communication"
    BILLING = "billing", "Billing"
    SECURITY = "security", "Security incident"


class Severity(models.IntegerChoices):
    CRITICAL = 1, "Critical"
    HIGH = 2, "High"
    MEDIUM = 3, "Medium"
    LOW = 4, "Low"


# How long the other side has to answer, and to resolve, by severity. Copied onto the issue when it is
# raised, so changing these later never moves a deadline someone already agreed to.
RESPONSE_TIME = {
    Severity.CRITICAL: timedelta(hours=4),
    Severity.HIGH: timedelta(hours=8),
    Severity.MEDIUM: timedelta(days=1),
    Severity.LOW: timedelta(days=3),
}
RESOLUTION_TIME = {
    Severity.CRITICAL: timedelta(days=1),
    Severity.HIGH: timedelta(days=3),
    Severity.MEDIUM: timedelta(days=7),
    Severity.LOW: timedelta(days=14),
}


# What an issue can come from; it links to at most one of them.
SOURCES = ("measurement", "audit", "action_item", "invoice")


class IssueState(models.TextChoices):
    """The steps of the conflict-resolution process, in order; mediation is optional."""

    IDENTIFIED = "identified", "Identified"
    INFORMATION_GATHERED = "information_gathered", "Information gathered"
    DISCUSSED = "discussed", "Discussed"
    MEDIATION = "mediation", "In mediation"
    AGREED = "agreed", "Solution agreed"
    RESOLVED = "resolved", "Resolved"


class Side(models.TextChoices):
    INTERNAL = "internal", "Our side"
    VENDOR = "vendor", "Vendor side"


class IssueQuerySet(VendorScopedQuerySet):
    def open(self):
        return self.exclude(state=IssueState.RESOLVED)

    def overdue(self, now=None):
        """Open issues past their resolution time, or still unanswered past their response time."""
        now = now or timezone.now()
        return self.open().filter(
            Q(resolution_due_at__lt=now) | Q(first_response_at__isnull=True, response_due_at__lt=now)
        )

    def unanswered_past_due(self, now):
        """What the escalation job moves up a level: no answer by the response time, below the top level."""
        return self.open().filter(
            first_response_at__isnull=True,
            response_due_at__lt=now,
            escalation_level__lt=EscalationLevel.EXECUTIVE,
        )


class Issue(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="issues")
    title = models.CharField(max_length=200)
    description = models.TextField()
    category = models.CharField(max_length=20, choices=IssueCategory.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.MEDIUM)
    state = models.CharField(max_length=24, choices=IssueState.choices, default=IssueState.IDENTIFIED)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_side = models.CharField(max_length=10, choices=Side.choices)
    raised_at = models.DateTimeField(default=timezone.now)
    internal_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to=internal_people,
        help_text="Who drives it on our side.",
    )
    vendor_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who drives it on the vendor's side: one of its staff.",
    )
    response_due_at = models.DateTimeField()
    resolution_due_at = models.DateTimeField()
    first_response_at = models.DateTimeField(
        null=True, blank=True, help_text="When the side that did not raise it first answered."
    )
    escalation_level = models.PositiveSmallIntegerField(
        choices=EscalationLevel.choices, default=EscalationLevel.OPERATIONAL
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    agreement = models.TextField(blank=True, help_text="The solution both sides agreed, in their words.")
    mediator = models.CharField(max_length=120, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Where it came from: at most one of a KPI breach, an audit, an action item or an invoice.
    measurement = models.ForeignKey(
        "kpis.Measurement", on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    audit = models.ForeignKey(
        "reviews.Audit", on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    action_item = models.ForeignKey(
        "reviews.ActionItem", on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    invoice = models.ForeignKey(
        "costs.Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="issues"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = IssueQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["vendor", "state"], name="issue_vendor_state"),
            models.Index(
                fields=["response_due_at"],
                condition=Q(first_response_at__isnull=True) & ~Q(state="resolved"),
                name="issue_awaiting_answer",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=IssueState.values), name="issue_state_valid"),
            models.CheckConstraint(
                condition=Q(category__in=IssueCategory.values), name="issue_category_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=4), name="issue_severity_1_to_4"
            ),
            models.CheckConstraint(
                condition=Q(escalation_level__gte=1, escalation_level__lte=3),
                name="issue_escalation_level_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(response_due_at__lte=F("resolution_due_at")),
                name="issue_response_before_resolution",
            ),
            # An agreed or resolved issue carries the agreement that settled it.
            models.CheckConstraint(
                condition=~Q(state__in=["agreed", "resolved"]) | ~Q(agreement=""),
                name="issue_agreement_recorded",
            ),
            models.CheckConstraint(
                condition=(Q(state="resolved", resolved_at__isnull=False, resolved_by__isnull=False))
                | (~Q(state="resolved") & Q(resolved_at__isnull=True, resolved_by__isnull=True)),
                name="issue_resolved_iff_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(state="mediation") | ~Q(mediator=""), name="issue_mediation_has_mediator"
            ),
            # No two sources at once: written pair by pair, which SQLite (the quick start's database)
            # checks as well as PostgreSQL.
            models.CheckConstraint(
                condition=~reduce(
                    or_,
                    (
                        Q(**{f"{a}__isnull": False, f"{b}__isnull": False})
                        for a, b in combinations(SOURCES, 2)
                    ),
                ),
                name="issue_one_source_at_most",
            ),
        ]

    def __str__(self):
        return f"{self.reference} · {self.title}"

    def get_absolute_url(self):
        return reverse("relationship:issue_detail", kwargs={"pk": self.pk})

    @property
    def reference(self):
        return f"ISS-{self.pk}"

    @property
    def awaiting_side(self):
        """The side whose answer the issue waits for; None once answered."""
        if self.first_response_at is not None:
            return None
        return Side.VENDOR if self.raised_side == Side.INTERNAL else Side.INTERNAL

    @property
    def is_open(self):
        return self.state != IssueState.RESOLVED

    @property
    def is_overdue(self):
        now = timezone.now()
        if not self.is_open:
            return False
        return self.resolution_due_at < now or (self.first_response_at is None and self.response_due_at < now)

    @property
    def source(self):
        return next((getattr(self, name) for name in SOURCES if getattr(self, f"{name}_id")), None)


class CommentKind(models.TextChoices):
    COMMENT = "comment", "Comment"
    STATE = "state", "State changed"
    ESCALATION = "escalation", "Escalated"
    OWNERS = "owners", "Owners changed"


class IssueCommentQuerySet(VendorScopedQuerySet):
    vendor_lookup = "issue__vendor"


class IssueComment(models.Model):
    """One entry of the issue's thread: what someone wrote (with a file), or what happened to it."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="comments")
    kind = models.CharField(max_length=12, choices=CommentKind.choices, default=CommentKind.COMMENT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for what the escalation job did.",
    )
    body = models.TextField()
    attachment = models.FileField(
        upload_to=UploadPath("issues", "attachment"), blank=True, max_length=255, validators=[validate_upload]
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = IssueCommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="issue_comment_not_empty"),
            models.CheckConstraint(
                condition=Q(kind="escalation") | Q(author__isnull=False), name="issue_comment_has_author"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.issue.reference}"

    @property
    def filename(self):
        return self.attachment.name.rsplit("/", 1)[-1] if self.attachment else ""

"""Alerts: one row per (kind, object, due date, recipient, channel), the outbox every send goes through.

The unique key is what makes alerts exactly-once: sweepers insert with ON CONFLICT DO NOTHING, so a
second beat tick, a retried task or a catch-up run after an outage finds the row already there. A row
is sent by whoever locks it first (`select_for_update(skip_locked=True)`), and its outcome (sent, or
failed with the reason and when to try again) is recorded on it.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Channel(models.TextChoices):
    IN_APP = "in_app", "In the app"
    EMAIL = "email", "Email"
    DIGEST = "digest", "Daily digest email"
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, will retry"


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", "Right away"
    DIGEST = "digest", "In the daily digest"
    OFF = "off", "Never"


class Webhook(models.Model):
    """A Slack or Microsoft Teams incoming webhook, for one vendor's alerts or (no vendor) for all."""

    name = models.CharField(max_length=80)
    service = models.CharField(
        max_length=10, choices=[(Channel.SLACK, "Slack"), (Channel.TEAMS, "Microsoft Teams")]
    )
    url = models.URLField(max_length=500)
    vendor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_webhooks",
        help_text="Leave empty to receive every vendor's alerts.",
    )
    kinds = models.JSONField(
        default=list, blank=True, help_text='Alert kinds to post, e.g. ["sla_breach"]; empty means all.'
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.get_service_display()})"

    def wants(self, kind: str, vendor_id: int | None) -> bool:
        if not self.active or (self.kinds and kind not in self.kinds):
            return False
        return self.vendor_id is None or self.vendor_id == vendor_id


class AlertPreference(models.Model):
    """How one person wants one kind of alert; no row means the defaults (in the app and by email)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    in_app = models.BooleanField(default=True)
    email = models.CharField(max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="alert_preference_once")]

    def __str__(self):
        return f"{self.user} · {self.kind}"

    def channels(self) -> list[str]:
        channels = [Channel.IN_APP] if self.in_app else []
        if self.email == EmailMode.IMMEDIATE:
            channels.append(Channel.EMAIL)
        elif self.email == EmailMode.DIGEST:
            channels.append(Channel.DIGEST)
        return channels


class AlertQuerySet(models.QuerySet):
    def for_recipient(self, user):
        """A person's own in-app notifications: the only alerts anyone sees outside the admin."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(recipient=user, channel=Channel.IN_APP)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def ready_to_send(self, now=None):
        return self.filter(
            status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED],
            next_attempt_at__lte=now or timezone.now(),
        )


class Alert(models.Model):
    kind = models.CharField(max_length=40, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    due_on = models.DateField(help_text="The due date or period this alert is about.")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.CASCADE, null=True, blank=True, related_name="alerts"
    )
    title = models.CharField(max_length=200)
    message = models.TextField()
    link = models.CharField(max_length=300, help_text="Path of the page the alert is about.")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The idempotency key. NULLS NOT DISTINCT: a webhook row (no recipient) is unique too.
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "due_on", "recipient", "webhook", "channel"],
                nulls_distinct=False,
                name="alert_key_unique",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, webhook__isnull=True)
                | Q(recipient__isnull=True, webhook__isnull=False),
                name="alert_goes_to_a_person_or_a_webhook",
            ),
        ]
        indexes = [
            # In the sweeper's order (next_attempt_at, id): the alerts of one run share their
            # next_attempt_at, and without the id each claim would sort all of them again.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=~Q(status="sent"),
                name="alert_waiting_to_send_in_order",
            ),
            models.Index(fields=["recipient", "channel", "read_at"], name="alert_inbox"),
        ]

    def __str__(self):
        return f"{self.kind} · {self.due_on} · {self.get_channel_display()}"

    @property
    def url(self) -> str:
        """Absolute link for emails and webhooks."""
        return settings.SITE_URL + self.link

"""Exit: ending or moving a partnership through a dated checklist built from a template, as onboarding is.

The checklist's areas follow an orderly BPO exit: knowledge comes back, data is returned and its deletion
certified, access is revoked, the final invoice is settled and the work moves to the new provider.
Nothing is deleted: when the exit completes, the vendor is "exited" and keeps its whole record.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet, is_internal, is_manager
from bporeg.uploads import UploadPath, validate_upload
from vendors.models.onboarding import (
    EvidenceFile,
    Responsible,
    TaskRecordQuerySet,
    TaskStatus,
    responsible_may_update,
)


class ExitArea(models.IntegerChoices):
    KNOWLEDGE_TRANSFER = 1, "Knowledge transfer back"
    DATA_RETURN = 2, "Data return and deletion"
    ACCESS_REVOKED = 3, "Access revoked"
    FINAL_INVOICE = 4, "Final invoice"
    TRANSITION = 5, "Transition to the new provider"


class ExitTemplate(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(default=False, help_text="Offered first when a manager starts an exit.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_exit_template"
            )
        ]

    def __str__(self):
        return self.name


class ExitActivity(models.Model):
    template = models.ForeignKey(ExitTemplate, on_delete=models.CASCADE, related_name="activities")
    area = models.PositiveSmallIntegerField(choices=ExitArea.choices)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    responsible = models.CharField(max_length=20, choices=Responsible.choices)
    due_offset_days = models.IntegerField(
        "due (days from the exit date)", help_text="Negative before the exit date: -30 is a month before."
    )
    evidence_required = models.BooleanField(
        default=False, help_text="The task cannot be done without a file, e.g. the deletion certificate."
    )

    class Meta:
        ordering = ["area", "due_offset_days", "title"]
        verbose_name_plural = "exit activities"
        constraints = [
            models.UniqueConstraint(fields=["template", "title"], name="exit_activity_title_unique"),
        ]

    def __str__(self):
        return self.title


class ExitPlanQuerySet(VendorScopedQuerySet):
    pass


class ExitPlan(models.Model):
    """A vendor's exit: why, by when, to whom the work moves, and who started and completed it."""

    vendor = models.OneToOneField("vendors.Vendor", on_delete=models.PROTECT, related_name="exit_plan")
    template = models.ForeignKey(
        ExitTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    exit_date = models.DateField(help_text="The day the partnership ends; tasks are due counted from it.")
    reason = models.TextField()
    successor = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="succeeded_exits",
        help_text="The new provider the work moves to, if any.",
    )
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = ExitPlanQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="exit_plan_has_reason"),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=F("vendor")),
                name="exit_successor_not_self",
            ),
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True, completed_by__isnull=True)
                | Q(completed_at__isnull=False, completed_by__isnull=False),
                name="exit_plan_completed_by_and_at",
            ),
        ]

    def __str__(self):
        return f"Exit of {self.vendor}"

    @property
    def is_complete(self):
        return self.completed_at is not None


class ExitTaskQuerySet(VendorScopedQuerySet):
    def open(self):
        return self.exclude(status=TaskStatus.DONE)


class ExitTask(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="exit_tasks")
    plan = models.ForeignKey(ExitPlan, on_delete=models.PROTECT, related_name="tasks")
    area = models.PositiveSmallIntegerField(choices=ExitArea.choices)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    responsible = models.CharField(max_length=20, choices=Responsible.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO)
    blocked_reason = models.CharField(max_length=300, blank=True)
    evidence_required = models.BooleanField(default=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # Every update is a history row whose change reason is the comment left with it: the task's log.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    objects = ExitTaskQuerySet.as_manager()
    status_choices = TaskStatus.choices  # for the task form's <select>

    class Meta:
        ordering = ["area", "due_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.BLOCKED) | ~Q(blocked_reason=""),
                name="exit_task_blocked_has_reason",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=TaskStatus.DONE, completed_at__isnull=False, completed_by__isnull=False)
                    | (~Q(status=TaskStatus.DONE) & Q(completed_at__isnull=True, completed_by__isnull=True))
                ),
                name="exit_task_done_iff_completed",
            ),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="exit_task_status_valid"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_done(self):
        return self.status == TaskStatus.DONE

    @property
    def is_overdue(self):
        return not self.is_done and self.due_date < timezone.localdate()

    @property
    def shows_money(self):
        return self.area == ExitArea.FINAL_INVOICE

    def may_update(self, user) -> bool:
        """Who may update an exit task: as for onboarding, while the exit is not complete."""
        return not self.plan.is_complete and responsible_may_update(self, user)


class ExitEvidenceQuerySet(TaskRecordQuerySet):
    def visible_to(self, user):
        """The final invoice's files show money: among internal roles only the BPO manager sees them."""
        queryset = super().visible_to(user)
        if is_internal(user) and not is_manager(user):
            queryset = queryset.exclude(task__area=ExitArea.FINAL_INVOICE)
        return queryset


class ExitTaskEvidence(EvidenceFile):
    task = models.ForeignKey(ExitTask, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(
        upload_to=UploadPath("exit", "file"), max_length=255, validators=[validate_upload]
    )

    objects = ExitEvidenceQuerySet.as_manager()

    class Meta(EvidenceFile.Meta):
        verbose_name_plural = "exit task evidence"

    def get_absolute_url(self):
        return reverse("vendors:exit_task_evidence", kwargs={"pk": self.pk})

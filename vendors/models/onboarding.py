"""Onboarding: plan templates the manager keeps, and the dated checklist each vendor works through."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet, is_internal, leads_projects, role_of, staff_vendor_id
from bporeg.uploads import UploadPath, validate_upload
from vendors.models.registry import VendorStatus


class Phase(models.IntegerChoices):
    PRE_ONBOARDING = 1, "Pre-onboarding"
    KNOWLEDGE_TRANSFER = 2, "Knowledge transfer"
    GO_LIVE = 3, "Go-live"
    POST_GO_LIVE = 4, "Post-go-live"


class Responsible(models.TextChoices):
    """Who does an activity: one of our internal roles, or the vendor."""

    MANAGER = "manager", "BPO manager"
    QA = "qa", "QA specialist"
    OPERATIONS = "operations", "Operations specialist"
    PROJECT_MANAGER = "project_manager", "Project manager"
    VENDOR = "vendor", "Vendor"


def responsible_may_update(task, user) -> bool:
    """May `user` change a checklist task's status, comment on it and add evidence?

    Managers and project managers may update any task; other internal roles the tasks their role is
    responsible for; vendor staff the vendor's own tasks of their vendor. Callers have already scoped
    the task with visible_to(user). Onboarding and exit tasks share this rule.
    """
    if leads_projects(user):
        return True
    if task.responsible == Responsible.VENDOR:
        return staff_vendor_id(user) == task.vendor_id
    return is_internal(user) and role_of(user) == task.responsible


class OnboardingTemplate(models.Model):
    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    is_default = models.BooleanField(
        default=False, help_text="Offered first when a manager starts a vendor's onboarding."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_onboarding_template"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("vendors:template_detail", kwargs={"pk": self.pk})

    def validate_constraints(self, exclude=None):
        # Making a template the default is allowed while another one is: onboarding_template_save hands
        # the role over in the same transaction, and the database constraint guards the result.
        super().validate_constraints(exclude={*(exclude or ()), "is_default"})


class TemplateActivity(models.Model):
    template = models.ForeignKey(OnboardingTemplate, on_delete=models.CASCADE, related_name="activities")
    phase = models.PositiveSmallIntegerField(choices=Phase.choices)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    responsible = models.CharField(max_length=20, choices=Responsible.choices)
    due_offset_days = models.IntegerField(
        "due (days from go-live)", help_text="Negative before go-live: -14 is two weeks before."
    )

    class Meta:
        ordering = ["phase", "due_offset_days", "title"]
        verbose_name_plural = "template activities"
        constraints = [
            models.UniqueConstraint(fields=["template", "title"], name="template_activity_title_unique"),
        ]

    def __str__(self):
        return self.title


class OnboardingPlanQuerySet(VendorScopedQuerySet):
    pass


class OnboardingPlan(models.Model):
    """A vendor's onboarding: the go-live date every task's due date is counted from."""

    vendor = models.OneToOneField("vendors.Vendor", on_delete=models.PROTECT, related_name="onboarding")
    template = models.ForeignKey(
        OnboardingTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans"
    )
    go_live = models.DateField("go-live date")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Moving go-live is a decision people ask about later: keep who moved it and when.
    history = HistoricalRecords()

    objects = OnboardingPlanQuerySet.as_manager()

    def __str__(self):
        return f"Onboarding of {self.vendor}"


class TaskStatus(models.TextChoices):
    TODO = "todo", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DONE = "done", "Done"


class OnboardingTaskQuerySet(VendorScopedQuerySet):
    def open(self):
        return self.exclude(status=TaskStatus.DONE)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


class OnboardingTask(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="onboarding_tasks")
    plan = models.ForeignKey(OnboardingPlan, on_delete=models.PROTECT, related_name="tasks")
    phase = models.PositiveSmallIntegerField(choices=Phase.choices)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True)
    responsible = models.CharField(max_length=20, choices=Responsible.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=TaskStatus.choices, default=TaskStatus.TODO)
    blocked_reason = models.CharField(max_length=300, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OnboardingTaskQuerySet.as_manager()
    status_choices = TaskStatus.choices  # for the task form's <select>

    class Meta:
        ordering = ["phase", "due_date", "title"]
        indexes = [models.Index(fields=["vendor", "phase", "status"], name="task_vendor_phase_status")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.BLOCKED) | ~Q(blocked_reason=""),
                name="task_blocked_has_reason",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status=TaskStatus.DONE, completed_at__isnull=False, completed_by__isnull=False)
                    | (~Q(status=TaskStatus.DONE) & Q(completed_at__isnull=True, completed_by__isnull=True))
                ),
                name="task_done_iff_completed",
            ),
            models.CheckConstraint(condition=Q(status__in=TaskStatus.values), name="task_status_valid"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("vendors:task_detail", kwargs={"pk": self.pk})

    @property
    def is_done(self):
        return self.status == TaskStatus.DONE

    @property
    def is_overdue(self):
        return not self.is_done and self.due_date < timezone.localdate()

    def may_update(self, user) -> bool:
        # An exited vendor's onboarding is part of its kept record: read-only.
        return self.vendor.status != VendorStatus.EXITED and responsible_may_update(self, user)


class TaskRecordQuerySet(VendorScopedQuerySet):
    """Comments and evidence belong to the vendor of their task."""

    vendor_lookup = "task__vendor"


class TaskComment(models.Model):
    task = models.ForeignKey(OnboardingTask, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TaskRecordQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=~Q(body=""), name="task_comment_not_empty")]

    def __str__(self):
        return f"Comment on {self.task} by {self.author}"


class EvidenceFile(models.Model):
    """A file uploaded to a checklist task (onboarding or exit). Each upload is its own row, so a second
    file never replaces the first."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.filename

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1]


class TaskEvidence(EvidenceFile):
    task = models.ForeignKey(OnboardingTask, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(
        upload_to=UploadPath("onboarding", "file"), max_length=255, validators=[validate_upload]
    )

    objects = TaskRecordQuerySet.as_manager()

    class Meta(EvidenceFile.Meta):
        verbose_name_plural = "task evidence"

    def get_absolute_url(self):
        return reverse("vendors:evidence_download", kwargs={"pk": self.pk})

"""Due diligence: the security and compliance questionnaire each candidate's own staff answer.

The manager keeps the question bank (`DiligenceQuestion`); sending a questionnaire copies the questions,
so later edits to the bank never change what a candidate was asked. The manager reviews every answer:
accept, ask for clarification (the candidate answers again), or reject.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from bporeg.access import VendorScopedQuerySet, staff_vendor_id
from bporeg.uploads import UploadPath, validate_upload
from sourcing.models.selection import CandidateStatus
from vendors.models import CertificationKind


class Topic(models.TextChoices):
    DATA_PROTECTION = "data_protection", "Data protection"
    ENCRYPTION = "encryption", "Encryption in transit and at rest"
    SECURITY_TESTING = "security_testing", "Penetration tests and security audits"
    INCIDENT_RESPONSE = "incident_response", "Incident response and breach notification"
    BACKGROUND_CHECKS = "background_checks", "Background checks"
    REGULATION = "regulation", "Regulation (GDPR, HIPAA, PCI DSS, CCPA)"
    CERTIFICATIONS = "certifications", "Certifications"


class DiligenceQuestion(models.Model):
    topic = models.CharField(max_length=30, choices=Topic.choices)
    text = models.CharField(max_length=300, unique=True)
    evidence_required = models.BooleanField(default=False, help_text="The answer needs a file behind it.")
    may_not_apply = models.BooleanField(
        default=False, help_text='The candidate may answer "does not apply" (e.g. HIPAA without health data).'
    )
    position = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False, help_text="No longer asked in new questionnaires.")

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class QuestionnaireStatus(models.TextChoices):
    SENT = "sent", "Sent"
    SUBMITTED = "submitted", "Submitted"
    CLARIFICATION = "clarification", "Clarification asked"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class QuestionnaireQuerySet(VendorScopedQuerySet):
    vendor_lookup = "candidate__vendor"


class Questionnaire(models.Model):
    """The invitation one candidate receives: its questions, its deadline, and the review's outcome."""

    candidate = models.OneToOneField(
        "sourcing.Candidate", on_delete=models.PROTECT, related_name="questionnaire"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.SENT
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=QuestionnaireStatus.values), name="questionnaire_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=QuestionnaireStatus.SENT) | Q(submitted_at__isnull=False),
                name="questionnaire_answered_before_review",
            ),
        ]

    def __str__(self):
        return f"Due diligence: {self.candidate.vendor}"

    def get_absolute_url(self):
        return reverse("sourcing:questionnaire", kwargs={"pk": self.pk})

    @property
    def is_answerable(self):
        """The candidate's staff answer while it is sent, and again when clarification is asked."""
        return self.status in (QuestionnaireStatus.SENT, QuestionnaireStatus.CLARIFICATION)

    @property
    def is_under_review(self):
        return self.status == QuestionnaireStatus.SUBMITTED

    def may_answer(self, user):
        """Only the candidate's own staff answer, only while it is open to them and they are still in the
        running: once the selection is decided, or the candidate closed, the answers stay as they were."""
        candidate = self.candidate
        return (
            self.is_answerable
            and staff_vendor_id(user) == candidate.vendor_id
            and candidate.status in (CandidateStatus.INVITED, CandidateStatus.PROPOSAL_RECEIVED)
            and not candidate.selection.is_closed
        )


class AnswerReview(models.TextChoices):
    PENDING = "pending", "Not reviewed"
    ACCEPTED = "accepted", "Accepted"
    CLARIFICATION = "clarification", "Clarification asked"
    REJECTED = "rejected", "Rejected"


class AnswerQuerySet(VendorScopedQuerySet):
    vendor_lookup = "questionnaire__candidate__vendor"


class Answer(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(DiligenceQuestion, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(max_length=30, choices=Topic.choices)
    text = models.CharField("question", max_length=300)
    evidence_required = models.BooleanField(default=False)
    may_not_apply = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)
    response = models.TextField(blank=True)
    does_not_apply = models.BooleanField(default=False)
    evidence = models.FileField(
        upload_to=UploadPath("diligence", "evidence"),
        blank=True,
        max_length=255,
        validators=[validate_upload],
    )
    evidence_name = models.CharField(max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review = models.CharField(max_length=20, choices=AnswerReview.choices, default=AnswerReview.PENDING)
    review_note = models.TextField(blank=True, help_text="What is missing, or why it was rejected.")
    history = HistoricalRecords()

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "question"], name="one_answer_per_question"),
            models.CheckConstraint(
                condition=Q(may_not_apply=True) | Q(does_not_apply=False),
                name="answer_not_applicable_allowed",
            ),
            models.CheckConstraint(
                condition=Q(review__in=[AnswerReview.PENDING, AnswerReview.ACCEPTED]) | ~Q(review_note=""),
                name="answer_review_note_when_not_accepted",
            ),
        ]

    def __str__(self):
        return self.text

    @property
    def is_open(self):
        """Accepted and rejected answers are locked; pending ones and those asked again may change."""
        return self.review in (AnswerReview.PENDING, AnswerReview.CLARIFICATION)

    @property
    def is_answered(self):
        return self.does_not_apply or bool(self.response.strip())

    @property
    def is_missing_evidence(self):
        return self.evidence_required and not self.does_not_apply and not self.evidence

    @classmethod
    def from_question(cls, questionnaire, question, **fields):
        """The bank's question copied into this questionnaire, so later edits to the bank leave it alone."""
        return cls(
            questionnaire=questionnaire,
            question=question,
            topic=question.topic,
            text=question.text,
            evidence_required=question.evidence_required,
            may_not_apply=question.may_not_apply,
            position=question.position,
            **fields,
        )


class CertificationClaimQuerySet(VendorScopedQuerySet):
    vendor_lookup = "questionnaire__candidate__vendor"


class CertificationClaim(models.Model):
    """A certification the candidate says it holds; recorded in the registry when it is awarded."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="certifications")
    kind = models.CharField(max_length=20, choices=CertificationKind.choices)
    reference = models.CharField(
        max_length=120, blank=True, help_text="Certificate number, scope or issuing body."
    )
    issued_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    evidence = models.FileField(
        upload_to=UploadPath("diligence", "evidence"),
        blank=True,
        max_length=255,
        validators=[validate_upload],
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = CertificationClaimQuerySet.as_manager()

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("issued_on")),
                name="certification_claim_expires_after_issue",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()

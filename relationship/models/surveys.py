"""Quarterly two-way surveys: each quarter the company rates the vendor and the vendor rates the company.

A survey is one questionnaire for one side about one quarter; it is answered once, in the app, by one
person for their side. The company's rating of a vendor is internal: the vendor's staff never see it,
not even that it exists. They see, and answer, only their own vendor's rating of the company.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from bporeg.access import VendorScopedQuerySet, is_internal, runs_operations, staff_vendor_id


class Direction(models.TextChoices):
    COMPANY_RATES_VENDOR = "company_rates_vendor", "We rate the vendor"
    VENDOR_RATES_COMPANY = "vendor_rates_company", "The vendor rates us"


# The questions, each scored 1 (poor) to 5 (excellent); the free text comes after them.
QUESTIONS = ("communication", "responsiveness", "clarity", "collaboration")
# How each question is put to the person answering, by side: the company rates the vendor, the vendor us.
WORDING = {
    Direction.COMPANY_RATES_VENDOR: {
        "communication": "How well did the vendor keep us informed: clear, timely, proactive updates?",
        "responsiveness": "How quickly and fully did the vendor answer our requests and issues?",
        "clarity": "How well did the vendor understand what we expect, and deliver to it?",
        "collaboration": "How well did the vendor work with us as a partner: ideas, flexibility, ownership?",
    },
    Direction.VENDOR_RATES_COMPANY: {
        "communication": "How well did we keep you informed: clear, timely updates and decisions?",
        "responsiveness": "How quickly and fully did we answer your questions and escalations?",
        "clarity": "How clear were our expectations: targets, priorities, changes explained in time?",
        "collaboration": "How well did we work with you as a partner: listening, support, fair dealing?",
    },
}


class SurveyQuerySet(VendorScopedQuerySet):
    def visible_to(self, user):
        if is_internal(user):
            return self
        vendor_id = staff_vendor_id(user)
        if vendor_id is None:
            return self.none()
        return self.filter(vendor=vendor_id, direction=Direction.VENDOR_RATES_COMPANY)

    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def pending(self):
        return self.filter(submitted_at__isnull=True)


def _score(label):
    return models.PositiveSmallIntegerField(label, null=True, blank=True)


class Survey(models.Model):
    vendor = models.ForeignKey("vendors.Vendor", on_delete=models.PROTECT, related_name="surveys")
    quarter = models.DateField(help_text="First day of the quarter the survey is about.")
    direction = models.CharField(max_length=24, choices=Direction.choices)
    opened_on = models.DateField()
    due_on = models.DateField()
    communication = _score("communication")
    responsiveness = _score("responsiveness")
    clarity = _score("clarity of expectations")
    collaboration = _score("collaboration")
    comments = models.TextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-quarter", "vendor__name", "direction"]
        constraints = [
            models.UniqueConstraint(
                fields=["vendor", "quarter", "direction"], name="survey_once_per_quarter_side"
            ),
            models.CheckConstraint(
                condition=Q(quarter__day=1, quarter__month__in=[1, 4, 7, 10]), name="survey_quarter_start"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="survey_direction_valid"
            ),
            models.CheckConstraint(condition=Q(due_on__gte=F("opened_on")), name="survey_due_after_opening"),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{question}__isnull": True})
                    | Q(**{f"{question}__gte": 1, f"{question}__lte": 5}),
                    name=f"survey_{question}_1_to_5",
                )
                for question in QUESTIONS
            ],
            # Submitted means every question answered, by someone, at a time; not submitted means none of it.
            models.CheckConstraint(
                condition=Q(
                    submitted_at__isnull=False,
                    submitted_by__isnull=False,
                    **{f"{question}__isnull": False for question in QUESTIONS},
                )
                | Q(submitted_at__isnull=True, submitted_by__isnull=True),
                name="survey_submitted_complete",
            ),
        ]

    def __str__(self):
        return f"{self.vendor} · {self.quarter_label} · {self.get_direction_display()}"

    def get_absolute_url(self):
        return reverse("relationship:survey_detail", kwargs={"pk": self.pk})

    @property
    def quarter_label(self):
        return f"Q{(self.quarter.month - 1) // 3 + 1} {self.quarter.year}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def by_company(self):
        return self.direction == Direction.COMPANY_RATES_VENDOR

    @property
    def is_late(self):
        """Answered after its due date (it may still be answered then; the results say so)."""
        return self.is_submitted and timezone.localdate(self.submitted_at) > self.due_on

    def is_overdue(self, today):
        return not self.is_submitted and today > self.due_on

    def may_be_answered_by(self, user) -> bool:
        """Our rating is given by an operator (manager or operations specialist); the vendor's rating of
        us by a member of that vendor's staff. Everyone else who may see the survey reads it only."""
        if self.by_company:
            return runs_operations(user)
        return staff_vendor_id(user) == self.vendor_id

    def answers(self):
        """(question, label, wording, score) for each question, in order."""
        wording = WORDING[self.direction]
        return [
            (
                question,
                self._meta.get_field(question).verbose_name,
                wording[question],
                getattr(self, question),
            )
            for question in QUESTIONS
        ]

    @property
    def average(self):
        """The mean of the four scores, or None until submitted."""
        if not self.is_submitted:
            return None
        return sum(getattr(self, question) for question in QUESTIONS) / len(QUESTIONS)

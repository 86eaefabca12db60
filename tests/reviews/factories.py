"""Builders for the reviews tests. Audits and templates go through the services, as in the app."""

from datetime import UTC, date, datetime

import factory

from reviews import auditing
from reviews.models import ActionItem, Meeting, MeetingKind, Owner, Review, Risk, RiskCategory
from tests.factories import UserFactory, VendorFactory

# section, label, weight, scale, critical
SCORECARD = [
    ("Opening", "Greeting", 1, "yes_no", False),
    ("Opening", "Verification", 2, "yes_no", False),
    ("Resolution", "Resolution accuracy", 3, "rating", False),
    ("Compliance", "Data protection", 2, "yes_no", True),
    ("Soft skills", "Tone", 2, "rating", False),
]


def make_scorecard(user, name="Voice support", rows=SCORECARD, template=None, pass_mark=80):
    return auditing.publish_template_version(
        user=user,
        template=template,
        name=name,
        pass_mark=pass_mark,
        rows=[
            {"section": s, "label": label, "weight": w, "scale": scale, "critical": critical}
            for s, label, w, scale, critical in rows
        ],
    )


def criteria_by_label(version):
    return {c.label: c for c in auditing.version_criteria(version)}


def make_audit(
    *, auditor, vendor, version, answers=None, day=date(2026, 10, 15), reference="T-1", agent="A-7"
):
    """`answers`: {label: value}; unspecified criteria are answered yes / 5."""
    criteria = criteria_by_label(version)
    answers = answers or {}
    rows = []
    for label, criterion in criteria.items():
        default = 1 if criterion.scale == "yes_no" else 5
        rows.append((criterion, answers.get(label, default), ""))
    return auditing.log_audit(
        auditor=auditor,
        vendor=vendor,
        version=version,
        answers=rows,
        channel="voice",
        reference=reference,
        interaction_date=day,
        agent=agent,
        overall_comment="",
    )


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    vendor = factory.SubFactory(VendorFactory)
    cadence = "monthly"
    period_start = date(2026, 10, 1)
    period_end = date(2026, 10, 31)


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    review = factory.SubFactory(ReviewFactory)
    meeting = None
    vendor = factory.LazyAttribute(lambda item: (item.review or item.meeting).vendor)
    title = factory.Sequence(lambda n: f"Action {n}")
    owner = Owner.VENDOR
    due_date = date(2026, 11, 30)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting as stored; the tests of recording one go through `reviews.meetings`."""

    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    vendor = factory.SubFactory(VendorFactory)
    kind = MeetingKind.MONTHLY_REVIEW
    title = factory.Sequence(lambda n: f"Monthly review {n}")
    held_at = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def attendees(meeting, create, extracted, **kwargs):
        if create and extracted:
            meeting.attendees.set(extracted)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    vendor = factory.SubFactory(VendorFactory)
    category = RiskCategory.DATA_BREACH
    title = factory.Sequence(lambda n: f"Risk {n}")
    likelihood = 3
    impact = 4

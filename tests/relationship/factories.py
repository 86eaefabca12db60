"""Factories for the relationship tests: issues raised by vendor staff or by us, and quarterly surveys."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from relationship.models import (
    RESOLUTION_TIME,
    RESPONSE_TIME,
    Direction,
    Issue,
    IssueCategory,
    Severity,
    Side,
    Survey,
)
from tests.factories import UserFactory, VendorFactory


class IssueFactory(factory.django.DjangoModelFactory):
    """A medium-severity quality issue raised on our side just now, due by the severity's times."""

    class Meta:
        model = Issue

    vendor = factory.SubFactory(VendorFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    description = "Wrong answers given to callers about refunds."
    category = IssueCategory.QUALITY
    severity = Severity.MEDIUM
    raised_by = factory.SubFactory(UserFactory)
    raised_side = Side.INTERNAL
    raised_at = factory.LazyFunction(timezone.now)
    response_due_at = factory.LazyAttribute(lambda issue: issue.raised_at + RESPONSE_TIME[issue.severity])
    resolution_due_at = factory.LazyAttribute(lambda issue: issue.raised_at + RESOLUTION_TIME[issue.severity])


class SurveyFactory(factory.django.DjangoModelFactory):
    """The company's survey of a vendor for Q3 2026, opened on 1 October and due two weeks later."""

    class Meta:
        model = Survey

    vendor = factory.SubFactory(VendorFactory)
    quarter = date(2026, 7, 1)
    direction = Direction.COMPANY_RATES_VENDOR
    opened_on = date(2026, 10, 1)
    due_on = factory.LazyAttribute(lambda survey: survey.opened_on + timedelta(days=14))

"""List pages run a fixed number of queries, whatever the number of rows."""

from datetime import date

import pytest
from django.urls import reverse

from reviews.models import Review
from tests.factories import OnboardingPlanFactory, OnboardingTaskFactory, VendorFactory
from tests.reviews.factories import ActionItemFactory, ReviewFactory, RiskFactory, make_audit, make_scorecard


def grow(qa, manager, size):
    version = make_scorecard(qa, name=f"Card {size}")
    for number in range(size):
        vendor = VendorFactory(name=f"Vendor {size}-{number}")
        make_audit(auditor=qa, vendor=vendor, version=version, answers={"Greeting": number % 2})
        review = ReviewFactory(vendor=vendor, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
        ActionItemFactory(review=review)
        RiskFactory(vendor=vendor, owner=manager, likelihood=1 + number % 5)


@pytest.mark.parametrize(
    ("name", "persona", "queries"),
    [
        ("reviews:audit_list", "qa", 7),
        ("reviews:failure_rates", "qa", 6),
        ("reviews:review_list", "manager", 6),
        ("reviews:risk_list", "manager", 8),
        ("reviews:template_list", "qa", 4),
    ],
)
def test_list_page_query_count_does_not_grow(
    client_for, django_assert_num_queries, qa, manager, name, persona, queries
):
    user = {"qa": qa, "manager": manager}[persona]
    client = client_for(user)
    for size in (2, 12):
        grow(qa, manager, size)
        with django_assert_num_queries(queries):
            assert client.get(reverse(name)).status_code == 200


def test_review_page_query_count_does_not_grow(client_for, django_assert_num_queries, qa, manager):
    client = client_for(manager)
    grow(qa, manager, 2)
    review = Review.objects.first()
    plan = OnboardingPlanFactory(vendor=review.vendor)
    OnboardingTaskFactory(plan=plan, due_date=date(2020, 1, 1))
    with django_assert_num_queries(15) as small:
        client.get(review.get_absolute_url())
    grow(qa, manager, 12)
    for _ in range(10):
        ActionItemFactory(review=review)
        OnboardingTaskFactory(plan=plan, due_date=date(2020, 1, 1))
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(review.get_absolute_url())

"""The vendor list and the vendor page cost the same number of queries whatever the data size, and
onboarding progress for many vendors is one query."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bporeg.uploads import sample_bytes
from tests.factories import (
    CertificationFactory,
    ContactFactory,
    ContractFactory,
    OnboardingPlanFactory,
    OnboardingTaskFactory,
    ServiceFactory,
    VendorFactory,
)
from tests.relationship.factories import IssueFactory
from vendors.models import Phase, TaskComment, TaskEvidence, TaskStatus
from vendors.selectors import onboarding_progress

pytestmark = pytest.mark.django_db
# session, user, profile, filter form (services, owners), count, page, services, progress
LIST_QUERIES = 9
# session, user, profile, vendor, services, contacts, certifications, tasks, comments, evidence,
# progress, open issues, contracts, 4 histories (vendor, contracts, certifications, onboarding plan),
# last meetings
PAGE_QUERIES = 18


def onboard(vendor, manager, tasks):
    plan = OnboardingPlanFactory(vendor=vendor, go_live=date(2026, 6, 1), created_by=manager)
    for number in range(tasks):
        done = number % 3 == 0
        task = OnboardingTaskFactory(
            plan=plan,
            phase=Phase.values[number % 4],
            due_date=date(2026, 1, 1) + timedelta(days=number),
            status=TaskStatus.DONE if done else TaskStatus.TODO,
            completed_at="2026-01-02T10:00Z" if done else None,
            completed_by=manager if done else None,
            assignee=manager,
        )
        TaskComment.objects.create(task=task, author=manager, body="Looks good")
        evidence = TaskEvidence(task=task, uploaded_by=manager)
        evidence.file.save("e.txt", ContentFile(sample_bytes("text")))


def portfolio(count, manager, tasks):
    service = ServiceFactory()
    vendors = []
    for number in range(count):
        vendor = VendorFactory(name=f"Portfolio {number:03d}", owner=manager)
        vendor.services.add(service)
        onboard(vendor, manager, tasks)
        vendors.append(vendor)
    return vendors


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(("vendors", "tasks"), [(2, 2), (30, 8)])
def test_vendor_list_queries_do_not_grow(client_for, manager, vendors, tasks):
    portfolio(vendors, manager, tasks)
    client = client_for(manager)
    assert count_queries(client, reverse("vendors:list")) == LIST_QUERIES
    assert count_queries(client, reverse("vendors:list") + "?q=Portfolio&page=2") == LIST_QUERIES


@pytest.mark.parametrize("size", [1, 12])
def test_vendor_page_queries_do_not_grow(client_for, manager, size):
    vendor = portfolio(1, manager, tasks=2 * size)[0]
    for number in range(size):
        ContactFactory(vendor=vendor)
        CertificationFactory(vendor=vendor, reference=f"C-{number}")
        contract = ContractFactory(vendor=vendor)
        contract.value = 1000 * number
        contract.save()
        IssueFactory(vendor=vendor, raised_by=manager, internal_owner=manager)
    vendor.owner = None
    vendor.save()
    client = client_for(manager)
    assert count_queries(client, vendor.get_absolute_url()) == PAGE_QUERIES


@pytest.mark.parametrize("size", [1, 10])
def test_my_onboarding_queries_do_not_grow(client_for, manager, staff_a, vendor_a, size):
    onboard(vendor_a, manager, tasks=3 * size)
    assert count_queries(client_for(staff_a), reverse("vendors:my_onboarding")) == 8


def test_progress_of_many_vendors_is_one_query(manager, django_assert_num_queries):
    vendors = portfolio(5, manager, tasks=8)
    with django_assert_num_queries(1):
        progress = onboarding_progress([vendor.pk for vendor in vendors], today=date(2026, 1, 5))
    first = progress[vendors[0].pk]
    assert (first.done, first.total) == (3, 8)
    # Tasks due 1–4 Jan that are not done: numbers 1, 2 (number 0 and 3 are done).
    assert first.overdue == 2
    assert first.phases[Phase.PRE_ONBOARDING].total == 2
    with django_assert_num_queries(1):
        assert len(onboarding_progress(VendorFactory._meta.model.objects.all())) == 5

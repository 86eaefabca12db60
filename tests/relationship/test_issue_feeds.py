"""Open and overdue issues on the vendor page and on the portfolio dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.services import refresh_vendor_health
from relationship.models import IssueState, Severity
from tests.relationship.factories import IssueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def issues(vendor_a, vendor_b, manager):
    now = timezone.now()
    return {
        "late": IssueFactory(
            vendor=vendor_a,
            raised_by=manager,
            title="Refund answers wrong",
            severity=Severity.HIGH,
            raised_at=now - timedelta(days=1),
            escalation_level=2,
        ),
        "fresh": IssueFactory(vendor=vendor_a, raised_by=manager, title="Late rota", severity=Severity.LOW),
        "resolved": IssueFactory(
            vendor=vendor_a,
            raised_by=manager,
            title="Old outage",
            state=IssueState.RESOLVED,
            agreement="Fixed.",
            resolved_at=now,
            resolved_by=manager,
        ),
        "other vendor": IssueFactory(vendor=vendor_b, raised_by=manager, title="Bravo's own"),
    }


@pytest.mark.parametrize("persona", ["manager", "qa", "ops", "pm", "staff_a"])
def test_the_vendor_page_lists_the_open_issues_to_whoever_sees_it(
    client_for, request, persona, vendor_a, issues
):
    response = client_for(request.getfixturevalue(persona)).get(vendor_a.get_absolute_url())
    section = response.context["issues"]
    assert [issue.title for issue in section.issues] == ["Refund answers wrong", "Late rota"]
    assert (section.count, section.overdue) == (2, 1)
    page = response.content.decode()
    assert 'href="#issues">Issues (2)</a>' in page
    assert "1 overdue" in page and "Level 2 · Management" in page
    assert "Old outage" not in page and "Bravo&#x27;s own" not in page
    assert f"{reverse('relationship:issue_create')}?vendor={vendor_a.slug}" in page
    assert f"{reverse('relationship:issue_list')}?vendor={vendor_a.pk}" in page
    assert issues["late"].get_absolute_url() in page


def test_a_vendor_without_open_issues_says_so(client_for, manager, vendor_a):
    page = client_for(manager).get(vendor_a.get_absolute_url()).content.decode()
    assert "No open issue with this vendor." in page


def test_the_dashboard_counts_open_and_overdue_issues_per_vendor_and_in_all(
    client_for, manager, vendor_a, vendor_b, issues
):
    refresh_vendor_health()
    response = client_for(manager).get(reverse("portfolio:dashboard"))
    totals = response.context["totals"]
    assert (totals["open_issues"], totals["overdue_issues"]) == (3, 1)
    rows = {row.vendor.slug: (row.open_issues, row.overdue_issues) for row in response.context["page"]}
    assert rows == {vendor_a.slug: (2, 1), vendor_b.slug: (1, 0)}
    page = response.content.decode()
    assert f"{reverse('relationship:issue_list')}?vendor={vendor_a.pk}&amp;status=open" in page
    assert "1 overdue" in page
    # The overdue high-severity issue turns the vendor red.
    assert next(r for r in response.context["page"] if r.vendor == vendor_a).health == "red"

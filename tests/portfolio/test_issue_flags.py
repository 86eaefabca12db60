"""The issue log feeds the partnership health: severe overdue or executive-level issues are a red flag,
other overdue issues an amber one, each saying what to do and linking to the filtered issue list."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from portfolio.flags import RED, RULES, health_of, red_flags
from relationship.models import IssueState, Severity
from tests.factories import VendorFactory
from tests.portfolio.builders import TODAY, facts_of
from tests.relationship.factories import IssueFactory

pytestmark = pytest.mark.django_db
NOON = timezone.make_aware(datetime.combine(TODAY, time(12)))


@pytest.fixture
def vendor(manager):
    return VendorFactory(name="Issue Support", owner=manager)


def raised(vendor, manager, *, days_ago, **fields):
    """An issue raised `days_ago` days before noon on TODAY, unanswered unless told otherwise."""
    return IssueFactory(vendor=vendor, raised_by=manager, raised_at=NOON - timedelta(days=days_ago), **fields)


def flags(vendor):
    """The issue flags (the vendor has no SLA and no review, which other rules are about)."""
    issue_codes = {"critical_issue", "overdue_issues"}
    return {flag.code: flag for flag in red_flags(facts_of(vendor)) if flag.code in issue_codes}


def test_a_vendor_without_overdue_issues_has_no_issue_flag(vendor, manager):
    raised(vendor, manager, days_ago=0.1)  # medium: a day to answer
    resolved = raised(vendor, manager, days_ago=30, severity=Severity.CRITICAL)
    resolved.state, resolved.agreement = IssueState.RESOLVED, "Fixed."
    resolved.resolved_at, resolved.resolved_by = NOON, manager
    resolved.save()
    assert flags(vendor) == {}
    facts = facts_of(vendor)
    assert (facts.issues_open, facts.issues_overdue) == (1, 0)


def test_an_overdue_high_severity_issue_is_a_red_flag_linking_the_overdue_list(client_for, vendor, manager):
    late = raised(vendor, manager, days_ago=1, severity=Severity.HIGH)  # eight hours to answer
    in_time = raised(vendor, manager, days_ago=0.1)  # medium: a day to answer
    raised(VendorFactory(), manager, days_ago=1, severity=Severity.HIGH)  # another vendor's
    flag = flags(vendor)["critical_issue"]
    assert flag.severity == RED and RULES["critical_issue"][1] == RED
    assert flag.explanation.startswith("1 critical or high-severity issue is overdue.")
    assert "Call the vendor's executive contact" in flag.explanation
    assert health_of(None, [flag]) == (80, RED)
    links = {link["label"]: link["url"] for link in flag.links}
    with time_machine.travel(NOON, tick=False):
        overdue = client_for(manager).get(links["Overdue issues"]).context["page"]
        open_issues = client_for(manager).get(links["Open issues"]).context["page"]
    assert [issue.pk for issue in overdue] == [late.pk]
    assert {issue.pk for issue in open_issues} == {late.pk, in_time.pk}


def test_an_issue_at_the_executive_level_is_red_even_when_answered_in_time(vendor, manager):
    raised(vendor, manager, days_ago=0.1, escalation_level=3, first_response_at=NOON)
    flag = flags(vendor)["critical_issue"]
    assert flag.explanation.startswith("1 open issue reached the executive level.")


def test_other_overdue_issues_are_an_amber_flag(vendor, manager):
    raised(vendor, manager, days_ago=2)  # medium, unanswered after a day
    raised(vendor, manager, days_ago=20, severity=Severity.LOW, first_response_at=NOON)  # past resolution
    found = flags(vendor)
    assert set(found) == {"overdue_issues"}
    flag = found["overdue_issues"]
    assert flag.severity == RULES["overdue_issues"][1] != RED
    assert flag.explanation == (
        "2 issues are past their response or resolution time. "
        "Chase the owners on both sides and agree new dates in the threads."
    )


def test_a_severe_overdue_issue_is_not_counted_again_in_the_amber_flag(vendor, manager):
    raised(vendor, manager, days_ago=2, severity=Severity.CRITICAL)
    assert set(flags(vendor)) == {"critical_issue"}
    raised(vendor, manager, days_ago=2)
    assert set(flags(vendor)) == {"critical_issue", "overdue_issues"}
    assert flags(vendor)["overdue_issues"].explanation.startswith("1 issue is past its response")

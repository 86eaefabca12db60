"""The issue log's pages: the list and its filters (at a fixed query count), raising from a source,
the issue page's source link, attachments, and bad input that changes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relationship.models import Issue, IssueComment, IssueState, Severity, Side
from tests.costs.factories import InvoiceFactory
from tests.factories import VendorFactory
from tests.relationship.factories import IssueFactory
from tests.relationship.issue_builders import RAISED_AT, audit_of, raise_issue, text_file
from tests.reviews.factories import ActionItemFactory, MeetingFactory

LIST = reverse("relationship:issue_list")
CREATE = reverse("relationship:issue_create")


def listed(response):
    return {issue.pk for issue in response.context["page"]}


# The list


def test_vendor_staff_see_only_their_vendors_issues(client_for, vendor_a, vendor_b, staff_a):
    ours, theirs = IssueFactory(vendor=vendor_a), IssueFactory(vendor=vendor_b)
    response = client_for(staff_a).get(LIST)
    assert listed(response) == {ours.pk}
    assert "vendor" not in response.context["filter"].form.fields
    assert theirs.title not in response.content.decode()


def test_the_list_shows_open_issues_until_told_otherwise(client_for, manager, vendor_a):
    open_issue = IssueFactory(vendor=vendor_a, state=IssueState.DISCUSSED)
    resolved = IssueFactory(
        vendor=vendor_a,
        state=IssueState.RESOLVED,
        agreement="Fixed.",
        resolved_at=RAISED_AT,
        resolved_by=manager,
    )
    client = client_for(manager)
    assert listed(client.get(LIST)) == {open_issue.pk}
    assert listed(client.get(LIST, {"show": "all"})) == {open_issue.pk, resolved.pk}
    assert listed(client.get(LIST, {"state": "resolved"})) == {resolved.pk}


def test_the_list_filters_by_vendor_severity_category_and_level(client_for, manager, vendor_a, vendor_b):
    critical = IssueFactory(vendor=vendor_a, severity=Severity.CRITICAL, category="security")
    escalated = IssueFactory(vendor=vendor_b, escalation_level=2)
    client = client_for(manager)
    assert listed(client.get(LIST, {"vendor": vendor_b.pk})) == {escalated.pk}
    assert listed(client.get(LIST, {"severity": Severity.CRITICAL})) == {critical.pk}
    assert listed(client.get(LIST, {"category": "security"})) == {critical.pk}
    assert listed(client.get(LIST, {"escalation_level": 2})) == {escalated.pk}


def test_overdue_issues_are_filtered_and_marked(client_for, manager, vendor_a):
    with time_machine.travel(RAISED_AT, tick=False):
        late = IssueFactory(vendor=vendor_a, severity=Severity.CRITICAL)
        IssueFactory(vendor=vendor_a, severity=Severity.LOW)
    with time_machine.travel(RAISED_AT + timedelta(hours=5), tick=False):
        response = client_for(manager).get(LIST, {"show": "overdue"})
    assert listed(response) == {late.pk}
    assert 'data-overdue="response"' in response.content.decode()


def _list_queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LIST).status_code == 200
    return len(queries)


def test_the_lists_query_count_does_not_grow_with_issues(client_for, manager, ops, staff_a):
    client = client_for(manager)
    IssueFactory(internal_owner=ops, vendor_owner=staff_a, vendor=staff_a.profile.vendor)
    # Session, user, profile, the count, the vendor choices, the page of issues.
    assert _list_queries(client) == 6
    for index in range(19):
        IssueFactory(vendor=VendorFactory(name=f"Vendor {index}"), internal_owner=ops)
    assert _list_queries(client) == 6


# Raising from the pages


def test_vendor_staff_raise_an_issue_for_their_own_vendor(client_for, vendor_a, staff_a):
    client = client_for(staff_a)
    assert "vendor" not in client.get(CREATE).context["form"].fields
    data = {
        "title": "No reports since Monday",
        "description": "The daily report stopped.",
        "category": "communication",
        "severity": Severity.HIGH,
    }
    response = client.post(CREATE, data)
    issue = Issue.objects.get()
    assert response.url == issue.get_absolute_url()
    assert (issue.vendor, issue.raised_side, issue.severity) == (vendor_a, Side.VENDOR, Severity.HIGH)


def test_an_issue_raised_from_an_audit_links_it(client_for, vendor_a, manager, qa):
    audit = audit_of(vendor_a, qa)
    client = client_for(manager)
    page = client.get(f"{CREATE}?audit={audit.pk}")
    assert "vendor" not in page.context["form"].fields
    assert "data-source" in page.content.decode()
    data = {
        "title": "Verification skipped",
        "description": "See the audit.",
        "category": "quality",
        "severity": Severity.MEDIUM,
    }
    client.post(f"{CREATE}?audit={audit.pk}", data)
    issue = Issue.objects.get()
    assert (issue.vendor, issue.audit) == (vendor_a, audit)
    detail = client.get(issue.get_absolute_url()).content.decode()
    assert f'href="{audit.get_absolute_url()}"' in detail


def test_another_vendors_record_is_not_found_for_vendor_staff(client_for, vendor_b, staff_a, qa):
    assert client_for(staff_a).get(f"{CREATE}?audit={audit_of(vendor_b, qa).pk}").status_code == 404


@pytest.mark.parametrize("raiser", ["qa", "ops", "pm"])
def test_raising_from_an_invoice_is_not_found_for_those_who_do_not_see_money(
    request, client_for, vendor_a, raiser
):
    invoice = InvoiceFactory(contract__vendor=vendor_a, number="INV-SECRET-7")
    data = {
        "title": "Odd charge",
        "description": "A fee we never agreed.",
        "category": "billing",
        "severity": Severity.LOW,
    }
    manager_page = client_for(request.getfixturevalue("manager")).get(f"{CREATE}?invoice={invoice.pk}")
    assert "INV-SECRET-7" in manager_page.content.decode()
    client = client_for(request.getfixturevalue(raiser))
    page = client.get(f"{CREATE}?invoice={invoice.pk}")
    assert page.status_code == 404
    assert "INV-SECRET-7" not in page.content.decode()
    assert client.post(f"{CREATE}?invoice={invoice.pk}", data).status_code == 404
    assert not Issue.objects.exists()


def test_an_issue_raised_from_a_meetings_action_item_links_back_to_the_meeting(client_for, vendor_a, ops):
    meeting = MeetingFactory(vendor=vendor_a, title="Weekly ops sync")
    item = ActionItemFactory(review=None, meeting=meeting, title="Fix the rota")
    client = client_for(ops)
    page = client.get(f"{CREATE}?action_item={item.pk}")
    assert page.status_code == 200
    assert "vendor" not in page.context["form"].fields
    data = {
        "title": "The rota is still wrong",
        "description": "Nights are short again.",
        "category": "staffing",
        "severity": Severity.MEDIUM,
    }
    response = client.post(f"{CREATE}?action_item={item.pk}", data)
    issue = Issue.objects.get()
    assert response.url == issue.get_absolute_url()
    assert (issue.vendor, issue.action_item) == (vendor_a, item)
    detail = client.get(issue.get_absolute_url()).content.decode()
    assert f'href="{meeting.get_absolute_url()}#action-items"' in detail
    assert "Weekly ops sync" in detail


def test_the_invoice_link_shows_only_to_those_who_see_money(client_for, vendor_a, manager, qa):
    invoice = InvoiceFactory(contract__vendor=vendor_a)
    issue = raise_issue(vendor=vendor_a, by=manager, source=invoice)
    assert invoice.get_absolute_url() in client_for(manager).get(issue.get_absolute_url()).content.decode()
    qa_page = client_for(qa).get(issue.get_absolute_url()).content.decode()
    assert invoice.get_absolute_url() not in qa_page
    assert invoice.number not in qa_page


# The issue page


def test_attachments_download_only_for_those_who_see_the_issue(client_for, vendor_a, staff_a, staff_b, ops):
    issue = raise_issue(vendor=vendor_a, by=staff_a, attachment=text_file("calls.txt"))
    url = reverse("relationship:comment_attachment", kwargs={"pk": issue.comments.get().pk})
    response = client_for(ops).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="calls')
    assert client_for(staff_b).get(url).status_code == 404
    assert url in client_for(staff_a).get(issue.get_absolute_url()).content.decode()


def test_the_page_offers_each_user_their_moves(client_for, vendor_a, staff_a, qa, ops):
    issue = IssueFactory(vendor=vendor_a, state=IssueState.DISCUSSED)
    ops_page = client_for(ops).get(issue.get_absolute_url())
    assert [form.state for form in ops_page.context["move_forms"]] == [
        IssueState.AGREED,
        IssueState.MEDIATION,
    ]
    assert 'name="move-agreed-agreement"' in ops_page.content.decode()
    assert client_for(qa).get(issue.get_absolute_url()).context["move_forms"] == []
    assert client_for(staff_a).get(issue.get_absolute_url()).context["owners_form"] is None


def test_a_comment_by_form_with_a_file(client_for, vendor_a, staff_a, ops):
    issue = raise_issue(vendor=vendor_a, by=staff_a)
    url = reverse("relationship:issue_comment", kwargs={"pk": issue.pk})
    client_for(ops).post(url, {"body": "Which calls?", "attachment": text_file("list.txt")})
    entry = issue.comments.last()
    assert (entry.author, entry.body, entry.filename) == (ops, "Which calls?", "list.txt")


def test_moving_by_form(client_for, vendor_a, staff_a, ops):
    issue = IssueFactory(vendor=vendor_a, state=IssueState.DISCUSSED)
    url = reverse("relationship:issue_move", kwargs={"pk": issue.pk})
    response = client_for(ops).post(url, {"to": "agreed", "move-agreed-agreement": "Retrain by Friday."})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert (issue.state, issue.agreement) == (IssueState.AGREED, "Retrain by Friday.")


# Bad input re-renders with 400 and changes nothing


@pytest.mark.parametrize(
    ("url_name", "data"),
    [
        ("issue_comment", {"body": " "}),
        ("issue_move", {"to": "agreed", "move-agreed-agreement": ""}),
        ("issue_move", {"to": "resolved"}),
        ("issue_move", {"to": "nowhere"}),
        ("issue_owners", {"internal_owner": "", "vendor_owner": "staff_b"}),
    ],
)
def test_bad_input_on_the_issue_page_changes_nothing(
    client_for, vendor_a, staff_a, staff_b, manager, url_name, data
):
    issue = IssueFactory(
        vendor=vendor_a, state=IssueState.DISCUSSED, raised_by=staff_a, raised_side=Side.VENDOR
    )
    data = {key: staff_b.pk if value == "staff_b" else value for key, value in data.items()}
    before = Issue.objects.values().get(pk=issue.pk)
    response = client_for(manager).post(reverse(f"relationship:{url_name}", kwargs={"pk": issue.pk}), data)
    assert response.status_code == 400
    assert Issue.objects.values().get(pk=issue.pk) == before
    assert not IssueComment.objects.exists()


def test_a_bad_raise_form_changes_nothing(client_for, vendor_a, manager):
    response = client_for(manager).post(CREATE, {"vendor": vendor_a.pk, "title": "", "description": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == {"title", "category", "severity"}
    assert not Issue.objects.exists()


def test_the_raise_form_starts_on_the_named_vendor(client_for, vendor_a, vendor_b, ops):
    form = client_for(ops).get(f"{CREATE}?vendor={vendor_b.slug}").context["form"]
    assert form["vendor"].value() == vendor_b.pk
    assert set(form.fields["vendor"].queryset) == {vendor_a, vendor_b}

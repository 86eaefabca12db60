"""The relationship, end to end (issue 14).

An issue: the vendor's staff raise a missed deadline; nobody answers in time, so the escalation job
moves it to level 2 and emails that level's contacts on both sides; the operations specialist answers,
takes it through the conflict-resolution steps and records the agreement; the vendor's staff see it
resolved with that agreement.

A survey from each side: the operations specialist rates the vendor for last quarter, the vendor's
staff (who never see that rating) rate us, and the manager reads both quarters' results with the fall
of our rating flagged.
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from kpis.periods import add_months
from relationship.escalation import escalate_unanswered
from relationship.models import RESPONSE_TIME, Direction, Issue, Severity, Survey
from relationship.models.surveys import QUESTIONS
from relationship.surveys import surveys_open
from tests.factories import ContactFactory, VendorFactory, make_user
from tests.relationship.factories import SurveyFactory
from vendors.models import ContactSide, EscalationLevel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VENDOR, OTHER = "Northwind Contact", "Bluepeak Services"
# A Tuesday morning in Berlin; the escalation comes eight hours later, the same evening.
RAISED = "2026-11-10 09:00 +01:00"
TITLE = "November payroll run delivered two days late"
DESCRIPTION = "The payroll file promised for 3 November arrived on the 5th; 40 people were paid late."
ANSWER = "We are sorry: a shift lead was off sick and nobody covered the export. We are checking why."
AGREEMENT = "Northwind names a deputy for every export and confirms each run by email the day before."
MINUTE = timedelta(minutes=1)


def new_page(browser, errors):
    """A persona's own browser context; its console errors go to the same list as the first page's."""
    page = browser.new_context().new_page()
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return page


def no_csp_errors(errors):
    return not [error for error in errors if "Content Security Policy" in error]


def open_from_relationship_menu(page, item):
    page.get_by_role("button", name="Relationship").click()
    page.locator(".dropdown-menu.show").get_by_role("link", name=item).click()


def flash(page):
    """The message a page shows after a post ("ISS-1 is now …")."""
    return page.locator(".alert-success.alert-dismissible")


def shown(moment):
    """A time as the pages show it (the site's time zone, "10 Nov 2026 17:00")."""
    return f"{timezone.localtime(moment):%d %b %Y %H:%M}"


# Journey 1: an issue, raised by the vendor's staff, escalated unanswered, resolved with an agreement.


@pytest.fixture
def partnership():
    """Northwind, run day to day by the operations specialist, with contacts at escalation levels 1
    and 2 on both sides; Sam is one of its staff."""
    ops = make_user("omar", Role.OPERATIONS, first_name="Omar", last_name="Haddad")
    vendor = VendorFactory(name=VENDOR, owner=ops)
    make_user("sam", Role.VENDOR_STAFF, vendor=vendor, first_name="Sam", last_name="Okafor")
    contacts = [
        ("Vera Lind", ContactSide.VENDOR, EscalationLevel.OPERATIONAL, "vera@northwind.example"),
        ("Dana Reyes", ContactSide.VENDOR, EscalationLevel.MANAGEMENT, "dana@northwind.example"),
        ("Lars Meyer", ContactSide.INTERNAL, EscalationLevel.OPERATIONAL, "lars@company.example"),
        ("Hanna Berg", ContactSide.INTERNAL, EscalationLevel.MANAGEMENT, "hanna@company.example"),
    ]
    for name, side, level, email in contacts:
        ContactFactory(vendor=vendor, name=name, side=side, escalation_level=level, email=email)
    return vendor


def test_an_issue_escalates_unanswered_and_is_resolved_with_an_agreement(
    partnership, page, browser, live_server, login, csp_violations
):
    with time_machine.travel(RAISED, tick=True) as traveller:
        # 1. Sam, of the vendor's staff, raises a high-severity missed deadline from the issue log.
        login(page, "sam")
        expect(page.get_by_role("heading", level=1)).to_have_text(VENDOR)
        open_from_relationship_menu(page, "Issues")
        expect(page.get_by_role("heading", level=1)).to_have_text("Issues")
        expect(page.locator("main")).to_contain_text("No issues match these filters.")
        page.get_by_role("link", name="Raise an issue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Raise an issue · {VENDOR}")
        page.get_by_label("Title").fill(TITLE)
        page.get_by_label("Description").fill(DESCRIPTION)
        page.get_by_label("Category").select_option(label="Missed deadline")
        page.get_by_label("Severity").select_option(label="High")
        page.get_by_role("button", name="Raise the issue").click()
        expect(flash(page)).to_contain_text("is raised; it waits for the other side's answer.")

        issue = Issue.objects.get()
        reference = issue.reference
        assert (issue.severity, issue.internal_owner.username, issue.vendor_owner.username) == (
            Severity.HIGH,
            "omar",
            "sam",
        )
        answer_by = issue.raised_at + RESPONSE_TIME[Severity.HIGH]
        expect(flash(page)).to_contain_text(f"{reference} is raised; it waits for the other side's answer.")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{reference} · {TITLE}")
        expect(page.locator(".lead-sub")).to_contain_text(
            f"Missed deadline · raised {shown(issue.raised_at)}"
        )
        waiting = page.locator(".kpi-tile", has_text="Waiting for")
        expect(waiting).to_contain_text("The company's answer")
        expect(page.locator(".kpi-tile", has_text="Our owner")).to_contain_text("Omar Haddad")
        expect(page.locator("li[data-kind='comment']").first).to_contain_text(DESCRIPTION)

        # In their list, at level 1 (no escalation badge), due for an answer within the eight hours.
        page.locator(".breadcrumb").get_by_role("link", name="Issues").click()
        row = page.locator(f"tr[data-issue='{issue.pk}']")
        expect(row).to_contain_text(TITLE)
        expect(row).to_contain_text("High")
        expect(row).to_contain_text("Identified")
        expect(row).not_to_contain_text("Management")
        expect(row).to_contain_text(f"Answer by {shown(answer_by)}")
        expect(row.locator("[data-overdue]")).to_have_count(0)
        page.get_by_label("Escalation level").select_option(label="1 · Day-to-day")
        page.get_by_role("button", name="Filter").click()
        expect(page.locator(f"tr[data-issue='{issue.pk}']")).to_be_visible()
        page.get_by_role("link", name="My vendor").click()
        vendor_issues = page.get_by_test_id("vendor-issues").locator("tr", has_text=TITLE)
        expect(vendor_issues).to_contain_text("Identified")
        expect(vendor_issues).to_contain_text("Level 1 · Day-to-day")

        # 2. Nobody answers. A minute past the response time the scheduler's run escalates it.
        escalated_at = answer_by + MINUTE
        traveller.move_to(escalated_at)
        assert escalate_unanswered(escalated_at) == 1
        told = {message.to[0]: message for message in mail.outbox}
        assert {"dana@northwind.example", "hanna@company.example"} <= set(told)
        assert not {"vera@northwind.example", "lars@company.example"} & set(told)
        dana = told["dana@northwind.example"]
        assert dana.subject == f"[bporeg] {reference} escalated to you: {TITLE} ({VENDOR})"
        assert "Dear Dana Reyes," in dana.body
        assert "now escalated to level 2 · Management" in dana.body

        page.get_by_role("link", name=f"{reference} {TITLE}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"{reference} · {TITLE}")
        expect(page.locator(".page-head")).to_contain_text("2 · Management")
        escalation = page.locator("li[data-kind='escalation']")
        expect(escalation).to_have_count(1)
        expect(escalation).to_contain_text("bporeg · Escalated")
        next_answer_by = escalated_at + RESPONSE_TIME[Severity.HIGH]
        expect(escalation).to_contain_text(
            "Not answered in time: escalated to level 2 · Management. "
            "Told: Dana Reyes (vendor), Hanna Berg (ours). "
            f"Next answer due by {timezone.localtime(next_answer_by):%-d %B %Y %H:%M}."
        )
        expect(page.locator(".kpi-tile", has_text="Due")).to_contain_text(
            f"Answer by {shown(next_answer_by)}"
        )

        # 3. The operations specialist finds it in the issue log, escalated, and answers in its thread.
        ops = new_page(browser, csp_violations)
        login(ops, "omar")
        open_from_relationship_menu(ops, "Issues")
        row = ops.locator(f"tr[data-issue='{issue.pk}']")
        expect(row).to_contain_text(VENDOR)
        expect(row).to_contain_text("2 · Management")
        row.get_by_role("link", name=reference).click()
        expect(ops.get_by_role("heading", level=1)).to_have_text(f"{reference} · {TITLE}")
        expect(ops.locator(".kpi-tile", has_text="Waiting for")).to_contain_text("Our answer")
        ops.get_by_label("Comment").fill(ANSWER)
        ops.get_by_role("button", name="Send").click()
        expect(flash(ops)).to_contain_text("Your comment is in the thread.")
        answer = ops.locator("li[data-kind='comment']").last
        expect(answer).to_contain_text("Omar Haddad · Comment")
        expect(answer).to_contain_text(ANSWER)
        expect(ops.locator(".kpi-tile", has_text="Waiting for")).to_contain_text("Answered")

        # 4. … and takes it through the steps of the process, recording what both sides agreed.
        moves = ops.locator("#moves")
        for step in ("Information gathered", "Discussed"):
            moves.get_by_role("button", name=step).click()
            expect(flash(ops)).to_contain_text(f"{reference} is now “{step}”.")
            expect(ops.locator(".page-head")).to_contain_text(step)
        agreeing = moves.locator("form[data-move='agreed']")
        agreeing.get_by_role("button", name="Solution agreed").click()
        expect(agreeing).to_contain_text("This field is required.")
        agreeing = ops.locator("#moves form[data-move='agreed']")
        agreeing.get_by_label("What both sides agreed").fill(AGREEMENT)
        agreeing.get_by_role("button", name="Solution agreed").click()
        expect(flash(ops)).to_contain_text(f"{reference} is now “Solution agreed”.")
        expect(ops.locator("[data-agreement]")).to_contain_text(f"Agreed solution — {AGREEMENT}")
        moves.get_by_role("button", name="Resolved").click()
        expect(flash(ops)).to_contain_text(f"{reference} is now “Resolved”.")
        expect(ops.locator("#moves")).to_contain_text("Resolved: the process is complete.")
        steps = ops.locator("li[data-kind='state']")
        expect(steps).to_have_count(4)
        expect(steps.nth(2)).to_contain_text(f"Agreed: {AGREEMENT}")
        expect(steps.nth(3)).to_contain_text(
            "Omar Haddad moved the issue from “Solution agreed” to “Resolved”."
        )

        # 5. Sam sees it resolved, with the agreement, and no step left for anyone.
        page.reload()
        expect(page.locator(".page-head")).to_contain_text("Resolved")
        expect(page.locator(".page-head")).not_to_contain_text("Identified")
        expect(page.locator("[data-agreement]")).to_contain_text(f"Agreed solution — {AGREEMENT}")
        resolved_at = Issue.objects.get().resolved_at
        expect(page.locator("main")).to_contain_text(f"Resolved {shown(resolved_at)} by Omar Haddad")
        expect(page.locator("#moves")).to_contain_text("Resolved: the process is complete.")
        expect(page.get_by_role("button", name="Solution agreed")).to_have_count(0)
        expect(page.locator("li[data-kind='comment']", has_text=ANSWER)).to_contain_text("Omar Haddad")
        page.get_by_role("link", name="My vendor").click()
        expect(page.get_by_test_id("vendor-issues")).to_contain_text("No open issue with this vendor.")

    assert no_csp_errors(csp_violations), csp_violations


# Journey 2: last quarter's survey, answered from each side; the manager reads the results.

Q2, Q3 = date(2026, 4, 1), date(2026, 7, 1)
# The second day of Q4 2026: the surveys of Q3 opened yesterday, due in two weeks.
OPENING_DAY = "2026-10-02 10:00 +02:00"
OUR_COMMENT = "Two missed payroll deadlines this quarter; the escalation path worked."
THEIR_COMMENT = "Clear targets, quick answers; tell us about volume changes a week earlier."


def answered(vendor, quarter, direction, by, scores, comments=""):
    """A survey of `quarter` opened the day after it ended and answered three days later, on time."""
    opened_on = add_months(quarter, 3)
    return SurveyFactory(
        vendor=vendor,
        quarter=quarter,
        direction=direction,
        opened_on=opened_on,
        submitted_at=timezone.make_aware(datetime(opened_on.year, opened_on.month, 4, 11)),
        submitted_by=by,
        comments=comments,
        **dict(zip(QUESTIONS, scores, strict=True)),
    )


@pytest.fixture
def surveyed():
    """Northwind and Bluepeak, both active; Q2 answered by both sides (our rating of Northwind 4.50,
    theirs of us 3.75); on the first day of Q4 the daily job opened both surveys of Q3."""
    manager = make_user("maya", Role.MANAGER, first_name="Maya", last_name="Brennan")
    ops = make_user("omar", Role.OPERATIONS, first_name="Omar", last_name="Haddad")
    vendor = VendorFactory(name=VENDOR, owner=manager)
    VendorFactory(name=OTHER, owner=manager)
    sam = make_user("sam", Role.VENDOR_STAFF, vendor=vendor, first_name="Sam", last_name="Okafor")
    answered(vendor, Q2, Direction.COMPANY_RATES_VENDOR, ops, (5, 5, 4, 4), "A strong quarter.")
    answered(vendor, Q2, Direction.VENDOR_RATES_COMPANY, sam, (4, 4, 3, 4))
    with time_machine.travel(OPENING_DAY, tick=True):
        assert surveys_open(date(2026, 10, 1)) == 4
        yield vendor


def answer(page, scores, comment):
    for question, score in scores.items():
        page.get_by_role("group", name=question).get_by_label(str(score), exact=True).check()
    page.get_by_label("Anything else?").fill(comment)
    page.get_by_role("button", name="Submit answers").click()
    expect(flash(page)).to_contain_text("Thank you: your answers for Q3 2026 are recorded.")


def test_a_survey_answered_from_each_side(surveyed, page, browser, live_server, login, csp_violations):
    ours = Survey.objects.get(vendor=surveyed, quarter=Q3, direction=Direction.COMPANY_RATES_VENDOR)

    # 1. The operations specialist answers our rating of Northwind for Q3.
    login(page, "omar")
    open_from_relationship_menu(page, "Surveys")
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly surveys")
    pending = page.locator("tr[data-survey]")
    expect(pending).to_have_count(4)
    row = page.locator(f"tr[data-survey='{ours.pk}']")
    expect(row).to_contain_text("Q3 2026")
    expect(row).to_contain_text(VENDOR)
    expect(row).to_contain_text("We rate the vendor")
    expect(row).to_contain_text("Open")
    expect(row).to_contain_text("15 Oct 2026")
    row.get_by_role("link", name="Answer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Our rating of {VENDOR} · Q3 2026")
    expect(page.locator("main")).to_contain_text("the vendor's staff never see it")
    expect(page.locator("main")).to_contain_text(
        "How well did the vendor keep us informed: clear, timely, proactive updates?"
    )
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("group", name="Communication")).to_contain_text("Choose a score from 1 to 5.")
    answer(
        page,
        {"Communication": 3, "Responsiveness": 3, "Clarity of expectations": 4, "Collaboration": 3},
        OUR_COMMENT,
    )
    answers = page.get_by_test_id("answers")
    expect(answers.locator("tr[data-question='clarity']")).to_contain_text("4 / 5")
    expect(answers.locator("tr", has_text="Average")).to_contain_text("3.25")
    expect(answers).to_contain_text(OUR_COMMENT)
    expect(answers).to_contain_text("Answered by Omar Haddad on 2 Oct 2026")

    # 2. Sam, of Northwind's staff, sees only Northwind's rating of us: to answer for Q3, answered for Q2.
    staff = new_page(browser, csp_violations)
    login(staff, "sam")
    open_from_relationship_menu(staff, "Surveys")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Quarterly surveys")
    to_answer = staff.locator("table", has=staff.get_by_role("columnheader", name="Due")).locator("tbody tr")
    expect(to_answer).to_have_count(1)
    expect(to_answer).to_contain_text("Q3 2026")
    expect(to_answer).to_contain_text("15 October 2026")
    done = staff.locator("table", has=staff.get_by_role("columnheader", name="Answered by")).locator(
        "tbody tr"
    )
    expect(done).to_have_count(1)
    expect(done).to_contain_text("Q2 2026")
    expect(done).to_contain_text("Sam Okafor")
    expect(done).to_contain_text("3.75")
    main = staff.locator("main")
    for hidden in ("We rate", "Our rating", OTHER, "3.25", "4.50", "A strong quarter."):
        expect(main).not_to_contain_text(hidden)
    assert staff.goto(live_server.url + ours.get_absolute_url()).status == 404
    assert (
        staff.goto(live_server.url + reverse("relationship:survey_results", args=[surveyed.slug])).status
        == 403
    )
    staff.goto(live_server.url + reverse("relationship:survey_list"))
    to_answer.get_by_role("link", name="Answer").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Your rating of us · Q3 2026")
    expect(staff.locator("main")).to_contain_text(
        "How well did we keep you informed: clear, timely updates and decisions?"
    )
    answer(
        staff,
        {"Communication": 4, "Responsiveness": 5, "Clarity of expectations": 4, "Collaboration": 5},
        THEIR_COMMENT,
    )
    expect(staff.get_by_test_id("answers").locator("tr", has_text="Average")).to_contain_text("4.50")
    expect(staff.get_by_test_id("answers")).to_contain_text("Answered by Sam Okafor")
    staff.locator("main").get_by_role("link", name="Surveys").click()
    expect(to_answer.first).to_contain_text("Nothing to answer")
    expect(done).to_have_count(2)
    expect(done.first).to_contain_text("Q3 2026")
    expect(done.first).to_contain_text("4.50")

    # 3. The manager opens Northwind's survey results from its page: both quarters, our rating falling.
    manager = new_page(browser, csp_violations)
    login(manager, "maya")
    manager.goto(live_server.url + surveyed.get_absolute_url())
    manager.locator("#surveys").get_by_role("link", name="survey results and trend").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(f"Quarterly surveys with {VENDOR}")
    expect(manager.get_by_test_id("company-falling")).to_contain_text(f"Our rating of {VENDOR} is falling")
    expect(manager.get_by_test_id("vendor-falling")).to_have_count(0)
    quarters = manager.get_by_test_id("survey-results").locator("tbody tr")
    expect(quarters).to_have_count(2)
    q3 = manager.locator("tr[data-quarter='2026-07-01']")
    q2 = manager.locator("tr[data-quarter='2026-04-01']")
    expect(quarters.locator("th")).to_have_text(["Q3 2026", "Q2 2026"])
    expect(q3.locator("td")).to_have_text(
        ["3", "3", "4", "3", "3.25", "−1.25", "4", "5", "4", "5", "4.50", "+0.75"]
    )
    expect(q2.locator("td")).to_have_text(["5", "5", "4", "4", "4.50", "—", "4", "4", "3", "4", "3.75", "—"])
    expect(manager.get_by_role("img", name=f"Survey averages per quarter for {VENDOR}")).to_be_visible()

    # Each side's Q3 answers, with its comment, one click away.
    q3.get_by_role("link", name="3.25").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(f"Our rating of {VENDOR} · Q3 2026")
    expect(manager.get_by_test_id("answers")).to_contain_text(OUR_COMMENT)
    manager.go_back()
    q3.get_by_role("link", name="4.50").click()
    expect(manager.get_by_role("heading", level=1)).to_have_text(f"{VENDOR}'s rating of us · Q3 2026")
    expect(manager.get_by_test_id("answers")).to_contain_text(THEIR_COMMENT)
    expect(manager.get_by_test_id("answers")).to_contain_text("Answered by Sam Okafor on 2 Oct 2026")

    assert no_csp_errors(csp_violations), csp_violations

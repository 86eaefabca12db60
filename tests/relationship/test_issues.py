"""The issue log's rules: who raises what, due times, sources, the process's moves and who makes them,
the first answer that stops the escalation clock, and a thread that records every exchange."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relationship.issues import MOVES, VENDOR_MOVES, issue_comment, issue_move, issue_set_owners
from relationship.models import Issue, IssueState, Severity, Side
from tests.costs.factories import InvoiceFactory
from tests.relationship.factories import IssueFactory
from tests.relationship.issue_builders import (
    RAISED_AT,
    audit_of,
    csat_measurement,
    raise_issue,
    text_file,
)
from tests.reviews.factories import ActionItemFactory

State = IssueState


# Raising


def test_vendor_staff_raise_an_issue_about_their_vendor(vendor_a, staff_a):
    issue = raise_issue(vendor=vendor_a, by=staff_a, attachment=text_file("calls.txt"))

    assert (issue.state, issue.raised_side, issue.escalation_level) == (State.IDENTIFIED, Side.VENDOR, 1)
    assert issue.vendor_owner == staff_a
    assert issue.awaiting_side == Side.INTERNAL
    [first] = issue.comments.all()
    assert (first.author, first.body) == (staff_a, "Since Monday agents quote the old refund policy.")
    assert first.filename == "calls.txt"


def test_vendor_staff_cannot_raise_an_issue_about_another_vendor(vendor_b, staff_a):
    with pytest.raises(PermissionDenied):
        raise_issue(vendor=vendor_b, by=staff_a)
    assert not Issue.objects.exists()


@pytest.mark.parametrize(("owner_name", "becomes_owner"), [("ops", True), ("manager", True), ("qa", False)])
def test_our_owner_defaults_to_the_vendors_owner_when_an_operator(
    request, vendor_a, pm, owner_name, becomes_owner
):
    owner = request.getfixturevalue(owner_name)
    vendor_a.owner = owner
    vendor_a.save()

    issue = raise_issue(vendor=vendor_a, by=pm)

    assert issue.raised_side == Side.INTERNAL
    assert issue.internal_owner == (owner if becomes_owner else None)
    assert issue.vendor_owner is None


def test_only_an_operator_names_our_owner_when_raising(vendor_a, qa, ops, manager):
    with pytest.raises(PermissionDenied):
        raise_issue(vendor=vendor_a, by=qa, internal_owner=ops)
    with pytest.raises(ValidationError, match="BPO manager or an operations specialist"):
        raise_issue(vendor=vendor_a, by=manager, internal_owner=qa)
    assert raise_issue(vendor=vendor_a, by=manager, internal_owner=ops).internal_owner == ops


@pytest.mark.parametrize(
    ("severity", "answer_within", "resolve_within"),
    [
        (Severity.CRITICAL, timedelta(hours=4), timedelta(days=1)),
        (Severity.HIGH, timedelta(hours=8), timedelta(days=3)),
        (Severity.MEDIUM, timedelta(days=1), timedelta(days=7)),
        (Severity.LOW, timedelta(days=3), timedelta(days=14)),
    ],
)
def test_due_times_follow_the_severity(vendor_a, staff_a, severity, answer_within, resolve_within):
    with time_machine.travel(RAISED_AT, tick=False):
        issue = raise_issue(vendor=vendor_a, by=staff_a, severity=severity)

    assert issue.raised_at == RAISED_AT
    assert issue.response_due_at == RAISED_AT + answer_within
    assert issue.resolution_due_at == RAISED_AT + resolve_within


# Sources


def test_an_issue_links_the_kpi_breach_it_comes_from(vendor_a, ops):
    breach = csat_measurement(vendor_a, 70)
    assert raise_issue(vendor=vendor_a, by=ops, source=breach).measurement == breach


def test_a_measurement_that_met_its_target_is_no_source(vendor_a, ops):
    met = csat_measurement(vendor_a, 90)
    with pytest.raises(ValidationError, match="did not breach"):
        raise_issue(vendor=vendor_a, by=ops, source=met)


def test_another_vendors_audit_is_refused(vendor_a, vendor_b, manager, qa):
    audit_b = audit_of(vendor_b, qa)
    with pytest.raises(ValidationError, match="belongs to another vendor than Acme Support"):
        raise_issue(vendor=vendor_a, by=manager, source=audit_b)
    assert raise_issue(vendor=vendor_b, by=manager, source=audit_b).audit == audit_b


def test_vendor_staff_link_only_their_own_vendors_records(vendor_a, vendor_b, staff_a, qa):
    with pytest.raises(ValidationError, match="You cannot see this audit"):
        raise_issue(vendor=vendor_a, by=staff_a, source=audit_of(vendor_b, qa))
    item = ActionItemFactory(review__vendor=vendor_a)
    assert raise_issue(vendor=vendor_a, by=staff_a, source=item).action_item == item


@pytest.mark.parametrize("raiser", ["qa", "ops", "pm"])
def test_only_those_who_see_money_link_an_invoice(request, vendor_a, raiser):
    invoice = InvoiceFactory(contract__vendor=vendor_a)
    with pytest.raises(ValidationError, match="Only a BPO manager may link an issue to an invoice"):
        raise_issue(vendor=vendor_a, by=request.getfixturevalue(raiser), source=invoice)
    assert not Issue.objects.exists()


def test_the_manager_and_the_vendors_staff_link_an_invoice(vendor_a, manager, staff_a):
    invoice = InvoiceFactory(contract__vendor=vendor_a)
    assert raise_issue(vendor=vendor_a, by=manager, source=invoice).invoice == invoice
    assert raise_issue(vendor=vendor_a, by=staff_a, source=invoice).invoice == invoice


def test_the_database_refuses_an_issue_with_two_sources(vendor_a, staff_a, manager):
    item = ActionItemFactory(review__vendor=vendor_a)
    issue = raise_issue(vendor=vendor_a, by=staff_a, source=item)
    invoice = InvoiceFactory(contract__vendor=vendor_a)
    with pytest.raises(IntegrityError, match="issue_one_source_at_most"), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(invoice=invoice)
    # Moving it to another single source is fine.
    Issue.objects.filter(pk=issue.pk).update(action_item=None, invoice=invoice)


# Moves through the process

ROLES = ("manager", "ops", "qa", "pm", "staff_a", "staff_b")
EVERY_MOVE = [(old, new) for old, targets in MOVES.items() for new in targets]


def _may(role, old, new):
    if role in ("manager", "ops"):
        return True
    return role == "staff_a" and (old, new) in VENDOR_MOVES


def _issue_in(vendor, raiser, state):
    fields = {"agreement": "Retrain by Friday."} if state in (State.AGREED, State.RESOLVED) else {}
    if state == State.MEDIATION:
        fields["mediator"] = "Dana Ruiz, account director"
    if state == State.RESOLVED:
        fields.update(resolved_at=timezone.now(), resolved_by=raiser)
    return IssueFactory(vendor=vendor, raised_by=raiser, raised_side=Side.VENDOR, state=state, **fields)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("old", "new"), EVERY_MOVE, ids=[f"{o}->{n}" for o, n in EVERY_MOVE])
def test_who_may_make_each_move(request, vendor_a, staff_a, role, old, new):
    issue = _issue_in(vendor_a, staff_a, old)
    user = request.getfixturevalue(role)
    extra = {"agreement": "Retrain the team by Friday.", "mediator": "Dana Ruiz"}

    if _may(role, old, new):
        moved = issue_move(issue=issue, by=user, to=new, **extra)
        assert moved.state == new
        assert issue.comments.get(kind="state").author == user
    else:
        with pytest.raises(PermissionDenied):
            issue_move(issue=issue, by=user, to=new, **extra)
        issue.refresh_from_db()
        assert issue.state == old
        assert not issue.comments.exists()


@pytest.mark.parametrize(
    ("old", "new"),
    [(State.IDENTIFIED, State.RESOLVED), (State.IDENTIFIED, State.AGREED), (State.RESOLVED, State.DISCUSSED)],
)
def test_a_step_cannot_be_skipped_or_undone(vendor_a, staff_a, manager, old, new):
    issue = _issue_in(vendor_a, staff_a, old)
    with pytest.raises(ValidationError) as error:
        issue_move(issue=issue, by=manager, to=new, agreement="x")
    assert error.value.messages == [f"An issue in “{old.label}” cannot go to “{new.label}”."]
    issue.refresh_from_db()
    assert issue.state == old


def test_agreeing_records_the_agreement(vendor_a, staff_a, ops):
    issue = _issue_in(vendor_a, staff_a, State.DISCUSSED)
    with pytest.raises(ValidationError) as error:
        issue_move(issue=issue, by=ops, to=State.AGREED, agreement="  ")
    assert error.value.message_dict == {"agreement": ["Write down the solution both sides agreed."]}

    issue = issue_move(issue=issue, by=ops, to=State.AGREED, agreement="Retrain the team by Friday.")
    assert issue.agreement == "Retrain the team by Friday."
    entry = issue.comments.get(kind="state")
    assert "Agreed: Retrain the team by Friday." in entry.body
    assert "Omar" in entry.body


def test_the_database_refuses_an_agreed_issue_without_its_agreement(vendor_a, staff_a):
    issue = _issue_in(vendor_a, staff_a, State.DISCUSSED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.filter(pk=issue.pk).update(state=State.AGREED, agreement="")


def test_mediation_names_the_mediator(vendor_a, staff_a, manager):
    issue = _issue_in(vendor_a, staff_a, State.DISCUSSED)
    with pytest.raises(ValidationError, match="Name the mediator"):
        issue_move(issue=issue, by=manager, to=State.MEDIATION)
    issue = issue_move(issue=issue, by=manager, to=State.MEDIATION, mediator="Dana Ruiz")
    assert (issue.state, issue.mediator) == (State.MEDIATION, "Dana Ruiz")


def test_an_agreement_that_did_not_hold_goes_back_to_discussion_and_stays_on_record(vendor_a, staff_a, ops):
    issue = _issue_in(vendor_a, staff_a, State.AGREED)

    issue = issue_move(issue=issue, by=ops, to=State.DISCUSSED, note="Errors came back in week two.")

    assert (issue.state, issue.agreement) == (State.DISCUSSED, "")
    entry = issue.comments.get(kind="state")
    assert "The agreement that did not hold: Retrain by Friday." in entry.body
    assert "Errors came back in week two." in entry.body
    assert issue.history.filter(agreement="Retrain by Friday.").exists()


def test_resolving_records_who_and_when(vendor_a, staff_a, ops):
    issue = _issue_in(vendor_a, staff_a, State.AGREED)
    with time_machine.travel(RAISED_AT + timedelta(days=2), tick=False):
        issue = issue_move(issue=issue, by=ops, to=State.RESOLVED)
    assert (issue.resolved_at, issue.resolved_by) == (RAISED_AT + timedelta(days=2), ops)
    assert not issue.is_open


# The first answer


def test_our_first_answer_to_a_vendors_issue_comes_from_an_operator(vendor_a, staff_a, qa, pm, ops, manager):
    with time_machine.travel(RAISED_AT, tick=False):
        issue = raise_issue(vendor=vendor_a, by=staff_a)
    for user in (staff_a, qa, pm):
        issue_comment(issue=issue, by=user, body="Following.")
    issue.refresh_from_db()
    assert issue.first_response_at is None

    with time_machine.travel(RAISED_AT + timedelta(hours=2), tick=False):
        issue_comment(issue=issue, by=ops, body="Looking at the call recordings now.")
    with time_machine.travel(RAISED_AT + timedelta(hours=5), tick=False):
        issue_comment(issue=issue, by=manager, body="Me too.")

    issue.refresh_from_db()
    assert issue.first_response_at == RAISED_AT + timedelta(hours=2)


def test_the_issues_internal_owner_answers_for_us(vendor_a, staff_a, qa):
    issue = IssueFactory(vendor=vendor_a, raised_by=staff_a, raised_side=Side.VENDOR, internal_owner=qa)
    issue_comment(issue=issue, by=qa, body="I own this one.")
    issue.refresh_from_db()
    assert issue.first_response_at is not None


def test_the_vendor_answers_an_issue_we_raised_by_comment_or_by_a_move(vendor_a, manager, staff_a):
    issue = raise_issue(vendor=vendor_a, by=manager)
    issue_comment(issue=issue, by=manager, body="Any news?")
    issue.refresh_from_db()
    assert issue.first_response_at is None

    with time_machine.travel(RAISED_AT, tick=False):
        issue_move(issue=issue, by=staff_a, to=State.INFORMATION_GATHERED, note="Logs attached next.")
    issue.refresh_from_db()
    assert issue.first_response_at == RAISED_AT
    assert issue.awaiting_side is None


def test_staff_of_another_vendor_cannot_write_in_the_thread(vendor_a, manager, staff_b):
    issue = raise_issue(vendor=vendor_a, by=manager)
    with pytest.raises(PermissionDenied):
        issue_comment(issue=issue, by=staff_b, body="Hello")
    assert issue.comments.count() == 1


# Owners and the thread


def test_owners_are_named_by_operators_from_the_right_people(vendor_a, staff_a, staff_b, ops, qa):
    issue = raise_issue(vendor=vendor_a, by=staff_a)
    with pytest.raises(PermissionDenied):
        issue_set_owners(issue=issue, by=qa, internal_owner=ops, vendor_owner=staff_a)
    with pytest.raises(ValidationError) as error:
        issue_set_owners(issue=issue, by=ops, internal_owner=qa, vendor_owner=staff_b)
    assert set(error.value.message_dict) == {"internal_owner", "vendor_owner"}

    issue = issue_set_owners(issue=issue, by=ops, internal_owner=ops, vendor_owner=staff_a)
    assert (issue.internal_owner, issue.vendor_owner) == (ops, staff_a)


def test_the_thread_records_every_exchange(vendor_a, staff_a, ops):
    issue = raise_issue(vendor=vendor_a, by=staff_a)
    issue_comment(issue=issue, by=ops, body="Which calls?", attachment=text_file("questions.txt"))
    issue_move(issue=issue, by=staff_a, to=State.INFORMATION_GATHERED)
    issue_set_owners(issue=issue, by=ops, internal_owner=ops, vendor_owner=staff_a)

    thread = [(entry.kind, entry.author) for entry in issue.comments.all()]
    assert thread == [("comment", staff_a), ("comment", ops), ("state", staff_a), ("owners", ops)]
    assert issue.comments.get(body="Which calls?").filename == "questions.txt"
    assert "Omar named the owners: Omar on our side" in issue.comments.get(kind="owners").body

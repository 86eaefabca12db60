"""The issue log's writes: raise an issue, write in its thread, move it through the conflict-resolution
process, name its owners. The escalation job (another module) only moves an unanswered issue up a level.

Who may do what:
- raise: any internal role, or staff of the vendor the issue is about;
- comment: anyone who may see the issue (internal roles, staff of its vendor);
- move: operators (BPO manager, operations specialist) make every move; the vendor's staff only gather
  information and bring the issue to discussion; nobody else moves it;
- owners: operators only.

Every write is atomic, leaves a thread entry (who, when, what) and, for the issue itself, its history.
The issue waits for an answer from the side that did not raise it: the first comment or move from that
side stamps `first_response_at`, once, which stops the escalation clock.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bporeg.access import OPERATORS, is_internal, is_manager, runs_operations, staff_vendor_id
from bporeg.uploads import validate_upload
from costs.models import Invoice
from kpis.models import Measurement, SLATarget, Status
from relationship.models import (
    RESOLUTION_TIME,
    RESPONSE_TIME,
    Issue,
    IssueCategory,
    IssueComment,
    IssueState,
    Severity,
    Side,
)
from relationship.models.issues import CommentKind
from reviews.models import ActionItem, Audit

State = IssueState
# The conflict-resolution process: where an issue may go from each step. Mediation is the optional
# detour when discussion does not reach agreement; an agreement that does not hold goes back to discussion.
MOVES = {
    State.IDENTIFIED: (State.INFORMATION_GATHERED,),
    State.INFORMATION_GATHERED: (State.DISCUSSED,),
    State.DISCUSSED: (State.AGREED, State.MEDIATION),
    State.MEDIATION: (State.AGREED,),
    State.AGREED: (State.RESOLVED, State.DISCUSSED),
    State.RESOLVED: (),
}
# The vendor's staff may move their own issue this far; agreeing and resolving are ours to record.
VENDOR_MOVES = {
    (State.IDENTIFIED, State.INFORMATION_GATHERED),
    (State.INFORMATION_GATHERED, State.DISCUSSED),
}

# Each kind of source (each has its own `vendor`), with what to call it in a message.
SOURCE_MODELS = {
    "measurement": (Measurement, "KPI measurement"),
    "audit": (Audit, "audit"),
    "action_item": (ActionItem, "action item"),
    "invoice": (Invoice, "invoice"),
}


def may_link(user, name) -> bool:
    """Invoices show money: only the BPO manager and the vendor's own staff link an issue to one."""
    return name != "invoice" or is_manager(user) or staff_vendor_id(user) is not None


def person(user) -> str:
    return user.get_full_name() or user.username


def may_see(user, issue) -> bool:
    return is_internal(user) or staff_vendor_id(user) == issue.vendor_id


def may_move(user, issue, to) -> bool:
    if runs_operations(user):
        return True
    return staff_vendor_id(user) == issue.vendor_id and (issue.state, to) in VENDOR_MOVES


def allowed_moves(issue, user) -> list[IssueState]:
    """The steps this user may take the issue to next, in process order (for the issue page)."""
    return [State(to) for to in MOVES[State(issue.state)] if may_move(user, issue, to)]


def answers_for_awaiting_side(issue, user) -> bool:
    """Does this user speak for the side the issue waits for? For an issue the vendor raised, our answer
    comes from an operator or the issue's own internal owner; for one we raised, from the vendor's staff."""
    if issue.raised_side == Side.VENDOR:
        return runs_operations(user) or user.pk == issue.internal_owner_id
    return staff_vendor_id(user) == issue.vendor_id


def _record_answer(issue, by, at):
    # A conditional UPDATE: of two answers crossing, only the first stamps the time.
    if issue.first_response_at is not None or not answers_for_awaiting_side(issue, by):
        return
    unanswered = Issue.objects.filter(pk=issue.pk, first_response_at__isnull=True)
    if unanswered.update(first_response_at=at, updated_at=at):
        issue.first_response_at = at


def _check_attachment(attachment):
    if attachment:
        try:
            validate_upload(attachment)
        except ValidationError as error:
            raise ValidationError({"attachment": error.messages}) from error


def _required(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    return value


def is_breach(measurement) -> bool:
    """Did this measurement breach a target of its vendor's SLAs in force in its period?"""
    targets = (
        SLATarget.objects.filter(sla__vendor_id=measurement.vendor_id, kpi_id=measurement.kpi_id)
        .in_force_on(measurement.period)
        .select_related("kpi")
    )
    return any(target.judge(measurement.value) == Status.BREACHED for target in targets)


def _source_fields(*, vendor, by, source) -> dict:
    """{field: source} for the issue, once the source is shown to be the vendor's and the raiser's to see."""
    if source is None:
        return {}
    name = next((name for name, (model, *_) in SOURCE_MODELS.items() if isinstance(source, model)), None)
    if name is None:
        raise ValidationError("An issue comes from a KPI breach, an audit, an action item or an invoice.")
    model, label = SOURCE_MODELS[name]
    if not may_link(by, name):
        raise ValidationError("Only a BPO manager may link an issue to an invoice: invoices show money.")
    visible = model.objects.visible_to(by).filter(pk=source.pk)
    if not visible.exists():
        raise ValidationError(f"You cannot see this {label}, so you cannot raise an issue from it.")
    if not visible.filter(vendor_id=vendor.pk).exists():
        raise ValidationError(f"This {label} belongs to another vendor than {vendor}.")
    if name == "measurement" and not is_breach(source):
        raise ValidationError("This measurement did not breach its target: only a KPI breach can be linked.")
    return {name: source}


def operators():
    return get_user_model().objects.filter(profile__role__in=OPERATORS, is_active=True)


def vendor_staff(vendor):
    return get_user_model().objects.filter(profile__vendor=vendor, is_active=True)


def _check_owners(vendor, internal_owner, vendor_owner):
    errors = {}
    if internal_owner is not None and not runs_operations(internal_owner):
        errors["internal_owner"] = "Our owner must be a BPO manager or an operations specialist."
    if vendor_owner is not None and staff_vendor_id(vendor_owner) != vendor.pk:
        errors["vendor_owner"] = f"The vendor's owner must be one of {vendor}'s staff."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def issue_raise(
    *,
    vendor,
    by,
    title,
    description,
    category,
    severity,
    source=None,
    internal_owner=None,
    vendor_owner=None,
    attachment=None,
) -> Issue:
    if not (is_internal(by) or staff_vendor_id(by) == vendor.pk):
        raise PermissionDenied("Only our people, or the vendor's own staff, may raise an issue about it.")
    if internal_owner is not None and not runs_operations(by):
        raise PermissionDenied("Only a BPO manager or an operations specialist names our owner.")
    title = _required(title, "title", "Say in a line what went wrong.")
    description = _required(description, "description", "Describe what happened.")
    if category not in IssueCategory.values:
        raise ValidationError({"category": "Choose a category."}, code="invalid")
    if severity not in Severity.values:
        raise ValidationError({"severity": "Choose a severity."}, code="invalid")
    sources = _source_fields(vendor=vendor, by=by, source=source)
    if internal_owner is None and vendor.owner_id and runs_operations(vendor.owner):
        internal_owner = vendor.owner
    side = Side.INTERNAL if is_internal(by) else Side.VENDOR
    if vendor_owner is None and side == Side.VENDOR:
        vendor_owner = by
    _check_owners(vendor, internal_owner, vendor_owner)
    _check_attachment(attachment)
    now = timezone.now()
    issue = Issue(
        vendor=vendor,
        title=title,
        description=description,
        category=category,
        severity=severity,
        raised_by=by,
        raised_side=side,
        raised_at=now,
        internal_owner=internal_owner,
        vendor_owner=vendor_owner,
        response_due_at=now + RESPONSE_TIME[Severity(severity)],
        resolution_due_at=now + RESOLUTION_TIME[Severity(severity)],
        **sources,
    )
    issue._history_user = by
    issue.save()
    IssueComment.objects.create(
        issue=issue, author=by, body=description, attachment=attachment or "", created_at=now
    )
    return issue


@transaction.atomic
def issue_comment(*, issue, by, body, attachment=None) -> IssueComment:
    if not may_see(by, issue):
        raise PermissionDenied("Only our people, or the vendor's own staff, may write in this thread.")
    body = _required(body, "body", "Write a comment.")
    _check_attachment(attachment)
    comment = IssueComment.objects.create(issue=issue, author=by, body=body, attachment=attachment or "")
    _record_answer(issue, by, comment.created_at)
    return comment


def _move_body(*, by, old, new, issue, previous_agreement, note):
    lines = [f"{person(by)} moved the issue from “{old.label}” to “{new.label}”."]
    if new == State.AGREED:
        lines.append(f"Agreed: {issue.agreement}")
    if new == State.MEDIATION:
        lines.append(f"Mediator: {issue.mediator}")
    if previous_agreement:
        lines.append(f"The agreement that did not hold: {previous_agreement}")
    if note:
        lines.append(note)
    return "\n".join(lines)


@transaction.atomic
def issue_move(*, issue, by, to, agreement="", mediator="", note="") -> Issue:
    if not may_see(by, issue):
        raise PermissionDenied("Only our people, or the vendor's own staff, may move this issue.")
    # Locked, so two moves from the same step cannot both pass the check below.
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    old = State(locked.state)
    if to not in State.values:
        raise ValidationError({"to": "Choose a step of the process."}, code="invalid")
    new = State(to)
    if new not in MOVES[old]:
        raise ValidationError(f"An issue in “{old.label}” cannot go to “{new.label}”.", code="invalid_move")
    if not may_move(by, locked, new):
        who = "a BPO manager or an operations specialist"
        if (old, new) in VENDOR_MOVES:
            who += ", or the vendor's staff,"
        raise PermissionDenied(f"Only {who} may move an issue to “{new.label}”.")
    now, previous_agreement = timezone.now(), ""
    if new == State.AGREED:
        locked.agreement = _required(agreement, "agreement", "Write down the solution both sides agreed.")
    elif new == State.MEDIATION:
        locked.mediator = _required(mediator, "mediator", "Name the mediator.")
    elif new == State.RESOLVED:
        locked.resolved_at, locked.resolved_by = now, by
    elif old == State.AGREED:
        # Back to discussion: the failed agreement stays in the history and the thread, not on the issue.
        previous_agreement, locked.agreement = locked.agreement, ""
    locked.state = new
    locked._history_user = by
    locked.save()
    body = _move_body(
        by=by, old=old, new=new, issue=locked, previous_agreement=previous_agreement, note=note.strip()
    )
    IssueComment.objects.create(issue=locked, kind=CommentKind.STATE, author=by, body=body, created_at=now)
    _record_answer(locked, by, now)
    return locked


@transaction.atomic
def issue_set_owners(*, issue, by, internal_owner, vendor_owner) -> Issue:
    if not runs_operations(by):
        raise PermissionDenied("Only a BPO manager or an operations specialist may name an issue's owners.")
    locked = Issue.objects.select_for_update().select_related("vendor").get(pk=issue.pk)
    _check_owners(locked.vendor, internal_owner, vendor_owner)
    if (locked.internal_owner, locked.vendor_owner) == (internal_owner, vendor_owner):
        return locked
    locked.internal_owner, locked.vendor_owner = internal_owner, vendor_owner
    locked._history_user = by
    locked.save(update_fields=["internal_owner", "vendor_owner", "updated_at"])
    ours = person(internal_owner) if internal_owner else "nobody"
    theirs = person(vendor_owner) if vendor_owner else "nobody"
    IssueComment.objects.create(
        issue=locked,
        kind=CommentKind.OWNERS,
        author=by,
        body=f"{person(by)} named the owners: {ours} on our side, {theirs} on {locked.vendor}'s side.",
    )
    return locked

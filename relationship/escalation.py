"""The escalation job: an issue not answered in time goes up one escalation level, automatically.

`escalate_unanswered(now)` is a plain function of the database, run by Celery beat every 15 minutes.
Each issue still waiting for its first answer past `response_due_at` climbs one level (1 day-to-day,
2 management, 3 executive, never further), and the new level gets the severity's response time again,
capped at the resolution time (the database requires the answer to be due before the resolution). Each
step writes a thread entry naming who was told, emails the vendor's current contacts at the new level on
both sides, and alerts the people who run the partnership in the app and by email.

A run claims its issues with SELECT … FOR UPDATE SKIP LOCKED and moves them in the same transaction: a
second run at the same time skips the locked rows, and one that comes after sees their new response
time and leaves them alone. A run hours late moves each issue one level; the next run, 15 minutes on,
the next one. The whole run costs the same queries for one issue or a thousand.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.utils import bulk_update_with_history

from accounts.models import Profile, Role
from alerts import registry
from alerts.registry import Due
from alerts.services import raise_alerts, schedule_delivery
from bporeg.access import OPERATORS
from relationship.models import RESPONSE_TIME, Issue, IssueComment
from relationship.models.issues import CommentKind
from vendors.models import Contact, ContactSide, EscalationLevel

logger = logging.getLogger(__name__)

ISSUE_ESCALATED = registry.event("issue_escalated", label="Issue escalated: not answered in time")
# SMTP errors are OSError subclasses; ValueError covers a malformed address.
SEND_ERRORS = (OSError, ValueError)


@dataclass
class People:
    """Active people by role, in one query: who hears of an escalation on our side and the vendor's."""

    managers: list[int] = field(default_factory=list)
    operators: list[int] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)
    staff: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls) -> "People":
        people = cls()
        rows = (
            Profile.objects.filter(user__is_active=True)
            .order_by("user_id")
            .values_list("user_id", "role", "vendor_id")
        )
        for user_id, role, vendor_id in rows:
            people.roles[user_id] = role
            if role == Role.MANAGER:
                people.managers.append(user_id)
            if role in OPERATORS:
                people.operators.append(user_id)
            elif role == Role.VENDOR_STAFF:
                people.staff[vendor_id].append(user_id)
        return people

    def our_side(self, issue) -> list[int]:
        """The issue's internal owner and the vendor's owner when they run operations; with neither,
        every manager and operations specialist. The executive level adds every manager."""
        owners = [issue.internal_owner_id]
        if self.roles.get(issue.vendor.owner_id) in OPERATORS:
            owners.append(issue.vendor.owner_id)
        told = [pk for pk in owners if pk is not None] or list(self.operators)
        if issue.escalation_level == EscalationLevel.EXECUTIVE:
            told += self.managers
        return list(dict.fromkeys(told))

    def recipients(self, issue) -> list[int]:
        return [*self.our_side(issue), *self.staff.get(issue.vendor_id, ())]


def _contacts_by_level(issues) -> dict[tuple[int, int], list[Contact]]:
    """{(vendor, level): current contacts with an email, the vendor's first}, in one query."""
    contacts = defaultdict(list)
    rows = (
        Contact.objects.current()
        .filter(vendor_id__in={issue.vendor_id for issue in issues})
        .exclude(email="")
        .order_by("-side", "name", "pk")
    )
    for contact in rows:
        contacts[(contact.vendor_id, contact.escalation_level)].append(contact)
    return contacts


def _climb(issue, now):
    """One level up; the new level has the severity's response time, within the resolution time."""
    issue.escalation_level += 1
    issue.escalated_at = now
    issue.response_due_at = min(now + RESPONSE_TIME[issue.severity], issue.resolution_due_at)


def _told(contacts) -> str:
    sides = {ContactSide.INTERNAL: "ours", ContactSide.VENDOR: "vendor"}
    return ", ".join(f"{contact.name} ({sides[contact.side]})" for contact in contacts)


def _entry(issue, contacts) -> IssueComment:
    level = issue.get_escalation_level_display()
    due = date_format(timezone.localtime(issue.response_due_at), "j F Y H:i")
    if contacts:
        told = f"Told: {_told(contacts)}."
    else:
        told = "No current contact at this level has an email: add one on the vendor page."
    return IssueComment(
        issue=issue,
        kind=CommentKind.ESCALATION,
        author=None,
        body=f"Not answered in time: escalated to level {level}. {told} Next answer due by {due}.",
        created_at=issue.escalated_at,
    )


def _alert(issue, comment, people) -> Due:
    level = issue.get_escalation_level_display()
    return Due(
        kind=ISSUE_ESCALATED,
        subject=comment,
        due_on=timezone.localdate(issue.escalated_at),
        recipients=people.recipients(issue),
        title=f"{issue.vendor.name}: {issue.reference} “{issue.title}” escalated to level {level}",
        message=f"Nobody answered it in time. {comment.body} Answer in the issue's thread.",
        link=issue.get_absolute_url(),
        vendor_id=issue.vendor_id,
    )


def _email(issue, comment, contact):
    context = {"issue": issue, "contact": contact, "url": settings.SITE_URL + issue.get_absolute_url()}
    message = EmailMultiAlternatives(
        subject=" ".join(render_to_string("relationship/email/escalated_subject.txt", context).split()),
        body=render_to_string("relationship/email/escalated_body.txt", context),
        to=[contact.email],
        # The same step and contact always make the same Message-ID: a resend is recognisably the same.
        headers={"Message-ID": f"<issue-escalation-{comment.pk}-{contact.pk}@bporeg>"},
    )
    message.attach_alternative(
        render_to_string("relationship/email/escalated_body.html", context), "text/html"
    )
    return message


def _send(messages):
    """Once the steps are committed: the emails to the contacts, over one connection to the mail server.
    A failure is logged; the thread entry already names who should have been told."""
    try:
        with get_connection() as connection:
            connection.send_messages(messages)
    except SEND_ERRORS:
        logger.warning("Escalation emails to %s contacts failed.", len(messages), exc_info=True)


@transaction.atomic
def escalate_unanswered(now) -> int:
    """Move every issue not answered by its response time up one level; returns how many moved."""
    issues = list(
        Issue.objects.unanswered_past_due(now)
        .select_related("vendor")
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
    )
    if not issues:
        return 0
    for issue in issues:
        _climb(issue, now)
    bulk_update_with_history(
        issues,
        Issue,
        ["escalation_level", "escalated_at", "response_due_at"],
        default_date=now,
        default_change_reason="Not answered in time",
    )
    contacts = _contacts_by_level(issues)
    told = [contacts.get((issue.vendor_id, issue.escalation_level), []) for issue in issues]
    comments = IssueComment.objects.bulk_create(
        [_entry(issue, to) for issue, to in zip(issues, told, strict=True)]
    )
    people = People.load()
    raise_alerts(_alert(issue, comment, people) for issue, comment in zip(issues, comments, strict=True))
    schedule_delivery()
    emails = [
        _email(issue, comment, contact)
        for issue, comment, to in zip(issues, comments, told, strict=True)
        for contact in to
    ]
    if emails:
        transaction.on_commit(lambda: _send(emails), robust=True)
    return len(issues)

"""Writes to governance meetings: recording one, editing it, and adding the action items it creates.

The manager, operations specialists (who run the day-to-day with the vendor) and project managers
record meetings; the services check the role themselves, whatever door the call came through. Everyone
who attended may read the record, so attendees are internal people or the vendor's own staff: another
vendor's staff would be listed on a page they can never open. A linked review must be the vendor's own.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Role, internal_people
from bporeg.access import role_of
from reviews.models import ActionItem, Meeting

# Who records and edits meetings and adds their action items.
MEETING_RECORDERS = (Role.MANAGER, Role.OPERATIONS, Role.PROJECT_MANAGER)
MEETING_FIELDS = (
    "kind",
    "title",
    "held_at",
    "location",
    "review",
    "other_attendees",
    "agenda",
    "minutes",
    "decisions",
)


def can_record_meetings(user) -> bool:
    return role_of(user) in MEETING_RECORDERS


def require_meeting_recorder(user) -> None:
    if not can_record_meetings(user):
        raise PermissionDenied(
            "Only a BPO manager, an operations specialist or a project manager records meetings."
        )


def attendees_allowed(vendor):
    """The people who may be listed as attendees of a meeting with `vendor`, as a user filter."""
    users = get_user_model().objects
    return users.filter(internal_people()) | users.filter(
        profile__role=Role.VENDOR_STAFF, profile__vendor=vendor
    )


def _check(vendor, fields, attendees):
    review = fields.get("review")
    if review is not None and review.vendor_id != vendor.pk:
        raise ValidationError({"review": f"That review is of {review.vendor}, not of {vendor}."})
    if not (fields.get("title") or "").strip():
        raise ValidationError({"title": "Give the meeting a title."})
    ids = {user.pk for user in attendees}
    refused = get_user_model().objects.filter(pk__in=ids).exclude(pk__in=attendees_allowed(vendor))
    if refused:
        names = ", ".join(sorted(user.get_full_name() or user.username for user in refused))
        raise ValidationError(
            {"attendees": f"Attendees are internal people or {vendor}'s own staff; not {names}."}
        )


@transaction.atomic
def meeting_record(*, vendor, by, attendees=(), **fields):
    """Record a meeting held with `vendor`: `fields` are any of MEETING_FIELDS."""
    require_meeting_recorder(by)
    if vendor.is_archived:
        raise ValidationError(f"{vendor} is archived: restore it to record a meeting.")
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    _check(vendor, fields, attendees)
    meeting = Meeting(vendor=vendor, created_by=by, **fields)
    meeting._history_user = by
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def meeting_update(*, meeting, by, attendees, **fields):
    """Change what was recorded; the meeting's history keeps every earlier version."""
    require_meeting_recorder(by)
    meeting = Meeting.objects.select_for_update().select_related("vendor").get(pk=meeting.pk)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    _check(meeting.vendor, {"title": meeting.title, **fields}, attendees)
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting._history_user = by
    meeting.save()
    meeting.attendees.set(attendees)
    return meeting


@transaction.atomic
def meeting_add_action_item(*, meeting, by, title, owner, owner_name, due_date):
    """An action item agreed in the meeting; it is followed up as a review's items are."""
    require_meeting_recorder(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    item = ActionItem(
        vendor_id=meeting.vendor_id,
        meeting=meeting,
        title=title,
        owner=owner,
        owner_name=owner_name,
        due_date=due_date,
    )
    item._history_user = by
    item.save()
    return item

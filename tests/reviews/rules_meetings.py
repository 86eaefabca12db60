"""Who may open each governance-meeting URL. The meeting belongs to vendor A; staff of B get 404.

Operators (manager, operations) and project managers record and edit meetings; QA and vendor A's staff
read them. Progress on the meeting's action item goes through `reviews:action_item_update`, whose rule
is in access_rules.py; tests/reviews/test_meetings.py covers it for meeting items.
"""

from reviews.models import Owner
from tests.access import ANY_ROLE, MANAGER_ONLY, VENDOR_A, Rule
from tests.reviews.factories import ActionItemFactory, MeetingFactory

RECORDERS = {**MANAGER_ONLY, "ops": 200, "pm": 200}
RECORDERS_REDIRECT = {**RECORDERS, "manager": 302, "ops": 302, "pm": 302}


def setup(world):
    world.meeting = MeetingFactory(
        vendor=world.vendor_a, created_by=world.ops, attendees=[world.ops, world.staff_a]
    )
    world.meeting_item = ActionItemFactory(review=None, meeting=world.meeting, owner=Owner.VENDOR)


def meeting(world):
    return {"pk": world.meeting.pk}


RULES = {
    "reviews:meeting_list": Rule(ANY_ROLE),
    "reviews:meeting_create": Rule(RECORDERS, query="?vendor=acme-support"),
    "reviews:meeting_detail": Rule(VENDOR_A, kwargs=meeting),
    "reviews:meeting_edit": Rule(RECORDERS, kwargs=meeting),
    "reviews:meeting_action_item_add": Rule(
        RECORDERS_REDIRECT,
        kwargs=meeting,
        method="post",
        data=lambda world: {
            "title": "Send the revised forecast",
            "owner": "vendor",
            "due_date": "2026-12-01",
        },
    ),
}

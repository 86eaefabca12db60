"""Governance meetings: recorded with attendees, minutes and decisions; their action items are followed up
like a review's, by the same people, and show up in the same overdue alerts and portfolio facts."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from alerts.due_tasks import due_action_item_overdue
from portfolio.facts import gather
from reviews.meetings import meeting_add_action_item, meeting_record, meeting_update
from reviews.models import ActionItem, ActionItemStatus, Meeting, MeetingKind, Owner, ReviewStatus
from reviews.selectors import prepare_review_pack
from tests.factories import make_user
from tests.reviews.factories import ActionItemFactory, MeetingFactory, ReviewFactory

TODAY = date(2026, 11, 10)
HELD = datetime(2026, 11, 5, 9, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime(2026, 11, 10, 12, 0, tzinfo=UTC), tick=False):
        yield


def record(vendor, by, **fields):
    return meeting_record(
        vendor=vendor,
        by=by,
        **{"kind": MeetingKind.MONTHLY_REVIEW, "title": "October review", "held_at": HELD, **fields},
    )


def test_a_meeting_keeps_attendees_minutes_decisions_and_its_history(ops, manager, staff_a, vendor_a):
    review = ReviewFactory(vendor=vendor_a)
    meeting = record(
        vendor_a,
        ops,
        review=review,
        attendees=[manager, staff_a],
        other_attendees="Dana (site lead)\n\n",
        minutes="AHT up 8% after the tariff change.",
        decisions="Refresh billing scripts by 30 Nov.",
    )
    assert set(meeting.attendees.all()) == {manager, staff_a}
    assert meeting.other_attendee_names() == ["Dana (site lead)"]
    meeting_update(meeting=meeting, by=manager, attendees=[manager], minutes="AHT up 9%.", title="Oct")
    meeting.refresh_from_db()
    assert (meeting.title, meeting.minutes, meeting.decisions) == ("Oct", "AHT up 9%.", meeting.decisions)
    assert list(meeting.attendees.all()) == [manager]
    minutes = {entry.minutes for entry in meeting.history.all()}
    assert {"AHT up 8% after the tariff change.", "AHT up 9%."} <= minutes
    assert {entry.history_user for entry in meeting.history.all()} == {ops, manager}


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("manager", True), ("ops", True), ("pm", True), ("qa", False), ("staff_a", False)],
)
def test_operators_and_project_managers_record_and_edit_qa_and_vendor_staff_do_not(
    request, vendor_a, persona, allowed
):
    user = request.getfixturevalue(persona)
    meeting = MeetingFactory(vendor=vendor_a)
    if allowed:
        record(vendor_a, user)
        meeting_update(meeting=meeting, by=user, attendees=[], minutes="Noted.")
        meeting_add_action_item(
            meeting=meeting, by=user, title="Send forecast", owner=Owner.VENDOR, owner_name="", due_date=TODAY
        )
        assert Meeting.objects.count() == 2 and meeting.action_items.count() == 1
        return
    with pytest.raises(PermissionDenied):
        record(vendor_a, user)
    with pytest.raises(PermissionDenied):
        meeting_update(meeting=meeting, by=user, attendees=[], minutes="Noted.")
    with pytest.raises(PermissionDenied):
        meeting_add_action_item(
            meeting=meeting, by=user, title="Send forecast", owner=Owner.VENDOR, owner_name="", due_date=TODAY
        )
    assert Meeting.objects.count() == 1 and not meeting.action_items.exists()


def test_qa_and_vendor_staff_read_but_get_no_forms(client_for, qa, staff_a, vendor_a):
    meeting = MeetingFactory(vendor=vendor_a, minutes="Agreed a new forecast cadence.")
    for user in (qa, staff_a):
        client = client_for(user)
        page = client.get(meeting.get_absolute_url())
        assert page.status_code == 200 and "Agreed a new forecast cadence." in page.text
        assert reverse("reviews:meeting_edit", args=[meeting.pk]) not in page.text
        assert reverse("reviews:meeting_action_item_add", args=[meeting.pk]) not in page.text
        edit = client.post(reverse("reviews:meeting_edit", args=[meeting.pk]), {"title": "Changed"})
        assert edit.status_code == 403
    assert Meeting.objects.get().title == meeting.title


def test_another_vendors_staff_cannot_attend_and_the_review_must_be_the_vendors(
    client_for, ops, staff_a, staff_b, vendor_a, vendor_b
):
    with pytest.raises(ValidationError) as refused:
        record(vendor_a, ops, attendees=[staff_a, staff_b])
    assert "Acme Support's own staff" in str(refused.value) and "staff-b" in str(refused.value)
    outsider = make_user("olive")
    with pytest.raises(ValidationError):
        record(vendor_a, ops, attendees=[outsider])
    with pytest.raises(ValidationError) as wrong_review:
        record(vendor_a, ops, review=ReviewFactory(vendor=vendor_b))
    assert "not of Acme Support" in str(wrong_review.value)
    response = client_for(ops).post(
        reverse("reviews:meeting_create") + f"?vendor={vendor_a.slug}",
        {"kind": "monthly_review", "title": "Oct", "held_at": "2026-11-05T10:00", "attendees": [staff_b.pk]},
    )
    assert response.status_code == 400
    assert "internal people or Acme Support&#x27;s own staff" in response.text
    assert not Meeting.objects.exists()


def test_recording_from_the_review_page_prefills_and_saves(client_for, ops, manager, staff_a, vendor_a):
    review = ReviewFactory(vendor=vendor_a)
    client = client_for(ops)
    assert "Record the meeting" in client.get(review.get_absolute_url()).text
    url = reverse("reviews:meeting_create") + f"?vendor={vendor_a.slug}&review={review.pk}"
    form = client.get(url)
    assert form.context["form"]["title"].value() == "Monthly review · October 2026"
    assert form.context["form"]["review"].value() == review.pk
    response = client.post(
        url,
        {
            "kind": "monthly_review",
            "title": "Monthly review · October 2026",
            "held_at": "2026-11-05T10:00",
            "location": "https://meet.example/acme",
            "review": review.pk,
            "attendees": [manager.pk, staff_a.pk],
            "minutes": "Volumes on forecast.",
            "decisions": "Keep staffing.",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response.url == meeting.get_absolute_url()
    assert (meeting.vendor, meeting.review, meeting.created_by) == (vendor_a, review, ops)
    page = client_for(staff_a).get(meeting.get_absolute_url())
    assert "Volumes on forecast." in page.text and "Keep staffing." in page.text
    assert "October 2026 review" in page.text and "Maya Brennan" in page.text


def test_meeting_items_show_on_it_and_vendor_staff_update_their_own(
    client_for, ops, staff_a, staff_b, vendor_a
):
    meeting = MeetingFactory(vendor=vendor_a, attendees=[staff_a])
    response = client_for(ops).post(
        reverse("reviews:meeting_action_item_add", args=[meeting.pk]),
        {
            "title": "Send the revised forecast",
            "owner": "vendor",
            "owner_name": "Team lead",
            "due_date": "2026-11-30",
        },
    )
    assert response.status_code == 302 and response.url.endswith("#action-items")
    ours = ActionItem.objects.get()
    assert (ours.meeting, ours.review, ours.vendor) == (meeting, None, vendor_a)
    internal = ActionItemFactory(review=None, meeting=meeting, owner=Owner.INTERNAL, title="Share the KB")
    client = client_for(staff_a)
    page = client.get(meeting.get_absolute_url())
    assert "Send the revised forecast" in page.text and "Share the KB" in page.text
    assert reverse("reviews:action_item_update", args=[ours.pk]) in page.text
    assert reverse("reviews:action_item_update", args=[internal.pk]) not in page.text
    data = {"status": "in_progress", "progress_comment": "Draft sent"}
    updated = client.post(reverse("reviews:action_item_update", args=[ours.pk]), data)
    assert updated.status_code == 302 and updated.url == f"{meeting.get_absolute_url()}#action-items"
    assert client.post(reverse("reviews:action_item_update", args=[internal.pk]), data).status_code == 403
    row = client.post(reverse("reviews:action_item_update", args=[ours.pk]), data, HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and b"Saved" in row.content
    assert dict(ActionItem.objects.values_list("title", "status")) == {
        "Send the revised forecast": "in_progress",
        "Share the KB": "open",
    }
    other = client_for(staff_b)
    assert other.get(meeting.get_absolute_url()).status_code == 404
    assert other.post(reverse("reviews:action_item_update", args=[ours.pk]), data).status_code == 404


def test_overdue_meeting_items_count_in_alerts_the_portfolio_and_the_review_pack(vendor_a, staff_a):
    meeting = MeetingFactory(vendor=vendor_a, title="QBR Q3", kind=MeetingKind.QUARTERLY_BUSINESS_REVIEW)
    late = ActionItemFactory(
        review=None, meeting=meeting, title="Late from QBR", due_date=TODAY - timedelta(days=1)
    )
    ActionItemFactory(
        review=None, meeting=meeting, due_date=TODAY - timedelta(days=1), status=ActionItemStatus.DONE
    )
    review = ReviewFactory(vendor=vendor_a, period_start=date(2026, 9, 1), period_end=date(2026, 9, 30))
    ActionItemFactory(review=review, title="Late from review", due_date=TODAY - timedelta(days=3))
    superseded = ReviewFactory(
        vendor=vendor_a,
        period_start=date(2026, 8, 1),
        period_end=date(2026, 8, 31),
        status=ReviewStatus.SUPERSEDED,
    )
    ActionItemFactory(review=superseded, due_date=TODAY - timedelta(days=1))

    [due] = [due for due in due_action_item_overdue(TODAY) if due.subject == late]
    assert due.recipients == [staff_a.pk] and due.link == f"{meeting.get_absolute_url()}#action-items"
    assert "From the meeting “QBR Q3” of 5 Nov 2026." in due.message
    assert sorted(d.subject.title for d in due_action_item_overdue(TODAY)) == [
        "Late from QBR",
        "Late from review",
    ]

    facts = gather([vendor_a], TODAY)[vendor_a.pk]
    assert (facts.actions_overdue, facts.oldest_action_due) == (2, TODAY - timedelta(days=3))

    current = ReviewFactory(vendor=vendor_a, period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    overdue = prepare_review_pack(current, today=TODAY)["overdue_actions"]
    assert {(a["title"], a["review"]) for a in overdue} == {
        ("Late from QBR", "QBR Q3 (5 Nov 2026)"),
        ("Late from review", "September 2026"),
    }


def test_an_action_item_belongs_to_exactly_one_review_or_meeting(vendor_a):
    review = ReviewFactory(vendor=vendor_a)
    meeting = MeetingFactory(vendor=vendor_a)
    fields = {"vendor": vendor_a, "title": "Orphan", "owner": Owner.VENDOR, "due_date": TODAY}
    for parents in ({}, {"review": review, "meeting": meeting}):
        with pytest.raises(IntegrityError, match="action_item_from_review_or_meeting"), transaction.atomic():
            ActionItem.objects.create(**fields, **parents)
    with pytest.raises(IntegrityError, match="meeting_title_not_empty"), transaction.atomic():
        MeetingFactory(vendor=vendor_a, title="  ")
    assert not ActionItem.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_gives_existing_review_items_their_vendor():
    before, after = [("reviews", "0002_internal_roles_own_risks")], [("reviews", "0003_meetings")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        vendor = old.get_model("vendors", "Vendor").objects.create(name="Old Co", slug="old-co")
        review = old.get_model("reviews", "Review").objects.create(
            vendor_id=vendor.pk,
            cadence="monthly",
            period_start=date(2026, 9, 1),
            period_end=date(2026, 9, 30),
        )
        item = old.get_model("reviews", "ActionItem").objects.create(
            review_id=review.pk, title="Coach", owner="vendor", due_date=TODAY
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        assert new.get_model("reviews", "ActionItem").objects.get(pk=item.pk).vendor_id == vendor.pk
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_list_filters_and_shows_vendor_staff_only_their_vendor(
    client_for, manager, staff_a, vendor_a, vendor_b
):
    MeetingFactory(vendor=vendor_a, title="Acme October", held_at=HELD)
    MeetingFactory(
        vendor=vendor_a,
        title="Acme QBR",
        kind=MeetingKind.QUARTERLY_BUSINESS_REVIEW,
        held_at=HELD - timedelta(days=40),
    )
    MeetingFactory(vendor=vendor_b, title="Other vendor's review", held_at=HELD - timedelta(hours=1))

    def titles(user, query=""):
        page = client_for(user).get(reverse("reviews:meeting_list") + query)
        return [meeting.title for meeting in page.context["page"]]

    assert titles(manager) == ["Acme October", "Other vendor's review", "Acme QBR"]
    assert titles(manager, f"?vendor={vendor_b.pk}") == ["Other vendor's review"]
    assert titles(manager, "?kind=quarterly_business_review") == ["Acme QBR"]
    assert titles(manager, "?held_from=2026-11-01&held_to=2026-11-30") == [
        "Acme October",
        "Other vendor's review",
    ]
    assert titles(staff_a) == ["Acme October", "Acme QBR"]
    assert titles(staff_a, f"?vendor={vendor_b.pk}") == ["Acme October", "Acme QBR"]


def test_the_vendor_page_lists_its_last_meetings(client_for, manager, staff_a, vendor_a, vendor_b):
    MeetingFactory(vendor=vendor_a, title="Acme October")
    MeetingFactory(vendor=vendor_b, title="Not Acme's")
    for user in (manager, staff_a):
        page = client_for(user).get(vendor_a.get_absolute_url())
        assert "Acme October" in page.text and "Not Acme's" not in page.text


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_takes_the_same_queries_for_1_and_20_meetings(
    client_for, manager, staff_a, vendor_a, count, django_assert_num_queries
):
    review = ReviewFactory(vendor=vendor_a)
    for _ in range(count):
        meeting = MeetingFactory(vendor=vendor_a, review=review, attendees=[manager, staff_a])
        ActionItemFactory(review=None, meeting=meeting)
    client = client_for(manager)
    with django_assert_num_queries(6):
        response = client.get(reverse("reviews:meeting_list"))
    assert len(response.context["page"]) == count

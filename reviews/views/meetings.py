"""Governance meetings: the list, the record of one (attendees, minutes, decisions, action items),
recording and editing it, and adding its action items. Progress on the items goes through the action
item view the review page uses."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from bporeg.access import EVERYONE, is_internal, role_required
from reviews import services
from reviews.filters import MeetingFilter
from reviews.forms import ActionItemForm, ActionItemProgressForm
from reviews.meeting_forms import MeetingForm, VendorPickForm
from reviews.meetings import (
    MEETING_RECORDERS,
    can_record_meetings,
    meeting_add_action_item,
    meeting_record,
    meeting_update,
)
from reviews.models import ActionItemStatus, Meeting, MeetingKind, Review
from vendors.models import ReviewCadence, Vendor

PAGE_SIZE = 25


def _meeting(request, pk):
    attendees = get_user_model().objects.select_related("profile").order_by("first_name", "last_name")
    meetings = (
        Meeting.objects.visible_to(request.user)
        .select_related("vendor", "review", "created_by")
        .prefetch_related(Prefetch("attendees", queryset=attendees))
    )
    return get_object_or_404(meetings, pk=pk)


@role_required(*EVERYONE)
def meeting_list(request):
    internal = is_internal(request.user)
    meeting_filter = MeetingFilter(
        request.GET, queryset=Meeting.objects.visible_to(request.user), request=request, internal=internal
    )
    unfinished = Q(action_items__status__in=[ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS])
    meetings = meeting_filter.qs.select_related("vendor", "review").annotate(
        attendee_count=Count("attendees", distinct=True),
        open_items=Count("action_items", filter=unfinished, distinct=True),
    )
    page = Paginator(meetings.order_by("-held_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": meeting_filter, "page": page, "can_record": can_record_meetings(request.user)}
    return render(request, "reviews/meeting_list.html", context)


def _detail_context(request, meeting, **forms):
    items = list(meeting.action_items.all())
    for item in items:
        item.can_update = services.can_update_action_item(request.user, item)
    context = {
        "meeting": meeting,
        "items": items,
        "today": timezone.localdate(),
        "can_record": can_record_meetings(request.user),
        "item_form": ActionItemForm(),
        "progress_choices": ActionItemProgressForm.base_fields["status"].choices,
    }
    context.update(forms)
    return context


@role_required(*EVERYONE)
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    return render(request, "reviews/meeting_detail.html", _detail_context(request, meeting))


def _prefill(review):
    """A meeting recorded from a review's page is that review's meeting."""
    if review is None:
        return {}
    quarterly = review.cadence == ReviewCadence.QUARTERLY
    kind = MeetingKind.QUARTERLY_BUSINESS_REVIEW if quarterly else MeetingKind.MONTHLY_REVIEW
    return {"review": review, "kind": kind, "title": f"{MeetingKind(kind).label} · {review.period_label}"}


def _save(form, call, **arguments):
    """Run the service with the form's fields; its refusals become the form's errors."""
    fields = {name: value for name, value in form.cleaned_data.items() if name != "attendees"}
    try:
        return call(attendees=form.cleaned_data["attendees"], **fields, **arguments)
    except ValidationError as error:
        form.add_error(None, error)
        return None


@role_required(*MEETING_RECORDERS)
def meeting_create(request):
    vendors = Vendor.objects.visible_to(request.user).current()
    vendor = vendors.filter(slug=request.GET.get("vendor", "")).first()
    if vendor is None:
        pick = VendorPickForm(request.GET or None, user=request.user)
        return render(request, "reviews/meeting_pick_vendor.html", {"form": pick})
    review = Review.objects.current().filter(vendor=vendor, pk=request.GET.get("review") or None).first()
    form = MeetingForm(request.POST or None, vendor=vendor, initial=_prefill(review))
    if request.method == "POST" and form.is_valid():
        meeting = _save(form, meeting_record, vendor=vendor, by=request.user)
        if meeting is not None:
            messages.success(request, f"Meeting recorded: {meeting}.")
            return redirect(meeting)
    status = 400 if form.errors else 200
    return render(request, "reviews/meeting_form.html", {"form": form, "vendor": vendor}, status=status)


@role_required(*MEETING_RECORDERS)
def meeting_edit(request, pk):
    meeting = _meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting, vendor=meeting.vendor)
    saved = request.method == "POST" and form.is_valid()
    if saved and _save(form, meeting_update, meeting=meeting, by=request.user) is not None:
        messages.success(request, "Meeting record saved.")
        return redirect(meeting)
    context = {"form": form, "vendor": meeting.vendor, "meeting": meeting}
    return render(request, "reviews/meeting_form.html", context, status=400 if form.errors else 200)


@require_POST
@role_required(*MEETING_RECORDERS)
def meeting_action_item_add(request, pk):
    meeting = _meeting(request, pk)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        meeting_add_action_item(meeting=meeting, by=request.user, **form.cleaned_data)
        messages.success(request, "Action item added.")
        return redirect(f"{meeting.get_absolute_url()}#action-items")
    context = _detail_context(request, meeting, item_form=form)
    return render(request, "reviews/meeting_detail.html", context, status=400)

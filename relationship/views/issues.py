"""The issue log's pages: the list, raising an issue (optionally from the record it comes from), an
issue's page with its thread, and the posts from that page (comment, move, owners); attachments.

Issues are looked up among those the user may see, so another vendor's issue or file is a 404. What a
user may do on a page comes from `relationship/issues.py`, which checks it again on every write.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bporeg.access import (
    EVERYONE,
    OPERATORS,
    is_internal,
    is_manager,
    role_required,
    runs_operations,
    staff_vendor_id,
)
from bporeg.uploads import attachment_response
from relationship import issues as issue_log
from relationship.issues_filters import IssueFilter
from relationship.issues_forms import CommentForm, IssueForm, MoveForm, OwnersForm
from relationship.models import Issue, IssueComment, IssueState
from vendors.models import Vendor

PAGE_SIZE = 25


def _issues(user):
    return Issue.objects.visible_to(user).select_related(
        "vendor", "raised_by", "internal_owner", "vendor_owner"
    )


@role_required(*EVERYONE)
def issue_list(request):
    issue_filter = IssueFilter(request.GET, queryset=_issues(request.user), request=request)
    page = Paginator(issue_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filter": issue_filter, "page": page, "now": timezone.now()}
    return render(request, "relationship/issue_list.html", context)


def _source(request):
    """The record named in the query string (`?audit=12`), among those the user may see."""
    for name, (model, *_) in issue_log.SOURCE_MODELS.items():
        pk = request.GET.get(name)
        if pk:
            if not pk.isdigit() or not issue_log.may_link(request.user, name):
                raise Http404
            return get_object_or_404(model.objects.visible_to(request.user), pk=pk)
    return None


@role_required(*EVERYONE)
def issue_create(request):
    """Vendor staff raise issues about their own vendor; an issue from a source is about its vendor."""
    source, vendor, initial = _source(request), None, {}
    if not is_internal(request.user):
        vendor = get_object_or_404(Vendor.objects.visible_to(request.user))
    elif source is not None:
        vendor = source.vendor
    elif request.GET.get("vendor"):
        initial["vendor"] = Vendor.objects.visible_to(request.user).filter(slug=request.GET["vendor"]).first()
    form = IssueForm(
        request.POST or None, request.FILES or None, user=request.user, vendor=vendor, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            issue = issue_log.issue_raise(by=request.user, source=source, **form.raise_arguments())
        except ValidationError as error:
            form.add_error(None, error)  # a field's own error lands on that field
        else:
            messages.success(request, f"{issue.reference} is raised; it waits for the other side's answer.")
            return redirect(issue)
    context = {"form": form, "source": source, "vendor": vendor}
    return render(request, "relationship/issue_form.html", context, status=400 if form.is_bound else 200)


def _issue(request, pk):
    queryset = _issues(request.user).select_related(
        "resolved_by", "measurement__kpi", "audit", "action_item__review", "action_item__meeting", "invoice"
    )
    return get_object_or_404(queryset, pk=pk)


def source_link(issue, user):
    """(what, url) of the record the issue came from; an invoice only for those who may see money."""
    if issue.measurement_id:
        measurement = issue.measurement
        what = f"{measurement.kpi} in {measurement.period:%B %Y}: {measurement.value.normalize():f}"
        return what, reverse("kpis:trends", kwargs={"slug": issue.vendor.slug})
    if issue.audit_id:
        return f"Audit of {issue.audit.reference}", issue.audit.get_absolute_url()
    if issue.action_item_id:
        item = issue.action_item
        return f"Action item “{item.title}” of {item.source_label}", item.get_absolute_url()
    if issue.invoice_id:
        if is_manager(user) or staff_vendor_id(user) == issue.vendor_id:
            return f"Invoice {issue.invoice.number}", issue.invoice.get_absolute_url()
        return "An invoice (only the BPO manager sees invoices)", None
    return None


def _page(request, issue, *, comment_form=None, move_form=None, owners_form=None, status=200):
    user = request.user
    moves = issue_log.allowed_moves(issue, user)
    move_forms = [move_form if move_form and move_form.state == to else MoveForm(to=to) for to in moves]
    context = {
        "issue": issue,
        "thread": issue.comments.select_related("author__profile"),
        "source": source_link(issue, user),
        "comment_form": comment_form or CommentForm(),
        "move_forms": move_forms,
        # A refused move that is not among this user's moves any more still says why.
        "move_errors": move_form.non_field_errors() if move_form and move_form.state not in moves else [],
        "owners_form": (owners_form or OwnersForm(issue=issue)) if runs_operations(user) else None,
        "now": timezone.now(),
    }
    return render(request, "relationship/issue_detail.html", context, status=status)


@role_required(*EVERYONE)
def issue_detail(request, pk):
    return _page(request, _issue(request, pk))


@require_POST
@role_required(*EVERYONE)
def issue_comment(request, pk):
    issue = _issue(request, pk)
    form = CommentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            issue_log.issue_comment(issue=issue, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your comment is in the thread.")
            return redirect(f"{issue.get_absolute_url()}#thread")
    return _page(request, issue, comment_form=form, status=400)


@require_POST
@role_required(*EVERYONE)
def issue_move(request, pk):
    issue = _issue(request, pk)
    to = request.POST.get("to", "")
    if to not in IssueState.values:
        messages.error(request, "Choose a step of the process.")
        return _page(request, issue, status=400)
    form = MoveForm(request.POST, to=to)
    if form.is_valid():
        try:
            issue_log.issue_move(issue=issue, by=request.user, to=to, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{issue.reference} is now “{IssueState(to).label}”.")
            return redirect(issue)
    return _page(request, issue, move_form=form, status=400)


@require_POST
@role_required(*OPERATORS)
def issue_owners(request, pk):
    issue = _issue(request, pk)
    form = OwnersForm(request.POST, issue=issue)
    if form.is_valid():
        try:
            issue_log.issue_set_owners(issue=issue, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Owners saved.")
            return redirect(issue)
    return _page(request, issue, owners_form=form, status=400)


@role_required(*EVERYONE)
def comment_attachment(request, pk):
    comments = IssueComment.objects.visible_to(request.user).exclude(attachment="")
    return attachment_response(get_object_or_404(comments, pk=pk).attachment)

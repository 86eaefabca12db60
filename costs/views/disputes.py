"""Dispute pages: the list (managers: every dispute; vendor staff: their own vendor's), a dispute's
thread with the reply form and, for managers, the resolve form; message attachments.

Objects are looked up in their scoped querysets, so another vendor's dispute or file is a 404. QA
sees no money: every page here is 403 for QA. Vendor staff see the thread only, never the
reconciliation's internal note.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import is_manager, role_required
from bporeg.uploads import attachment_response
from costs.disputes import dispute_reply, dispute_resolve, outcome_of
from costs.disputes_forms import ReplyForm, ResolveForm
from costs.models import Dispute, DisputeMessage, DisputeStatus

PAGE_SIZE = 25
MONEY_ROLES = (Role.MANAGER, Role.VENDOR_STAFF)


def _disputes(user):
    return Dispute.objects.visible_to(user).select_related("invoice__vendor", "decision", "opened_by")


@role_required(*MONEY_ROLES)
def dispute_list(request):
    status = request.GET.get("status")
    status = status if status in DisputeStatus.values else DisputeStatus.OPEN
    disputes = (
        _disputes(request.user)
        .filter(status=status)
        .annotate(message_count=Count("messages"))
        .order_by("-opened_at", "-pk")
    )
    page = Paginator(disputes, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": DisputeStatus.choices}
    return render(request, "costs/disputes_list.html", context)


def _page(request, dispute, *, reply_form=None, resolve_form=None, status=200):
    manager = is_manager(request.user)
    context = {
        "dispute": dispute,
        "thread": dispute.messages.select_related("author__profile"),
        "outcome": outcome_of(dispute),
        "manager": manager,
        "open": dispute.status == DisputeStatus.OPEN,
        "reply_form": reply_form or ReplyForm(),
        "resolve_form": (resolve_form or ResolveForm()) if manager else None,
    }
    return render(request, "costs/disputes_detail.html", context, status=status)


@role_required(*MONEY_ROLES)
def dispute_detail(request, pk):
    return _page(request, get_object_or_404(_disputes(request.user), pk=pk))


@require_POST
@role_required(*MONEY_ROLES)
def dispute_reply_view(request, pk):
    dispute = get_object_or_404(_disputes(request.user), pk=pk)
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            dispute_reply(
                dispute=dispute,
                by=request.user,
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
            )
        except ValidationError as error:
            form.add_error(None, error)  # a field's own error lands on that field
        else:
            messages.success(request, "Your message is in the thread.")
            return redirect(dispute)
    return _page(request, dispute, reply_form=form, status=400)


@require_POST
@role_required(Role.MANAGER)
def dispute_resolve_view(request, pk):
    dispute = get_object_or_404(_disputes(request.user), pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            dispute_resolve(dispute=dispute, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # a field's own error lands on that field
        else:
            messages.success(request, "The dispute is resolved; the vendor's staff are told.")
            return redirect(dispute)
    return _page(request, dispute, resolve_form=form, status=400)


@role_required(*MONEY_ROLES)
def dispute_attachment(request, pk):
    messages_ = DisputeMessage.objects.visible_to(request.user).exclude(attachment="")
    return attachment_response(get_object_or_404(messages_, pk=pk).attachment)

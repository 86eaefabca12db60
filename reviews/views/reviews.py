"""Periodic reviews: list, create by hand, the prepared review page, notes and action items,
sign-off, revisions, escalation to an improvement plan, and the printable page and PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import EVERYONE, OPERATORS, is_internal, is_manager, role_required, staff_vendor_id
from reviews import services
from reviews.filters import ReviewFilter
from reviews.forms import (
    ActionItemForm,
    ActionItemProgressForm,
    ClosePlanForm,
    ImprovementPlanForm,
    ReviewCreateForm,
    ReviewForm,
)
from reviews.models import ActionItem, ImprovementPlan, Review, ReviewStatus
from reviews.pdf import review_pdf as render_review_pdf
from reviews.selectors import review_pack, review_rows

SIGNERS = (Role.MANAGER, Role.VENDOR_STAFF)


def _review(request, pk):
    return get_object_or_404(
        Review.objects.visible_to(request.user).select_related(
            "vendor", "manager_signed_by", "vendor_signed_by", "created_by"
        ),
        pk=pk,
    )


@role_required(*EVERYONE)
def review_list(request):
    review_filter = ReviewFilter(
        request.GET, queryset=Review.objects.visible_to(request.user), request=request
    )
    page = review_rows(review_filter.qs, page=request.GET.get("page"))
    return render(request, "reviews/review_list.html", {"filter": review_filter, "page": page})


@role_required(Role.MANAGER)
def review_create(request):
    form = ReviewCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.create_review(
                vendor=form.cleaned_data["vendor"],
                period_start=form.cleaned_data["period"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Review prepared: {review}.")
            return redirect(review)
    return render(request, "reviews/review_create.html", {"form": form})


def _detail_context(request, review, **forms):
    internal = is_internal(request.user)
    items = list(review.action_items.all())
    for item in items:
        item.can_update = services.can_update_action_item(request.user, item)
    context = {
        "review": review,
        "pack": review_pack(review, today=timezone.localdate(), internal=internal),
        "items": items,
        "today": timezone.localdate(),
        "internal": internal,
        "editable": review.status == ReviewStatus.DRAFT and is_manager(request.user),
        "can_sign": _can_sign(request.user, review),
        "plans": review.improvement_plans.select_related("opened_by"),
        "review_form": ReviewForm(instance=review),
        "item_form": ActionItemForm(),
        "plan_form": ImprovementPlanForm(),
        "progress_choices": ActionItemProgressForm.base_fields["status"].choices,
        "revisions": Review.objects.filter(vendor=review.vendor_id, period_start=review.period_start)
        .exclude(pk=review.pk)
        .order_by("-revision"),
    }
    context.update(forms)
    return context


def _can_sign(user, review):
    if review.is_locked:
        return False
    if is_manager(user):
        return review.manager_signed_at is None
    return staff_vendor_id(user) == review.vendor_id and review.status == ReviewStatus.AWAITING_VENDOR


@role_required(*EVERYONE)
def review_detail(request, pk):
    review = _review(request, pk)
    return render(request, "reviews/review_detail.html", _detail_context(request, review))


@require_POST
@role_required(Role.MANAGER)
def review_edit(request, pk):
    review = _review(request, pk)
    form = ReviewForm(request.POST, instance=review)
    if form.is_valid():
        try:
            services.update_review(
                review=review, **{f: form.cleaned_data[f] for f in ("notes", "decisions", "rating")}
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Review notes saved.")
        return redirect(review)
    review.refresh_from_db()
    context = _detail_context(request, review, review_form=form)
    return render(request, "reviews/review_detail.html", context, status=400)


@require_POST
@role_required(Role.MANAGER)
def action_item_add(request, pk):
    review = _review(request, pk)
    form = ActionItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_action_item(review=review, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(review)
        messages.success(request, "Action item added.")
        return redirect(f"{review.get_absolute_url()}#action-items")
    context = _detail_context(request, review, item_form=form)
    return render(request, "reviews/review_detail.html", context, status=400)


@role_required(*OPERATORS, Role.VENDOR_STAFF)
def action_item_update(request, pk):
    """Progress on an action item of a review or a meeting (status, comment): an operator, or the vendor
    for its own items. htmx swaps the row; without JavaScript the form posts and the page reloads."""
    items = ActionItem.objects.visible_to(request.user).select_related("review", "meeting")
    item = get_object_or_404(items, pk=pk)
    if not services.can_update_action_item(request.user, item):
        raise PermissionDenied
    form = ActionItemProgressForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        item = services.update_action_item(
            item=item,
            user=request.user,
            status=form.cleaned_data["status"],
            comment=form.cleaned_data["progress_comment"],
        )
        if not request.htmx:
            messages.success(request, "Action item updated.")
            return redirect(item.get_absolute_url())
        form = None
    item.can_update = True
    context = {
        "item": item,
        "form": form,
        "today": timezone.localdate(),
        "progress_choices": ActionItemProgressForm.base_fields["status"].choices,
        "saved": request.method == "POST" and form is None,
    }
    template = "reviews/_action_item_row.html" if request.htmx else "reviews/action_item_form.html"
    return render(request, template, context, status=400 if form is not None and form.errors else 200)


@require_POST
@role_required(*SIGNERS)
def review_sign(request, pk):
    review = _review(request, pk)
    try:
        review = services.sign_review(review=review, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error.messages[0] if isinstance(error, ValidationError) else str(error))
    else:
        messages.success(request, f"Signed. The review is now: {review.get_status_display().lower()}.")
    return redirect(review)


@require_POST
@role_required(Role.MANAGER)
def review_revise(request, pk):
    review = _review(request, pk)
    try:
        revision = services.revise_review(review=review, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(review)
    messages.success(request, f"Revision {revision.revision} opened as a draft; the signed one is kept.")
    return redirect(revision)


@require_POST
@role_required(Role.MANAGER)
def improvement_plan_open(request, pk):
    review = _review(request, pk)
    form = ImprovementPlanForm(request.POST)
    if form.is_valid():
        services.open_improvement_plan(review=review, user=request.user, **form.cleaned_data)
        messages.warning(request, f"Improvement plan opened: {review.vendor} is now on watch.")
        return redirect(review)
    return render(
        request, "reviews/review_detail.html", _detail_context(request, review, plan_form=form), status=400
    )


@require_POST
@role_required(Role.MANAGER)
def improvement_plan_close(request, pk):
    plan = get_object_or_404(ImprovementPlan.objects.visible_to(request.user), pk=pk)
    form = ClosePlanForm(request.POST)
    if form.is_valid():
        try:
            services.close_improvement_plan(plan=plan, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, "Improvement plan closed.")
    return redirect(plan.review or "reviews:review_list")


@role_required(*EVERYONE)
def review_print(request, pk):
    review = _review(request, pk)
    context = _detail_context(request, review)
    return render(request, "reviews/review_print.html", context)


@role_required(*EVERYONE)
def review_pdf(request, pk):
    review = _review(request, pk)
    internal = is_internal(request.user)
    pack = review_pack(review, today=timezone.localdate(), internal=internal)
    content = render_review_pdf(review, pack, list(review.action_items.all()))
    filename = f"review-{review.vendor.slug}-{review.period_start:%Y-%m}-r{review.revision}.pdf"
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

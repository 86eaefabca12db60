"""The risk register: the list with its 5×5 heat map (portfolio or one vendor), and risk pages."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render

from bporeg.access import INTERNAL, role_required
from reviews.filters import RiskFilter
from reviews.forms import RiskForm
from reviews.models import Risk
from reviews.selectors import PAGE_SIZE, heat_counts, heat_map


@role_required(*INTERNAL)
def risk_list(request):
    risks = Risk.objects.visible_to(request.user)
    risk_filter = RiskFilter(request.GET, queryset=risks, request=request)
    # The heat map follows every filter but the clicked cell, so it keeps showing the whole grid.
    grid_query = request.GET.copy() if request.GET else QueryDict(mutable=True)
    for name in ("likelihood", "impact", "page"):
        grid_query.pop(name, None)
    grid = heat_map(heat_counts(RiskFilter(grid_query, queryset=risks, request=request).qs))
    page = Paginator(risk_filter.qs.select_related("vendor", "owner"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    cell = risk_filter.form.cleaned_data if risk_filter.is_valid() else {}
    return render(
        request,
        "reviews/risk_list.html",
        {
            "filter": risk_filter,
            "page": page,
            "grid": grid,
            "grid_query": grid_query.urlencode(),
            "cell": (cell.get("likelihood"), cell.get("impact")),
            "vendor": cell.get("vendor"),
        },
    )


@role_required(*INTERNAL)
def risk_detail(request, pk):
    risk = get_object_or_404(Risk.objects.visible_to(request.user).select_related("vendor", "owner"), pk=pk)
    history = risk.history.select_related("history_user").order_by("-history_date")[:50]
    return render(request, "reviews/risk_detail.html", {"risk": risk, "history": history})


@role_required(*INTERNAL)
def risk_edit(request, pk=None):
    risk = get_object_or_404(Risk.objects.visible_to(request.user), pk=pk) if pk else None
    initial = {"owner": request.user.pk, "vendor": request.GET.get("vendor")} if risk is None else None
    form = RiskForm(request.POST or None, instance=risk, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        risk = form.save()
        messages.success(request, f"Risk saved: {risk.title} (score {risk.score}).")
        return redirect(risk)
    return render(request, "reviews/risk_form.html", {"form": form, "risk": risk})

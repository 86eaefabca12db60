"""A vendor's budget page (managers only): set the year's budget, and the months of actual spend
against it, cumulative, the forecast to year end and the overrun, with a small chart."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from bporeg.access import role_required
from costs.budget_chart import budget_chart
from costs.budgets import budget_set, budget_year
from costs.budgets_forms import BudgetForm
from costs.money import company_currency
from vendors.models import Vendor


def _year(request):
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@role_required(Role.MANAGER)
def budget(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    year = _year(request)
    url = reverse("costs:budget", kwargs={"slug": slug}) + f"?year={year}"
    result = budget_year(vendor=vendor, year=year)
    initial = {"amount": result.budget.amount, "note": result.budget.note} if result.budget else None
    form = BudgetForm(request.POST or None, initial=initial, year=year)
    if form.is_valid():
        budget_set(vendor=vendor, year=year, by=request.user, **form.cleaned_data)
        messages.success(request, f"Budget for {year} saved.")
        return redirect(url)
    context = {
        "vendor": vendor,
        "year": year,
        "result": result,
        "form": form,
        "chart": budget_chart(result),
        "currency": company_currency(),
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "costs/budgets_vendor.html", context, status=400 if form.errors else 200)

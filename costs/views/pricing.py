"""A contract's pricing (its price terms, and what they make the vendor owe for a month) and the dated
exchange rates. Manager only: pricing is money, which QA never sees, and vendor staff never see terms."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import Role
from bporeg.access import role_required
from costs.models import ExchangeRate, PriceTier
from costs.pricing import contract_month_bill, exchange_rate_add
from costs.pricing_forms import ExchangeRateForm, PriceTermFormSet
from kpis.selectors import default_period
from kpis.views.periods import period_choices, period_from
from vendors.models import Contract


@role_required(Role.MANAGER)
def contract_pricing(request, pk):
    contract = get_object_or_404(Contract.objects.visible_to(request.user).select_related("vendor"), pk=pk)
    terms = contract.price_terms.prefetch_related(
        Prefetch("tiers", queryset=PriceTier.objects.order_by("from_units"))
    )
    formset = PriceTermFormSet(request.POST or None, instance=contract, queryset=terms)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, f"Pricing of {contract.reference} saved.")
        return redirect("costs:pricing", pk=contract.pk)
    period = period_from(request, default_period(timezone.localdate()))
    context = {
        "contract": contract,
        "formset": formset,
        "period": period,
        "periods": period_choices(period),
        "bill": contract_month_bill(contract, period),
    }
    return render(request, "costs/pricing_contract.html", context)


@role_required(Role.MANAGER)
def exchange_rates(request):
    form = ExchangeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rate = exchange_rate_add(**form.cleaned_data, by=request.user)
        messages.success(request, f"Exchange rate saved: {rate}.")
        return redirect("costs:rates")
    rates = ExchangeRate.objects.select_related("entered_by")
    page = Paginator(rates, 50).get_page(request.GET.get("page"))
    return render(request, "costs/pricing_rates.html", {"form": form, "page": page})

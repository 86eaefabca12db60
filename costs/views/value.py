"""The in-house baselines (one per service) and a vendor's value: savings, ROI and quality beside them."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import Role
from bporeg.access import role_required
from costs.money import company_currency
from costs.value import vendor_quality, vendor_value
from costs.value_chart import value_chart
from costs.value_forms import BaselineForm
from vendors.models import Service, Vendor


@role_required(Role.MANAGER)
def baselines(request):
    """Every service with its baseline; `?service=<code>` opens the form to enter or change it."""
    services = Service.objects.select_related("baseline__volume_kpi", "baseline__entered_by")
    context = {"services": services, "currency": company_currency()}
    code = request.GET.get("service")
    if code:
        service = get_object_or_404(services, code=code)
        existing = getattr(service, "baseline", None)
        form = BaselineForm(request.POST or None, instance=existing, service=service)
        if request.method == "POST" and form.is_valid():
            form.save_for(request.user)
            messages.success(
                request, f"Baseline of {service} saved; the earlier figures stay in its history."
            )
            return redirect("costs:baselines")
        context.update(
            service=service,
            form=form,
            versions=existing.history.select_related("history_user")[:10] if existing else [],
        )
    return render(request, "costs/value_baselines.html", context)


@role_required(Role.MANAGER)
def vendor_value_page(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    today = timezone.localdate()
    value = vendor_value(vendor, today=today)
    quality = vendor_quality(value)
    currency = company_currency()
    context = {
        "vendor": vendor,
        "value": value,
        "quality": quality,
        "rows": [(month, [m.monthly.get(month.period) for m in quality]) for month in value.months],
        "chart": value_chart(value.months, currency),
        "currency": currency,
        "year": today.year,
    }
    return render(request, "costs/value_vendor.html", context)

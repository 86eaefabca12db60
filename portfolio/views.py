"""The manager's portfolio dashboard, one vendor's health with its red flags, and "Refresh now"."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import INTERNAL, is_manager, role_required
from portfolio.charts import adherence_chart, sparkline, spend_chart
from portfolio.flags import health_rule
from portfolio.selectors import dashboard as dashboard_data
from portfolio.services import refresh_vendor_health
from reviews.selectors import heat_map
from vendors.models import Vendor


@role_required(*INTERNAL)
def dashboard(request):
    context = dashboard_data(request)
    snapshot = context["snapshot"]
    context.update(
        rule=health_rule(),
        adherence=adherence_chart(snapshot.adherence) if snapshot else None,
        # Money is the manager's: QA sees no spend.
        spend=spend_chart(snapshot.spend) if snapshot and is_manager(request.user) else None,
        grid=heat_map(context["risk_counts"]),
    )
    return render(request, "portfolio/dashboard.html", context)


@role_required(*INTERNAL)
def vendor_health(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user).select_related("owner"), slug=slug)
    health = getattr(vendor, "health", None)
    context = {
        "vendor": vendor,
        "health": health,
        "sparkline": sparkline(health.trend) if health else None,
        "rule": health_rule(),
    }
    return render(request, "portfolio/vendor_health.html", context)


@require_POST
@role_required(Role.MANAGER)
def refresh(request):
    count = refresh_vendor_health()
    messages.success(request, f"Health refreshed for {count} vendor{'s' if count != 1 else ''}.")
    return redirect("portfolio:dashboard")

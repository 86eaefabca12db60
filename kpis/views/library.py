"""The KPI library: what each KPI means, its unit and direction, and which SLAs use it."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.models import Role
from bporeg.access import INTERNAL, role_required
from kpis.forms import KPIForm
from kpis.models import KPI, SLATarget


@role_required(*INTERNAL)
def kpi_list(request):
    kpis = KPI.objects.annotate(
        vendor_count=Count(
            "sla_targets__sla__vendor", filter=Q(sla_targets__effective_to__isnull=True), distinct=True
        )
    )
    return render(request, "kpis/kpi_list.html", {"kpis": kpis})


@role_required(*INTERNAL)
def kpi_detail(request, code):
    kpi = get_object_or_404(KPI, code=code)
    targets = (
        SLATarget.objects.visible_to(request.user)
        .filter(kpi=kpi, effective_to__isnull=True)
        .select_related("sla__vendor")
        .order_by("sla__vendor__name")
    )
    return render(request, "kpis/kpi_detail.html", {"kpi": kpi, "targets": targets})


@role_required(Role.MANAGER)
def kpi_edit(request, code=None):
    kpi = get_object_or_404(KPI, code=code) if code else None
    form = KPIForm(request.POST or None, instance=kpi)
    if request.method == "POST" and form.is_valid():
        kpi = form.save()
        messages.success(request, f"KPI “{kpi.name}” saved.")
        return redirect("kpis:kpi-detail", code=kpi.code)
    return render(
        request,
        "kpis/form_page.html",
        {"form": form, "title": kpi.name if kpi else "New KPI", "cancel": reverse("kpis:kpi-list")},
    )

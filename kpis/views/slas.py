"""SLAs per vendor and their targets. A changed target is a new version; history is never rewritten."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bporeg.access import INTERNAL, PROJECT_LEADS, role_required
from kpis.forms import ChangeTargetForm, SLAForm, TargetForm
from kpis.models import SLA, SLATarget
from kpis.services import add_target, change_target, end_target


@role_required(*INTERNAL)
def sla_list(request):
    slas = (
        SLA.objects.visible_to(request.user)
        .select_related("vendor", "contract")
        .annotate(kpi_count=Count("targets", filter=Q(targets__effective_to__isnull=True)))
        .order_by("vendor__name", "name")
    )
    if query := request.GET.get("q", "").strip():
        slas = slas.filter(Q(vendor__name__icontains=query) | Q(name__icontains=query))
    return render(request, "kpis/sla_list.html", {"slas": slas, "q": query})


@role_required(*INTERNAL)
def sla_detail(request, pk):
    sla = get_object_or_404(SLA.objects.visible_to(request.user).select_related("vendor", "contract"), pk=pk)
    versions = list(sla.targets.select_related("kpi").order_by("kpi__name", "-effective_from"))
    current = [t for t in versions if t.effective_to is None]
    return render(
        request,
        "kpis/sla_detail.html",
        {
            "sla": sla,
            "current": current,
            "versions": versions,
            "total_weight": sum(t.weight for t in current),
        },
    )


@role_required(*PROJECT_LEADS)
def sla_edit(request, pk=None):
    sla = get_object_or_404(SLA.objects.visible_to(request.user), pk=pk) if pk else None
    initial = {"vendor": request.GET.get("vendor")} if not sla else None
    form = SLAForm(request.POST or None, instance=sla, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        sla = form.save()
        messages.success(request, f"SLA “{sla.name}” saved.")
        return redirect("kpis:sla-detail", pk=sla.pk)
    return render(
        request,
        "kpis/form_page.html",
        {"form": form, "title": str(sla) if sla else "New SLA", "cancel": reverse("kpis:sla-list")},
    )


def _apply(form, call):
    """Run a service; its validation errors land on the form instead of a 500."""
    try:
        return call()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@role_required(*PROJECT_LEADS)
def target_add(request, pk):
    sla = get_object_or_404(SLA.objects.visible_to(request.user), pk=pk)
    sla_url = reverse("kpis:sla-detail", kwargs={"pk": sla.pk})
    form = TargetForm(
        request.POST or None, sla=sla, initial={"effective_from": timezone.localdate().replace(day=1)}
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if _apply(form, lambda: add_target(sla=sla, **values)):
            messages.success(request, f"{values['kpi']} added to {sla.name}.")
            return redirect("kpis:sla-detail", pk=sla.pk)
    return render(
        request,
        "kpis/form_page.html",
        {"form": form, "title": f"Add a KPI to {sla.name}", "back": sla, "cancel": sla_url},
    )


@role_required(*PROJECT_LEADS)
def target_change(request, pk):
    current = get_object_or_404(
        SLATarget.objects.visible_to(request.user).select_related("sla", "kpi"),
        pk=pk,
        effective_to__isnull=True,
    )
    initial = {name: getattr(current, name) for name in ChangeTargetForm.Meta.fields}
    initial["effective_from"] = max(timezone.localdate().replace(day=1), current.effective_from)
    form = ChangeTargetForm(
        request.POST or None, initial=initial, instance=SLATarget(sla=current.sla, kpi=current.kpi)
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ChangeTargetForm.Meta.fields}
        if _apply(form, lambda: change_target(current=current, **values)):
            messages.success(request, f"New target for {current.kpi} from {values['effective_from']}.")
            return redirect("kpis:sla-detail", pk=current.sla_id)
    title = f"Change the {current.kpi} target"
    return render(
        request,
        "kpis/form_page.html",
        {
            "form": form,
            "title": title,
            "back": current.sla,
            "current": current,
            "cancel": reverse("kpis:sla-detail", kwargs={"pk": current.sla_id}),
        },
    )


@role_required(*PROJECT_LEADS)
@require_POST
def target_end(request, pk):
    target = get_object_or_404(SLATarget.objects.visible_to(request.user), pk=pk, effective_to__isnull=True)
    try:
        end_target(target=target, effective_to=date.fromisoformat(request.POST.get("effective_to", "")))
        messages.success(request, f"{target.kpi} leaves the SLA from {target.effective_to}.")
    except (ValueError, ValidationError) as error:
        messages.error(request, f"Not removed: {getattr(error, 'message', error)}")
    return redirect("kpis:sla-detail", pk=target.sla_id)

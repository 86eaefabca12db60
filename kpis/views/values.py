"""Entering values: a month's KPIs for a vendor on one screen, and imports with a preview.

An import is checked row by row; with any error nothing is imported and the report lists each bad row.
A clean file is stored server-side (MeasurementImport) and previewed; confirming imports those stored
rows, so nothing the browser re-posts is trusted.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bporeg.access import EVERYONE, role_required
from kpis.forms import ImportForm, MonthValuesForm
from kpis.importer import FileError, parse_upload, preview
from kpis.models import ImportStatus, Measurement, MeasurementImport, SLATarget, Source
from kpis.selectors import can_submit, can_submit_any, default_period
from kpis.services import Entry, confirm_import, discard_import, record_measurements, stage_import
from kpis.views.periods import period_choices, period_from
from vendors.models import Vendor


@role_required(*EVERYONE)
def month_values(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    if not can_submit(request.user, vendor):
        raise PermissionDenied
    period = period_from(request, default_period(timezone.localdate()))
    targets = list(
        SLATarget.objects.in_force_on(period)
        .filter(sla__vendor=vendor)
        .select_related("kpi")
        .order_by("kpi__name")
    )
    current = {
        kpi_id: (value, volume)
        for kpi_id, value, volume in Measurement.objects.filter(vendor=vendor, period=period).values_list(
            "kpi_id", "value", "volume"
        )
    }
    form = MonthValuesForm(request.POST or None, targets=targets, current=current)
    if request.method == "POST" and form.is_valid():
        result = record_measurements(
            entries=[Entry(vendor.pk, kpi_id, period, v, vol) for kpi_id, (v, vol) in form.values.items()],
            source=Source.MANUAL,
            entered_by=request.user,
        )
        messages.success(
            request,
            f"{period:%B %Y} saved: {result.created} new, {result.updated} changed, "
            f"{result.unchanged} unchanged.",
        )
        return redirect(f"{reverse('kpis:scorecard', kwargs={'slug': vendor.slug})}?period={period:%Y-%m}")
    return render(
        request,
        "kpis/month_values.html",
        {"vendor": vendor, "period": period, "form": form, "periods": period_choices(period)},
    )


@role_required(*EVERYONE)
def import_upload(request):
    if not can_submit_any(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "recent": MeasurementImport.objects.filter(uploaded_by=request.user)[:5]}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            parsed = parse_upload(upload.name, upload.read(), user=request.user, today=timezone.localdate())
        except FileError as error:
            form.add_error("file", str(error))
            return render(request, "kpis/import.html", context, status=400)
        if parsed.errors:
            context.update(parsed=parsed, file_name=upload.name)
            return render(request, "kpis/import.html", context, status=400)
        measurement_import = stage_import(
            uploaded_by=request.user, file_name=upload.name, entries=parsed.entries
        )
        return redirect("kpis:import-preview", pk=measurement_import.pk)
    return render(request, "kpis/import.html", context)


def _own_import(request, pk):
    return get_object_or_404(MeasurementImport.objects.filter(uploaded_by=request.user), pk=pk)


@role_required(*EVERYONE)
def import_preview(request, pk):
    measurement_import = _own_import(request, pk)
    changes = None
    if measurement_import.status == ImportStatus.PREVIEWED:
        changes = preview(measurement_import)
    return render(request, "kpis/import_preview.html", {"import": measurement_import, "preview": changes})


@role_required(*EVERYONE)
@require_POST
def import_confirm(request, pk):
    measurement_import = _own_import(request, pk)
    try:
        result = confirm_import(measurement_import=measurement_import, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("kpis:import-preview", pk=pk)
    messages.success(
        request,
        f"Imported {measurement_import.file_name}: {result.created} new, {result.updated} changed, "
        f"{result.unchanged} unchanged.",
    )
    return redirect("kpis:import-preview", pk=pk)


@role_required(*EVERYONE)
@require_POST
def import_discard(request, pk):
    measurement_import = _own_import(request, pk)
    try:
        discard_import(measurement_import=measurement_import)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("kpis:import-preview", pk=pk)
    messages.info(request, f"{measurement_import.file_name} discarded: nothing was imported.")
    return redirect("kpis:import")

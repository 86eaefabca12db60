"""The vendor list, the vendor page, and the manager's vendor forms (create, edit, archive, restore)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import EVERYONE, INTERNAL, is_internal, is_manager, role_required, staff_vendor_id
from sourcing.award import with_selection_won
from vendors.exit_selectors import EXIT_PLAN_RELATED, exit_checklist
from vendors.filters import VendorFilter
from vendors.forms import VendorForm
from vendors.history import vendor_history
from vendors.models import Responsible, Vendor
from vendors.selectors import (
    onboarding_progress,
    onboarding_tasks,
    open_issues,
    tasks_by_phase,
    vendor_list_rows,
)
from vendors.services import vendor_archive, vendor_restore
from vendors.views import form_page


@role_required(*INTERNAL)
def vendor_list(request):
    vendor_filter = VendorFilter(request.GET, queryset=Vendor.objects.visible_to(request.user))
    page = vendor_list_rows(vendor_filter.qs, page=request.GET.get("page"))
    return render(request, "vendors/vendor_list.html", {"filter": vendor_filter, "page": page})


@role_required(*EVERYONE)
def vendor_detail(request, slug):
    vendors = Vendor.objects.visible_to(request.user).select_related(
        "owner", "onboarding__template", *EXIT_PLAN_RELATED
    )
    internal = is_internal(request.user)
    if internal:
        vendors = with_selection_won(vendors)
    vendor = get_object_or_404(vendors.prefetch_related("services"), slug=slug)
    tasks = list(onboarding_tasks(vendor.onboarding_tasks.all()))
    for task in tasks:
        task.editable = task.may_update(request.user)
    certifications = list(vendor.certifications.current())
    context = {
        "vendor": vendor,
        "internal": internal,
        "plan": getattr(vendor, "onboarding", None),
        "progress": onboarding_progress([vendor])[vendor.pk],
        "phases": tasks_by_phase(tasks),
        "contacts": vendor.contacts.current(),
        "certifications": certifications,
        "expired": sum(c.state == "expired" for c in certifications),
        "expiring": sum(c.state == "expiring" for c in certifications),
        "issues": open_issues(vendor),
        "next_url": request.get_full_path(),
    }
    context.update(exit_checklist(vendor, request.user))
    if internal:
        context["contracts"] = vendor.contracts.current()
        context["history"] = vendor_history(vendor, money=is_manager(request.user))
    if staff_vendor_id(request.user) == vendor.pk:
        context["my_open_tasks"] = [t for t in tasks if t.responsible == Responsible.VENDOR and not t.is_done]
    return render(request, "vendors/vendor_detail.html", context)


@role_required(Role.MANAGER)
def vendor_create(request):
    form = VendorForm(request.POST or None, initial={"owner": request.user})
    if form.is_valid():
        vendor = form.save()
        messages.success(
            request, f"{vendor} is in the registry. Add contacts, a contract and its onboarding."
        )
        return redirect(vendor)
    return form_page(request, form, heading="New vendor", back=reverse("vendors:list"))


@role_required(Role.MANAGER)
def vendor_edit(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    form = VendorForm(request.POST or None, instance=vendor)
    if form.is_valid():
        form.save()
        messages.success(request, "Vendor saved.")
        return redirect(vendor)
    return form_page(request, form, heading=f"Edit {vendor}", back=vendor.get_absolute_url())


@require_POST
@role_required(Role.MANAGER)
def vendor_archive_view(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user).current(), slug=slug)
    vendor_archive(vendor=vendor, by=request.user)
    messages.success(request, f"{vendor} is archived: hidden from the list, kept with its history.")
    return redirect(vendor)


@require_POST
@role_required(Role.MANAGER)
def vendor_restore_view(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug, status="archived")
    vendor_restore(vendor=vendor, by=request.user)
    messages.success(request, f"{vendor} is restored ({vendor.get_status_display()}).")
    return redirect(vendor)

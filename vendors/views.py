"""Vendor registry pages."""

from django.shortcuts import get_object_or_404, render

from bporeg.access import EVERYONE, INTERNAL, is_internal, role_required
from vendors.filters import VendorFilter
from vendors.models import Vendor
from vendors.selectors import vendor_list_rows


@role_required(*INTERNAL)
def vendor_list(request):
    vendor_filter = VendorFilter(request.GET, queryset=Vendor.objects.visible_to(request.user))
    page = vendor_list_rows(vendor_filter.qs, page=request.GET.get("page"))
    return render(request, "vendors/vendor_list.html", {"filter": vendor_filter, "page": page})


@role_required(*EVERYONE)
def vendor_detail(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    context = {"vendor": vendor, "internal": is_internal(request.user)}
    if context["internal"]:
        context["contracts"] = vendor.contracts.all()
    return render(request, "vendors/vendor_detail.html", context)

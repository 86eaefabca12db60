"""A vendor's records: contacts, contracts and certifications (manager forms, archive) and downloads."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import EVERYONE, INTERNAL, role_required
from bporeg.uploads import attachment_response
from vendors.forms import CertificationForm, ContactForm, ContractForm
from vendors.models import Certification, Contact, Contract, Vendor
from vendors.services import record_archive
from vendors.views import form_page

# kind in the URL -> (model, form, what the manager calls it)
RECORDS = {
    "contact": (Contact, ContactForm, "contact"),
    "contract": (Contract, ContractForm, "contract"),
    "certification": (Certification, CertificationForm, "certification"),
}


def _save(request, form, *, vendor, heading, done):
    if form.is_valid():
        # The history row's author comes from the request (simple_history's middleware).
        record = form.save()
        messages.success(request, done)
        return redirect(record)
    return form_page(request, form, heading=heading, back=vendor.get_absolute_url())


@role_required(Role.MANAGER)
def record_create(request, slug, kind):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user).current(), slug=slug)
    _model, form_class, label = RECORDS[kind]
    form = form_class(request.POST or None, request.FILES or None, vendor=vendor)
    return _save(
        request, form, vendor=vendor, heading=f"New {label} · {vendor}", done=f"The {label} is added."
    )


@role_required(Role.MANAGER)
def record_edit(request, pk, kind):
    model, form_class, label = RECORDS[kind]
    record = get_object_or_404(
        model.objects.visible_to(request.user).current().select_related("vendor"), pk=pk
    )
    form = form_class(request.POST or None, request.FILES or None, instance=record, vendor=record.vendor)
    heading = f"Edit {label} · {record.vendor}"
    return _save(request, form, vendor=record.vendor, heading=heading, done=f"The {label} is saved.")


@require_POST
@role_required(Role.MANAGER)
def record_archive_view(request, pk, kind):
    model, _form, label = RECORDS[kind]
    record = get_object_or_404(
        model.objects.visible_to(request.user).current().select_related("vendor"), pk=pk
    )
    record_archive(record=record, by=request.user)
    messages.success(request, f"The {label} is archived; its history is kept.")
    return redirect(record.vendor)


@role_required(*INTERNAL)
def contract_document(request, pk):
    contract = get_object_or_404(Contract.objects.visible_to(request.user).exclude(signed_document=""), pk=pk)
    return attachment_response(contract.signed_document)


@role_required(*EVERYONE)
def certification_evidence(request, pk):
    queryset = Certification.objects.visible_to(request.user).exclude(evidence="")
    return attachment_response(get_object_or_404(queryset, pk=pk).evidence)

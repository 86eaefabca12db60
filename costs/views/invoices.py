"""Invoices: the list (a manager's whole portfolio, a vendor's own), entering one by form, importing a
file, and the invoice PDF.

An import is checked first and nothing is saved with a bad row. A clean file is kept in the session and
shown as a preview; confirming parses that same kept file again (it is small) and imports it in one
transaction, so nothing the browser re-posts is trusted and a number entered meanwhile still stops it.
"""

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import is_manager, role_required
from bporeg.uploads import attachment_response
from costs.invoice_import import import_invoices, parse_invoice_file
from costs.invoices_forms import (
    InvoiceDocumentForm,
    InvoiceFilter,
    InvoiceForm,
    InvoiceImportForm,
    InvoiceLineFormSet,
)
from costs.invoicing import invoice_attach_document, invoice_create
from costs.models import Invoice
from kpis.importer import FileError
from vendors.views import form_page

PAGE_SIZE = 25
STASH = "costs.invoice_import"
MONEY_ROLES = (Role.MANAGER, Role.VENDOR_STAFF)


@role_required(*MONEY_ROLES)
def invoice_list(request):
    invoices = (
        Invoice.objects.visible_to(request.user)
        .select_related("vendor", "contract")
        .annotate(line_count=Count("lines"))
        .order_by("-period", "vendor__name", "number")
    )
    invoice_filter = InvoiceFilter(
        request.GET, queryset=invoices, request=request, show_vendor=is_manager(request.user)
    )
    page = Paginator(invoice_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "costs/invoices_list.html", {"filter": invoice_filter, "page": page})


@role_required(Role.MANAGER)
def invoice_create_view(request):
    form = InvoiceForm(request.POST or None, request.FILES or None)
    formset = InvoiceLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            invoice = invoice_create(
                vendor=data["vendor"],
                contract=data["contract"],
                data=form.invoice_data(),
                lines=formset.lines(),
                document=data["document"],
                by=request.user,
            )
        except ValidationError as error:
            # The lines' problems name their line, so they read well above the form.
            for field, field_messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_messages)
        else:
            messages.success(request, f"Invoice {invoice.number} of {invoice.vendor} is entered.")
            return redirect(invoice)
    status = 400 if request.method == "POST" else 200
    return render(request, "costs/invoices_form.html", {"form": form, "formset": formset}, status=status)


def _reparsed(request):
    """(file name, the stashed file parsed again, None) when it is clean; otherwise (…, the response)
    that sends the manager back: no file stashed, or a file that no longer passes (a number taken since)."""
    stash = request.session.get(STASH)
    if stash is None:
        messages.info(request, "Upload an invoice file first.")
        return None, None, redirect("costs:invoice_import")
    name = stash["name"]
    parsed = parse_invoice_file(name, base64.b64decode(stash["content"]), user=request.user)
    if parsed.errors:
        return name, parsed, _report(request, InvoiceImportForm(), parsed, name)
    return name, parsed, None


def _report(request, form, parsed, file_name):
    context = {"form": form, "parsed": parsed, "file_name": file_name}
    return render(request, "costs/invoices_import.html", context, status=400)


@role_required(Role.MANAGER)
def invoice_import(request):
    form = InvoiceImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            parsed = parse_invoice_file(upload.name, content, user=request.user)
        except FileError as error:
            form.add_error("file", str(error))
            return render(request, "costs/invoices_import.html", {"form": form}, status=400)
        if parsed.errors:
            return _report(request, form, parsed, upload.name)
        request.session[STASH] = {"name": upload.name, "content": base64.b64encode(content).decode()}
        return redirect("costs:invoice_import_preview")
    return render(request, "costs/invoices_import.html", {"form": form})


@role_required(Role.MANAGER)
def invoice_import_preview(request):
    name, parsed, refused = _reparsed(request)
    if refused:
        return refused
    return render(request, "costs/invoices_import_preview.html", {"parsed": parsed, "file_name": name})


@require_POST
@role_required(Role.MANAGER)
def invoice_import_confirm(request):
    name, parsed, refused = _reparsed(request)
    if refused:
        return refused
    try:
        created = import_invoices(parsed=parsed, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("costs:invoice_import")
    del request.session[STASH]
    count = len(created)
    messages.success(
        request, f"Imported {name}: {count} invoice{'s' if count != 1 else ''}, {parsed.line_count} lines."
    )
    return redirect("costs:invoice_list")


@role_required(*MONEY_ROLES)
def invoice_document(request, pk):
    invoices = Invoice.objects.visible_to(request.user).exclude(document="")
    return attachment_response(get_object_or_404(invoices, pk=pk).document)


@role_required(Role.MANAGER)
def invoice_attach(request, pk):
    invoice = get_object_or_404(Invoice.objects.visible_to(request.user).select_related("vendor"), pk=pk)
    form = InvoiceDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        invoice_attach_document(invoice=invoice, document=form.cleaned_data["document"], by=request.user)
        messages.success(request, f"The PDF of invoice {invoice.number} is attached.")
        return redirect(invoice)
    return form_page(
        request,
        form,
        heading=f"Invoice PDF: {invoice.vendor} {invoice.number}",
        back=reverse("costs:invoice_list"),
        button="Attach",
        status=400 if request.method == "POST" else 200,
    )

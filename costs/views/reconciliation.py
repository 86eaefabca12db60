"""An invoice reconciled against its contract (the decisions and the approval on it), and a month of
every vendor's invoices. Money pages: QA never sees them; vendor staff see their own invoices' lines,
status and disputes only, never the expected amounts nor the manager's notes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role
from bporeg.access import is_manager, role_required
from costs.decisions import approval_refusals, discrepancy_decide, invoice_approve, invoice_void
from costs.models import Invoice, InvoiceStatus
from costs.reconciliation import reconcile, reconcile_month
from costs.reconciliation_forms import DecisionForm, MonthVendorFilter
from kpis.selectors import default_period
from kpis.views.periods import period_choices, period_from
from vendors.models import Vendor

MONEY_ROLES = (Role.MANAGER, Role.VENDOR_STAFF)
VENDORS_PER_PAGE = 50


def _invoice(request, pk):
    invoices = Invoice.objects.visible_to(request.user).select_related("vendor", "contract")
    return get_object_or_404(invoices, pk=pk)


@role_required(*MONEY_ROLES)
def invoice_detail(request, pk):
    invoice = _invoice(request, pk)
    context = {
        "invoice": invoice,
        "disputes": invoice.disputes.select_related("decision").order_by("opened_at"),
    }
    if is_manager(request.user):
        reconciliation = reconcile(invoice)
        context["reconciliation"] = reconciliation
        if invoice.status not in (InvoiceStatus.APPROVED, InvoiceStatus.VOID):
            context["refusals"] = approval_refusals(reconciliation)
        return render(request, "costs/reconciliation_invoice.html", context)
    context["lines"] = invoice.lines.order_by("position", "pk")
    return render(request, "costs/reconciliation_invoice_vendor.html", context)


def _refused(request, error):
    for message in error.messages:
        messages.error(request, message)


@require_POST
@role_required(Role.MANAGER)
def decide(request, pk):
    invoice = _invoice(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick a discrepancy and a decision.")
        return redirect(invoice)
    data = form.cleaned_data
    line = get_object_or_404(invoice.lines, pk=data["line"]) if data["line"] else None
    try:
        discrepancy_decide(
            invoice=invoice,
            kind=data["kind"],
            line=line,
            decision=data["decision"],
            note=data["note"],
            by=request.user,
        )
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, "Decision recorded.")
    return redirect(invoice)


@require_POST
@role_required(Role.MANAGER)
def approve(request, pk):
    invoice = _invoice(request, pk)
    try:
        approved = invoice_approve(invoice=invoice, by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request, f"{invoice.number} approved for payment." if approved else "Already approved."
        )
    return redirect(invoice)


@require_POST
@role_required(Role.MANAGER)
def void(request, pk):
    invoice = _invoice(request, pk)
    try:
        invoice_void(invoice=invoice, reason=request.POST.get("reason", ""), by=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, f"{invoice.number} is void: it counts nowhere and stays on record.")
    return redirect(invoice)


@role_required(Role.MANAGER)
def month(request):
    period = period_from(request, default_period(timezone.localdate()))
    invoiced = (
        Vendor.objects.visible_to(request.user).filter(invoices__period=period).distinct().order_by("name")
    )
    vendor_filter = MonthVendorFilter(request.GET, queryset=invoiced)
    page = Paginator(vendor_filter.qs.only("pk"), VENDORS_PER_PAGE).get_page(request.GET.get("page"))
    rows = reconcile_month(period, vendor_ids=[vendor.pk for vendor in page]) if page.object_list else []
    context = {
        "filter": vendor_filter,
        "page": page,
        "rows": rows,
        "period": period,
        "periods": period_choices(period),
    }
    return render(request, "costs/reconciliation_month.html", context)

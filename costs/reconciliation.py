"""Invoices reconciled against their contracts, computed, never typed: per line the expected amount
beside the invoiced one, and each discrepancy named with its amount.

`reconcile(invoice)` for one invoice page, `reconcile_month(month)` for every vendor's invoices of a month
in a fixed number of queries. The manager's decisions and the approval are in `costs/decisions.py`.

How a category's invoiced lines compare with the contract's charge for it:
- rate above contract: the lines ask more than the contract's prices give for the quantity invoiced;
- volume above measured: more units (or seats) invoiced than measured (or agreed), priced at the
  contract's rates;
so the two add up to the whole overcharge. A category no term prices that month is a fee not in the
contract (a hidden fee); a credit due but missing or short on the "service-credit" lines is a credit not
applied; another non-void invoice of the vendor for the month with the same total or lines is a
duplicate, and blocks approval until one of the two is voided.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Prefetch

from costs.models import (
    DiscrepancyDecision,
    DiscrepancyKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
)
from costs.pricing import SERVICE_CREDIT, ExpectedBill, ExpectedCharge, expected_bill, month_context
from kpis.periods import month_start

ZERO = Decimal(0)


@dataclass(frozen=True)
class Discrepancy:
    kind: str
    line: InvoiceLine | None
    amount: Decimal
    detail: str
    decision: DiscrepancyDecision | None = None

    @property
    def key(self):
        return (self.kind, self.line.pk if self.line else None)

    @property
    def label(self):
        return DiscrepancyKind(self.kind).label

    @property
    def dispute(self):
        return getattr(self.decision, "dispute", None) if self.decision else None


@dataclass(frozen=True)
class LineCheck:
    """An invoice line beside the contract's charge for its category. A category invoiced on several
    lines is compared as a whole, on its first line (`expected` is None on the others)."""

    line: InvoiceLine
    charge: ExpectedCharge | None
    expected: Decimal | None

    @property
    def difference(self):
        return None if self.expected is None else self.line.amount - self.expected


@dataclass(frozen=True)
class Reconciliation:
    invoice: Invoice
    bill: ExpectedBill
    lines: list[LineCheck]
    discrepancies: list[Discrepancy]

    @property
    def invoiced(self) -> Decimal:
        return self.invoice.total

    @property
    def expected(self) -> Decimal:
        return self.bill.total

    @property
    def difference(self) -> Decimal:
        return self.invoiced - self.expected

    @cached_property
    def discrepancy_amount(self) -> Decimal:
        return sum((d.amount for d in self.discrepancies), ZERO)

    @cached_property
    def undecided(self):
        """Discrepancies without a decision, or whose amount has changed since (a corrected measurement,
        a new price term): accepting 120 is not accepting 900."""
        return [d for d in self.discrepancies if d.decision is None or d.decision.amount != d.amount]

    @cached_property
    def duplicate(self) -> Discrepancy | None:
        return next((d for d in self.discrepancies if d.kind == DiscrepancyKind.DUPLICATE_INVOICE), None)

    def find(self, kind, line_id) -> Discrepancy | None:
        return next((d for d in self.discrepancies if d.key == (kind, line_id)), None)


def _units(quantity):
    quantity = (
        quantity.quantize(Decimal(1)) if quantity == quantity.to_integral_value() else quantity.normalize()
    )
    return f"{quantity:,}"


def _category_discrepancies(charge, lines):
    quantity = sum((line.quantity for line in lines), ZERO)
    amount = sum((line.amount for line in lines), ZERO)
    found = []
    excess_units = quantity - charge.quantity
    if excess_units > 0:
        found.append(
            Discrepancy(
                DiscrepancyKind.VOLUME_ABOVE_MEASURED,
                lines[0],
                charge.price_of(quantity) - charge.price_of(charge.quantity),
                f"{_units(quantity)} invoiced, {_units(charge.quantity)} measured or agreed "
                f"for {charge.label}.",
            )
        )
    overcharge = amount - charge.price_of(quantity)
    if overcharge > 0:
        found.append(
            Discrepancy(
                DiscrepancyKind.RATE_ABOVE_CONTRACT,
                lines[0],
                overcharge,
                f"{charge.label}: the contract's prices give {charge.price_of(quantity):,} "
                f"for the {_units(quantity)} invoiced.",
            )
        )
    return found


def _credit_discrepancy(bill, credit_lines):
    applied = -sum((line.amount for line in credit_lines), ZERO)
    missing = bill.service_credit - applied
    if missing <= 0:
        return []
    detail = f"{bill.service_credit:,} of service credits due for SLA breaches, {applied:,} deducted."
    line = credit_lines[0] if credit_lines else None
    return [Discrepancy(DiscrepancyKind.CREDIT_NOT_APPLIED, line, missing, detail)]


def _lines_signature(invoice):
    return Counter(
        (line.category, line.quantity, line.unit_price, line.amount) for line in invoice.lines.all()
    )


def _duplicate_of(invoice, vendor_invoices):
    """Another non-void invoice under the same contract, same month, with the same total or the same lines."""
    if invoice.status == InvoiceStatus.VOID:
        return None
    signature = None
    for other in vendor_invoices:
        # Two contracts of one vendor (two services) may well bill the same fixed fee in a month.
        if (
            other.pk == invoice.pk
            or other.status == InvoiceStatus.VOID
            or other.contract_id != invoice.contract_id
        ):
            continue
        if other.total == invoice.total:
            return other
        signature = signature if signature is not None else _lines_signature(invoice)
        if signature and _lines_signature(other) == signature:
            return other
    return None


def reconcile_one(invoice, bill, vendor_invoices) -> Reconciliation:
    """Compare one invoice (lines and decisions prefetched) with its contract's expected bill and the
    vendor's other invoices of the month."""
    charges = bill.by_category()
    by_category = defaultdict(list)
    for line in invoice.lines.all():
        by_category[line.category].append(line)
    checks, found = [], []
    for category, lines in by_category.items():
        if category == SERVICE_CREDIT:
            continue
        charge = charges.get(category)
        if charge is None:
            found += [
                Discrepancy(
                    DiscrepancyKind.FEE_NOT_IN_CONTRACT,
                    line,
                    line.amount,
                    f'No price term of the contract charges "{category}" this month.',
                )
                for line in lines
                if line.amount > 0
            ]
        else:
            found += _category_discrepancies(charge, lines)
    found += _credit_discrepancy(bill, by_category.get(SERVICE_CREDIT, []))
    duplicate = _duplicate_of(invoice, vendor_invoices)
    if duplicate is not None:
        detail = f"{duplicate.number} asks for the same month with the same total or the same lines."
        found.append(Discrepancy(DiscrepancyKind.DUPLICATE_INVOICE, None, invoice.total, detail))
    decisions = {(d.kind, d.line_id): d for d in invoice.decisions.all()}
    found = [Discrepancy(d.kind, d.line, d.amount, d.detail, decisions.get(d.key)) for d in found]
    first_lines = {lines[0].pk for lines in by_category.values()}
    for line in invoice.lines.all():
        if line.category == SERVICE_CREDIT:
            expected = -bill.service_credit if line.pk in first_lines else None
            checks.append(LineCheck(line, None, expected))
            continue
        charge = charges.get(line.category)
        expected = (charge.amount if charge else ZERO) if line.pk in first_lines else None
        checks.append(LineCheck(line, charge, expected))
    return Reconciliation(invoice=invoice, bill=bill, lines=checks, discrepancies=found)


def _month_invoices(month, vendor_filter):
    """Every invoice of the month of these vendors, with what reconciling them needs: three queries."""
    return list(
        Invoice.objects.filter(period=month_start(month), **vendor_filter)
        .select_related("vendor", "contract__vendor")
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position", "pk")),
            Prefetch(
                "decisions", queryset=DiscrepancyDecision.objects.select_related("dispute", "decided_by")
            ),
        )
        .order_by("vendor__name", "number")
    )


def _reconcile_all(invoices, month):
    context = month_context([invoice.contract for invoice in invoices], month)
    bills, per_vendor = {}, defaultdict(list)
    for invoice in invoices:
        per_vendor[invoice.vendor_id].append(invoice)
    results = []
    for invoice in invoices:
        if invoice.contract_id not in bills:
            bills[invoice.contract_id] = expected_bill(invoice.contract, context)
        results.append(reconcile_one(invoice, bills[invoice.contract_id], per_vendor[invoice.vendor_id]))
    return results


def reconcile(invoice) -> Reconciliation:
    """One invoice reconciled: eleven queries (the vendor's invoices of the month, their lines and
    decisions, and the month's pricing context), whatever the number of lines."""
    invoices = _month_invoices(invoice.period, {"vendor_id": invoice.vendor_id})
    results = _reconcile_all(invoices, invoice.period)
    return next(result for result in results if result.invoice.pk == invoice.pk)


@dataclass(frozen=True)
class VendorMonth:
    """One vendor's invoices of a month, totalled (voided invoices are listed but not counted)."""

    vendor: object
    reconciliations: list[Reconciliation]

    @cached_property
    def counted(self):
        return [r for r in self.reconciliations if r.invoice.status != InvoiceStatus.VOID]

    @property
    def invoiced(self):
        return sum((r.invoiced for r in self.counted), ZERO)

    @property
    def expected(self):
        """What the vendor's contracts make it owe, once per contract however many invoices it sent."""
        bills = {r.bill.contract.pk: r.bill.total for r in self.counted}
        return sum(bills.values(), ZERO)

    @property
    def discrepancy_count(self):
        return sum(len(r.discrepancies) for r in self.counted)

    @property
    def discrepancy_amount(self):
        return sum((r.discrepancy_amount for r in self.counted), ZERO)


def reconcile_month(month, *, vendor_ids=None) -> list[VendorMonth]:
    """Every vendor's invoices of `month` (or those of `vendor_ids`), reconciled: eleven queries,
    whatever the number of vendors, invoices and lines."""
    vendor_filter = {} if vendor_ids is None else {"vendor_id__in": list(vendor_ids)}
    invoices = _month_invoices(month, vendor_filter)
    per_vendor = defaultdict(list)
    for result in _reconcile_all(invoices, month_start(month)):
        per_vendor[result.invoice.vendor_id].append(result)
    return [
        VendorMonth(vendor=results[0].invoice.vendor, reconciliations=results)
        for results in per_vendor.values()
    ]

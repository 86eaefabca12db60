"""Invoices reconciled against their contract: each discrepancy with its amount, the manager's
decisions, approval and its refusals, and the queries of the month and of the invoice page.

The standard contract (pricing_builders): 20,000 fixed + contacts at 1.00 (0.80 above 10,000); in
October 12,000 contacts measured and CSAT breached, so 400 of service credits: 31,200 expected.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alerts.models import Alert
from costs.decisions import discrepancy_decide, invoice_approve, invoice_void
from costs.models import Decision, DiscrepancyKind, Dispute, InvoiceStatus
from costs.reconciliation import reconcile, reconcile_month
from tests.costs.pricing_builders import CLEAN_LINES, OCT, invoice, standard_contract
from tests.factories import ContractFactory, VendorFactory

pytestmark = pytest.mark.django_db
K = DiscrepancyKind


def found(inv):
    return sorted(
        (d.kind, d.line.category if d.line else None, d.amount) for d in reconcile(inv).discrepancies
    )


def replace(lines, category, row):
    return [row if line[0] == category else line for line in lines]


@pytest.fixture
def contract(vendor_a):
    return standard_contract(vendor_a)


def test_a_clean_invoice_has_no_discrepancy(contract):
    clean = invoice(contract, CLEAN_LINES)
    result = reconcile(clean)
    assert result.discrepancies == []
    assert (result.invoiced, result.expected) == (Decimal("31200.00"), Decimal("31200.00"))
    assert [check.expected for check in result.lines] == [
        Decimal("20000.00"),
        Decimal("11600.00"),
        Decimal("-400.00"),
    ]


def test_rate_above_contract(contract):
    inv = invoice(contract, replace(CLEAN_LINES, "platform-fee", ("platform-fee", 1, 21000, 21000)))
    assert found(inv) == [(K.RATE_ABOVE_CONTRACT, "platform-fee", Decimal("1000.00"))]


def test_volume_above_measured_priced_at_the_contracts_tiers(contract):
    """13,000 invoiced for 12,000 measured: 1,000 more units at the 0.80 tier."""
    inv = invoice(contract, replace(CLEAN_LINES, "contacts", ("contacts", 13000, "0.9538", 12400)))
    assert found(inv) == [(K.VOLUME_ABOVE_MEASURED, "contacts", Decimal("800.00"))]


def test_volume_and_rate_together_add_up_to_the_overcharge(contract):
    """13,000 at 1.00 = 13,000 for 11,600 expected: 800 of volume, 600 of rate."""
    inv = invoice(contract, replace(CLEAN_LINES, "contacts", ("contacts", 13000, 1, 13000)))
    assert found(inv) == [
        (K.RATE_ABOVE_CONTRACT, "contacts", Decimal("600.00")),
        (K.VOLUME_ABOVE_MEASURED, "contacts", Decimal("800.00")),
    ]
    assert reconcile(inv).discrepancy_amount == Decimal("1400.00")


def test_seats_above_the_contract_are_volume_above_measured(vendor_a):
    from tests.costs.pricing_builders import per_fte
    from tests.factories import ContractFactory

    contract = ContractFactory(vendor=vendor_a)
    per_fte(contract, 10, 3000)
    inv = invoice(contract, [("agent-seat", 12, 3000, 36000)])
    assert found(inv) == [(K.VOLUME_ABOVE_MEASURED, "agent-seat", Decimal("6000.00"))]


def test_hidden_fee(contract):
    inv = invoice(contract, [*CLEAN_LINES, ("admin-fee", 1, 250, 250)])
    assert found(inv) == [(K.FEE_NOT_IN_CONTRACT, "admin-fee", Decimal("250"))]
    assert reconcile(inv).lines[-1].expected == 0


def test_a_one_off_outside_its_month_is_a_fee_not_in_the_contract(contract):
    from tests.costs.pricing_builders import NOV, one_off

    one_off(contract, 5000, NOV)
    inv = invoice(contract, [*CLEAN_LINES, ("setup", 1, 5000, 5000)])
    assert found(inv) == [(K.FEE_NOT_IN_CONTRACT, "setup", Decimal("5000"))]


@pytest.mark.parametrize(
    ("credit_lines", "missing", "line"),
    [
        ([], Decimal("400.00"), None),
        ([("service-credit", 1, -100, -100)], Decimal("300.00"), "service-credit"),
    ],
)
def test_service_credit_not_applied(contract, credit_lines, missing, line):
    lines = [row for row in CLEAN_LINES if row[0] != "service-credit"] + credit_lines
    assert found(invoice(contract, lines)) == [(K.CREDIT_NOT_APPLIED, line, missing)]


def test_duplicate_invoice_same_total_or_same_lines(contract):
    first = invoice(contract, CLEAN_LINES)
    second = invoice(contract, CLEAN_LINES, total="31200.01")  # same lines, a different total
    assert found(second) == [(K.DUPLICATE_INVOICE, None, Decimal("31200.01"))]
    assert found(first) == [(K.DUPLICATE_INVOICE, None, Decimal("31200.00"))]
    second.status = InvoiceStatus.VOID
    second.save()
    assert found(first) == []


def test_a_different_month_or_vendor_is_no_duplicate(contract, vendor_b):
    first = invoice(contract, CLEAN_LINES)
    invoice(contract, CLEAN_LINES, period=OCT.replace(month=9))
    invoice(standard_contract(vendor_b), CLEAN_LINES)
    assert found(first) == []


# Decisions --------------------------------------------------------------------------------------------


@pytest.fixture
def overcharged(contract):
    """Rate above contract on the platform fee, and a hidden fee."""
    lines = replace(CLEAN_LINES, "platform-fee", ("platform-fee", 1, 21000, 21000))
    return invoice(contract, [*lines, ("admin-fee", 1, 250, 250)])


def line_of(inv, category):
    return inv.lines.get(category=category)


def test_accepting_records_the_amount(overcharged, manager):
    line = line_of(overcharged, "platform-fee")
    record = discrepancy_decide(
        invoice=overcharged,
        kind=K.RATE_ABOVE_CONTRACT,
        line=line,
        decision=Decision.ACCEPTED,
        note="",
        by=manager,
    )
    assert (record.amount, record.decided_by) == (Decimal("1000.00"), manager)
    assert reconcile(overcharged).find(K.RATE_ABOVE_CONTRACT, line.pk).decision == record


def test_disputing_needs_a_note_and_opens_a_thread(overcharged, manager):
    line = line_of(overcharged, "admin-fee")
    with pytest.raises(ValidationError, match="Say what is disputed"):
        discrepancy_decide(
            invoice=overcharged,
            kind=K.FEE_NOT_IN_CONTRACT,
            line=line,
            decision=Decision.DISPUTED,
            note=" ",
            by=manager,
        )
    discrepancy_decide(
        invoice=overcharged,
        kind=K.FEE_NOT_IN_CONTRACT,
        line=line,
        decision=Decision.DISPUTED,
        note="No admin fee in the contract.",
        by=manager,
    )
    dispute = Dispute.objects.get()
    assert [m.body for m in dispute.messages.all()] == ["No admin fee in the contract."]
    overcharged.refresh_from_db()
    assert overcharged.status == InvoiceStatus.DISPUTED
    with pytest.raises(ValidationError, match="settled in its dispute thread"):
        discrepancy_decide(
            invoice=overcharged,
            kind=K.FEE_NOT_IN_CONTRACT,
            line=line,
            decision=Decision.ACCEPTED,
            note="",
            by=manager,
        )


def test_only_a_manager_decides(overcharged, qa, staff_a):
    for user in (qa, staff_a):
        with pytest.raises(PermissionDenied):
            discrepancy_decide(
                invoice=overcharged,
                kind=K.FEE_NOT_IN_CONTRACT,
                line=line_of(overcharged, "admin-fee"),
                decision=Decision.ACCEPTED,
                note="",
                by=user,
            )


def test_a_discrepancy_that_is_not_there_cannot_be_decided(overcharged, manager):
    with pytest.raises(ValidationError, match="no longer there"):
        discrepancy_decide(
            invoice=overcharged,
            kind=K.CREDIT_NOT_APPLIED,
            line=None,
            decision=Decision.ACCEPTED,
            note="",
            by=manager,
        )


def test_a_duplicate_cannot_be_accepted(contract, manager):
    invoice(contract, CLEAN_LINES)
    second = invoice(contract, CLEAN_LINES)
    with pytest.raises(ValidationError, match="cannot be accepted"):
        discrepancy_decide(
            invoice=second,
            kind=K.DUPLICATE_INVOICE,
            line=None,
            decision=Decision.ACCEPTED,
            note="",
            by=manager,
        )


# Approval ---------------------------------------------------------------------------------------------


def accept_all(inv, manager):
    for d in reconcile(inv).discrepancies:
        discrepancy_decide(
            invoice=inv, kind=d.kind, line=d.line, decision=Decision.ACCEPTED, note="", by=manager
        )


def test_approval_waits_for_every_decision(overcharged, manager):
    with pytest.raises(ValidationError, match="2 discrepancies are not decided"):
        invoice_approve(invoice=overcharged, by=manager)
    accept_all(overcharged, manager)
    assert invoice_approve(invoice=overcharged, by=manager) is True
    overcharged.refresh_from_db()
    assert (overcharged.status, overcharged.approved_by) == (InvoiceStatus.APPROVED, manager)
    assert overcharged.history.first().status == InvoiceStatus.APPROVED


def test_approving_twice_is_harmless(contract, manager):
    clean = invoice(contract, CLEAN_LINES)
    assert invoice_approve(invoice=clean, by=manager) is True
    approved_at = type(clean).objects.get(pk=clean.pk).approved_at
    assert invoice_approve(invoice=clean, by=manager) is False
    assert type(clean).objects.get(pk=clean.pk).approved_at == approved_at


def test_an_open_dispute_blocks_approval(overcharged, manager):
    accept_all(overcharged, manager)
    decision = overcharged.decisions.get(kind=K.FEE_NOT_IN_CONTRACT)
    decision.decision, decision.note = Decision.DISPUTED, "Why?"
    decision.save()
    Dispute.objects.create(invoice=overcharged, decision=decision, opened_by=manager)
    with pytest.raises(ValidationError, match="dispute about it is still open"):
        invoice_approve(invoice=overcharged, by=manager)


def test_a_duplicate_is_never_approved(contract, manager):
    invoice(contract, CLEAN_LINES)
    second = invoice(contract, CLEAN_LINES)
    with pytest.raises(ValidationError, match="duplicate invoice"):
        invoice_approve(invoice=second, by=manager)


def test_an_approved_invoice_is_locked(overcharged, manager):
    accept_all(overcharged, manager)
    invoice_approve(invoice=overcharged, by=manager)
    with pytest.raises(ValidationError, match="locked"):
        discrepancy_decide(
            invoice=overcharged,
            kind=K.FEE_NOT_IN_CONTRACT,
            line=line_of(overcharged, "admin-fee"),
            decision=Decision.DISPUTED,
            note="On second thought",
            by=manager,
        )


def test_only_a_manager_approves(contract, qa):
    with pytest.raises(PermissionDenied):
        invoice_approve(invoice=invoice(contract, CLEAN_LINES), by=qa)


# Pages ------------------------------------------------------------------------------------------------


def test_manager_disputes_and_accepts_from_the_invoice_page(client_for, overcharged, manager):
    client = client_for(manager)
    url = reverse("costs:decide", kwargs={"pk": overcharged.pk})
    client.post(
        url,
        {
            "kind": K.RATE_ABOVE_CONTRACT,
            "line": line_of(overcharged, "platform-fee").pk,
            "decision": "accepted",
        },
    )
    client.post(
        url,
        {
            "kind": K.FEE_NOT_IN_CONTRACT,
            "line": line_of(overcharged, "admin-fee").pk,
            "decision": "disputed",
            "note": "Not agreed.",
        },
    )
    assert overcharged.decisions.count() == 2 and Dispute.objects.count() == 1
    page = client.get(overcharged.get_absolute_url()).content.decode()
    assert "Rate above contract" in page and "A dispute about it is still open." in page


def test_vendor_staff_see_lines_and_status_but_no_expected_amounts_nor_notes(
    client_for, overcharged, manager, staff_a
):
    line = line_of(overcharged, "platform-fee")
    discrepancy_decide(
        invoice=overcharged,
        kind=K.RATE_ABOVE_CONTRACT,
        line=line,
        decision=Decision.ACCEPTED,
        note="internal-xyz",
        by=manager,
    )
    page = client_for(staff_a).get(overcharged.get_absolute_url()).content.decode()
    assert "admin-fee" in page and overcharged.get_status_display() in page
    assert "Expected" not in page and "internal-xyz" not in page and "Rate above contract" not in page


def month_of(vendors, first=0):
    for index in range(first, first + vendors):
        contract = standard_contract(VendorFactory(name=f"Vendor {index:03d}"))
        invoice(contract, [*CLEAN_LINES, ("admin-fee", 1, 250, 250)])
        invoice(contract, CLEAN_LINES, period=OCT.replace(month=9))


def test_reconcile_month_queries_do_not_grow():
    counts = []
    for vendors in (3, 30):
        month_of(vendors - 3 if counts else vendors, first=3 if counts else 0)
        with CaptureQueriesContext(connection) as queries:
            rows = reconcile_month(OCT)
        counts.append(len(queries))
        assert len(rows) == vendors
        assert all(row.discrepancy_count == 1 and row.discrepancy_amount == 250 for row in rows)
    assert counts[0] == counts[1] == 11


@pytest.mark.parametrize("extra_lines", [1, 25])
def test_invoice_page_queries_do_not_grow(
    client_for, contract, manager, django_assert_num_queries, extra_lines
):
    inv = invoice(contract, [*CLEAN_LINES, *((f"extra-{n}", 1, 10, 10) for n in range(extra_lines))])
    for d in reconcile(inv).discrepancies[:5]:
        discrepancy_decide(
            invoice=inv, kind=d.kind, line=d.line, decision=Decision.DISPUTED, note="Why?", by=manager
        )
    client = client_for(manager)
    with django_assert_num_queries(17):
        client.get(inv.get_absolute_url())


@pytest.mark.parametrize("vendors", [2, 12])
def test_month_page_queries_do_not_grow(client_for, manager, django_assert_num_queries, vendors):
    import time_machine

    month_of(vendors)
    client = client_for(manager)
    with time_machine.travel(OCT.replace(month=11, day=15), tick=False), django_assert_num_queries(16):
        response = client.get(reverse("costs:reconciliation"), {"period": "2026-10", "status": "active"})
    assert len(response.context["rows"]) == vendors


@pytest.mark.parametrize("extra_lines", [1, 25])
def test_vendor_invoice_page_queries_do_not_grow(
    client_for, contract, staff_a, django_assert_num_queries, extra_lines
):
    inv = invoice(contract, [*CLEAN_LINES, *((f"extra-{n}", 1, 10, 10) for n in range(extra_lines))])
    client = client_for(staff_a)
    with django_assert_num_queries(6):
        client.get(inv.get_absolute_url())


def test_two_terms_of_one_category_are_compared_together(contract):
    """Two one-off fees of the month on one category: 1,000 + 500 invoiced on one line of two."""
    from tests.costs.pricing_builders import one_off

    one_off(contract, 1000, OCT)
    one_off(contract, 500, OCT)
    inv = invoice(contract, [*CLEAN_LINES, ("setup", 2, 750, 1500)])
    assert found(inv) == []
    over = invoice(contract, [*CLEAN_LINES, ("setup", 2, 800, 1600)], number="X-2", period=OCT)
    assert (K.RATE_ABOVE_CONTRACT, "setup", Decimal("100.00")) in found(over)


def test_the_same_fee_under_another_contract_of_the_vendor_is_no_duplicate(contract, vendor_a):
    """Two services, two contracts, the same fixed fee billed in the same month: both are honest."""
    other_contract = ContractFactory(vendor=vendor_a, reference="MSA-BACK-OFFICE")
    first = invoice(contract, CLEAN_LINES)
    invoice(other_contract, CLEAN_LINES)
    assert found(first) == []


def test_an_accepted_discrepancy_whose_amount_grew_must_be_decided_again(overcharged, manager):
    accept_all(overcharged, manager)
    line = line_of(overcharged, "admin-fee")
    line.unit_price = line.amount = Decimal("900")
    line.save()
    overcharged.total += Decimal("650")
    overcharged.save()
    with pytest.raises(ValidationError, match="not decided"):
        invoice_approve(invoice=overcharged, by=manager)


def test_disputing_tells_the_vendors_staff(overcharged, manager, staff_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        discrepancy_decide(
            invoice=overcharged,
            kind=K.FEE_NOT_IN_CONTRACT,
            line=line_of(overcharged, "admin-fee"),
            decision=Decision.DISPUTED,
            note="No admin fee was agreed.",
            by=manager,
        )
    assert Alert.objects.filter(kind="dispute_opened", recipient=staff_a).exists()


def test_voiding_one_of_two_duplicates_lets_the_other_be_approved(contract, manager, qa):
    first = invoice(contract, CLEAN_LINES)
    second = invoice(contract, CLEAN_LINES)
    with pytest.raises(ValidationError, match="Say why"):
        invoice_void(invoice=second, reason=" ", by=manager)
    with pytest.raises(PermissionDenied):
        invoice_void(invoice=second, reason="Sent twice.", by=qa)
    invoice_void(invoice=second, reason="Sent twice: the first one stands.", by=manager)
    second.refresh_from_db()
    assert second.status == InvoiceStatus.VOID
    assert second.history.first().history_change_reason == "Sent twice: the first one stands."
    assert invoice_approve(invoice=first, by=manager) is True
    with pytest.raises(ValidationError, match="locked"):
        invoice_void(invoice=first, reason="Too late.", by=manager)


def test_voiding_closes_the_invoices_open_disputes(overcharged, manager):
    discrepancy_decide(
        invoice=overcharged,
        kind=K.FEE_NOT_IN_CONTRACT,
        line=line_of(overcharged, "admin-fee"),
        decision=Decision.DISPUTED,
        note="No admin fee was agreed.",
        by=manager,
    )
    invoice_void(invoice=overcharged, reason="Replaced by a corrected invoice.", by=manager)
    dispute = Dispute.objects.get(invoice=overcharged)
    assert (dispute.status, dispute.resolution) == (
        "resolved",
        "Invoice voided: Replaced by a corrected invoice.",
    )

"""The dispute thread: who may write, resolving it both ways, alerts, and the pages by role."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from alerts.models import Alert, Channel
from costs import dispute_alerts
from costs.disputes import Outcome, dispute_reply, dispute_resolve, outcome_of
from costs.models import Decision, DiscrepancyKind, DisputeStatus, InvoiceStatus
from tests.costs.disputes_builders import disputed, pdf
from tests.costs.factories import InvoiceFactory
from tests.factories import ContractFactory, make_user


@pytest.fixture
def invoice_a(vendor_a, manager):
    vendor_a.owner = manager
    vendor_a.save()
    return InvoiceFactory(contract=ContractFactory(vendor=vendor_a), entered_by=manager)


@pytest.fixture
def dispute(invoice_a, manager):
    return disputed(invoice_a, by=manager, note="Internal: the 1,500 setup fee is not in the MSA.")


def messages_of(error):
    return " ".join(error.value.messages)


# The thread


def test_the_manager_and_the_vendors_staff_answer_in_turn(dispute, manager, staff_a):
    dispute_reply(dispute=dispute, by=staff_a, body="  The setup was agreed by email in March.  ")
    dispute_reply(dispute=dispute, by=manager, body="Please send that email.", attachment=pdf())
    thread = list(dispute.messages.all())
    assert [(m.author, m.body) for m in thread] == [
        (manager, "Internal: the 1,500 setup fee is not in the MSA."),
        (staff_a, "The setup was agreed by email in March."),
        (manager, "Please send that email."),
    ]
    assert thread[2].attachment.name.endswith(".pdf")


@pytest.mark.parametrize("persona", ["qa", "staff_b", "outsider"])
def test_only_the_manager_and_the_invoice_vendors_staff_may_write(request, dispute, persona):
    with pytest.raises(PermissionDenied):
        dispute_reply(dispute=dispute, by=request.getfixturevalue(persona), body="Me too.")
    assert dispute.messages.count() == 1


def test_an_empty_message_and_a_disguised_file_are_refused(dispute, staff_a):
    with pytest.raises(ValidationError) as error:
        dispute_reply(dispute=dispute, by=staff_a, body="   ")
    assert error.value.message_dict == {"body": ["Write a message."]}
    page = SimpleUploadedFile("invoice.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError) as error:
        dispute_reply(dispute=dispute, by=staff_a, body="See file.", attachment=page)
    assert "not an accepted type" in " ".join(error.value.message_dict["attachment"])
    assert dispute.messages.count() == 1


def test_a_resolved_thread_is_closed(dispute, manager, staff_a):
    dispute_resolve(dispute=dispute, by=manager, outcome=Outcome.ACCEPT_CHARGE, resolution="Agreed.")
    with pytest.raises(ValidationError) as error:
        dispute_reply(dispute=dispute, by=staff_a, body="One more thing.")
    assert "resolved" in messages_of(error)


# Resolving


def test_accepting_the_charge_accepts_the_discrepancy_and_returns_the_invoice_to_approval(dispute, manager):
    dispute_resolve(dispute=dispute, by=manager, outcome=Outcome.ACCEPT_CHARGE, resolution="Setup agreed.")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.resolved_by, dispute.resolution) == (
        DisputeStatus.RESOLVED,
        manager,
        "Setup agreed.",
    )
    assert dispute.resolved_at is not None
    assert dispute.decision.decision == Decision.ACCEPTED
    assert dispute.invoice.status == InvoiceStatus.RECEIVED
    assert outcome_of(dispute) == Outcome.ACCEPT_CHARGE
    assert dispute.history.first().history_user == manager
    assert dispute.invoice.history.first().history_user == manager


def test_the_invoice_stays_disputed_while_another_dispute_is_open(dispute, invoice_a, manager):
    disputed(invoice_a, by=manager, kind=DiscrepancyKind.CREDIT_NOT_APPLIED, note="Credit missing.")
    dispute_resolve(dispute=dispute, by=manager, outcome=Outcome.ACCEPT_CHARGE, resolution="Agreed.")
    invoice_a.refresh_from_db()
    assert invoice_a.status == InvoiceStatus.DISPUTED


def test_vendor_corrects_voids_the_invoice_and_keeps_the_discrepancy_disputed(dispute, manager):
    dispute_resolve(
        dispute=dispute, by=manager, outcome=Outcome.VENDOR_CORRECTS, resolution="Send a corrected invoice."
    )
    dispute.refresh_from_db()
    assert dispute.decision.decision == Decision.DISPUTED
    assert dispute.invoice.status == InvoiceStatus.VOID
    assert outcome_of(dispute) == Outcome.VENDOR_CORRECTS


def test_an_approved_invoice_cannot_be_voided(dispute, invoice_a, manager):
    InvoiceFactory._meta.model.objects.filter(pk=invoice_a.pk).update(
        status=InvoiceStatus.APPROVED, approved_by=manager, approved_at=invoice_a.entered_at
    )
    with pytest.raises(ValidationError) as error:
        dispute_resolve(dispute=dispute, by=manager, outcome=Outcome.VENDOR_CORRECTS, resolution="Fix it.")
    assert "already approved" in messages_of(error)
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN


@pytest.mark.parametrize("persona", ["qa", "staff_a"])
def test_only_a_manager_resolves(request, dispute, persona):
    with pytest.raises(PermissionDenied):
        dispute_resolve(
            dispute=dispute, by=request.getfixturevalue(persona), outcome="accept_charge", resolution="Ok"
        )


def test_a_resolution_needs_an_outcome_and_words_and_happens_once(dispute, manager):
    with pytest.raises(ValidationError) as error:
        dispute_resolve(dispute=dispute, by=manager, outcome="maybe", resolution="Hm.")
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        dispute_resolve(dispute=dispute, by=manager, outcome="accept_charge", resolution=" ")
    assert "resolution" in error.value.message_dict
    dispute_resolve(dispute=dispute, by=manager, outcome="accept_charge", resolution="Agreed.")
    with pytest.raises(ValidationError):
        dispute_resolve(dispute=dispute, by=manager, outcome="vendor_corrects", resolution="Again.")


# Alerts


def recipients(kind):
    return set(Alert.objects.filter(kind=kind, channel=Channel.IN_APP).values_list("recipient", flat=True))


def test_the_vendors_staff_hear_of_the_dispute_and_of_the_managers_messages(
    dispute, manager, staff_a, staff_b
):
    colleague = make_user("staff-a2", Role.VENDOR_STAFF, vendor=dispute.invoice.vendor)
    dispute_alerts.dispute_opened(dispute)
    assert recipients(dispute_alerts.DISPUTE_OPENED) == {staff_a.pk, colleague.pk}
    dispute_reply(dispute=dispute, by=manager, body="Any news?")
    assert recipients(dispute_alerts.DISPUTE_MESSAGE) == {staff_a.pk, colleague.pk}
    dispute_resolve(dispute=dispute, by=manager, outcome="accept_charge", resolution="Agreed.")
    assert recipients(dispute_alerts.DISPUTE_RESOLVED) == {staff_a.pk, colleague.pk}


def test_our_side_hears_the_staff_reply(dispute, manager, staff_a):
    other_manager = make_user("mark", Role.MANAGER)
    dispute_reply(dispute=dispute, by=other_manager, body="Adding myself.")
    dispute_reply(dispute=dispute, by=staff_a, body="Here is our answer.")
    # The owner (who opened it) and the manager who wrote; never the staff themselves.
    assert recipients(dispute_alerts.DISPUTE_REPLY) == {manager.pk, other_manager.pk}
    alert = Alert.objects.get(
        kind=dispute_alerts.DISPUTE_REPLY, recipient=other_manager, channel=Channel.IN_APP
    )
    assert alert.link == dispute.get_absolute_url()


# Pages


def test_the_list_shows_managers_every_dispute_and_staff_their_own(
    client_for, dispute, manager, staff_a, staff_b, vendor_b
):
    other = disputed(
        InvoiceFactory(contract=ContractFactory(vendor=vendor_b), entered_by=manager), by=manager
    )
    url = reverse("costs:dispute_list")
    assert {d.pk for d in client_for(manager).get(url).context["page"]} == {dispute.pk, other.pk}
    assert {d.pk for d in client_for(staff_a).get(url).context["page"]} == {dispute.pk}
    assert {d.pk for d in client_for(staff_b).get(url).context["page"]} == {other.pk}


def test_resolved_disputes_have_their_own_tab(client_for, dispute, manager):
    dispute_resolve(dispute=dispute, by=manager, outcome="accept_charge", resolution="Agreed.")
    url = reverse("costs:dispute_list")
    assert list(client_for(manager).get(url).context["page"]) == []
    assert [d.pk for d in client_for(manager).get(url + "?status=resolved").context["page"]] == [dispute.pk]


def test_staff_see_the_thread_and_a_reply_form_but_not_the_resolve_form(client_for, dispute, staff_a):
    dispute.decision.note = "Internal: they overcharged last year too."
    dispute.decision.save()
    response = client_for(staff_a).get(dispute.get_absolute_url())
    page = response.content.decode()
    assert "the 1,500 setup fee is not in the MSA" in page  # the thread's first message
    assert "overcharged last year" not in page  # the decision's internal note
    assert reverse("costs:dispute_reply", args=[dispute.pk]) in page
    assert reverse("costs:dispute_resolve", args=[dispute.pk]) not in page


def test_staff_reply_through_the_page_with_a_file_and_download_it(client_for, dispute, staff_a):
    client = client_for(staff_a)
    response = client.post(
        reverse("costs:dispute_reply", args=[dispute.pk]),
        {"body": "Breakdown attached.", "attachment": pdf()},
    )
    assert response.status_code == 302
    message = dispute.messages.last()
    download = client.get(reverse("costs:dispute_attachment", args=[message.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_bad_reply_re_renders_the_page_with_its_error(client_for, dispute, staff_a):
    response = client_for(staff_a).post(reverse("costs:dispute_reply", args=[dispute.pk]), {"body": ""})
    assert response.status_code == 400
    assert response.context["reply_form"].errors["body"]


def test_the_manager_resolves_through_the_page(client_for, dispute, manager):
    url = reverse("costs:dispute_resolve", args=[dispute.pk])
    response = client_for(manager).post(url, {"outcome": "vendor_corrects", "resolution": "Resend."})
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.invoice.status == InvoiceStatus.VOID
    page = client_for(manager).get(dispute.get_absolute_url()).content.decode()
    assert "Vendor corrects the invoice" in page and "Resend." in page


def test_staff_of_another_vendor_get_404_on_the_dispute_and_its_files(client_for, dispute, manager, staff_b):
    message = dispute_reply(dispute=dispute, by=manager, body="File.", attachment=pdf())
    client = client_for(staff_b)
    assert client.get(dispute.get_absolute_url()).status_code == 404
    assert client.get(reverse("costs:dispute_attachment", args=[message.pk])).status_code == 404
    response = client.post(reverse("costs:dispute_reply", args=[dispute.pk]), {"body": "Hi"})
    assert response.status_code == 404
    assert dispute.messages.count() == 2


# Query counts


def grow(count, vendor, manager):
    contract = ContractFactory(vendor=vendor)
    for _ in range(count):
        dispute = disputed(InvoiceFactory(contract=contract, entered_by=manager), by=manager)
        dispute_reply(dispute=dispute, by=manager, body="Any news?")


# session, user, profile (the role); count, page of disputes with their invoice, vendor and decision.
LIST_QUERIES = 5
# session, user, profile; the dispute with its invoice, vendor and decision; the thread with its authors.
DETAIL_QUERIES = 5


@pytest.mark.parametrize("count", [2, 20])
def test_the_list_costs_the_same_queries_at_any_size(
    client_for, django_assert_num_queries, vendor_a, manager, staff_a, count
):
    grow(count, vendor_a, manager)
    for user in (manager, staff_a):
        client = client_for(user)
        with django_assert_num_queries(LIST_QUERIES):
            response = client.get(reverse("costs:dispute_list"))
        assert len(response.context["page"]) == count


@pytest.mark.parametrize("count", [2, 20])
def test_the_dispute_page_costs_the_same_queries_at_any_thread_length(
    client_for, django_assert_num_queries, dispute, manager, staff_a, count
):
    for number in range(count):
        dispute_reply(dispute=dispute, by=staff_a if number % 2 else manager, body=f"Message {number}")
    client = client_for(staff_a)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(dispute.get_absolute_url())
    assert response.status_code == 200

"""Candidates: a prospect from the registry or a new one, never twice; their proposal documents."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bporeg.uploads import sample_bytes
from sourcing import services
from sourcing.models import Candidate, CandidateStatus, ProposalDocument, SelectionStatus
from tests.factories import VendorFactory
from tests.sourcing.factories import CandidateFactory, SelectionFactory
from vendors.models import Vendor, VendorStatus

pytestmark = pytest.mark.django_db

QUOTE = {
    "source": "referral",
    "pricing_model": "per_hour",
    "unit_price": "28.50",
    "quoted_monthly_fee": "41000",
    "setup_fee": "12000",
    "currency": "eur",
    "industry_experience": "Ten years in retail e-commerce.",
}


@pytest.fixture
def selection(manager):
    return SelectionFactory(owner=manager, status=SelectionStatus.OPEN)


def add(client, selection, **fields):
    return client.post(reverse("sourcing:candidate_add", kwargs={"pk": selection.pk}), {**QUOTE, **fields})


def test_a_prospect_from_the_registry_becomes_a_candidate_with_its_quote(client_for, manager, selection):
    prospect = VendorFactory(name="Nova Contact", status=VendorStatus.PROSPECT)

    response = add(client_for(manager), selection, vendor=prospect.pk)

    candidate = Candidate.objects.get(selection=selection)
    assert response.url == reverse("sourcing:candidate", kwargs={"pk": candidate.pk})
    assert (candidate.vendor, candidate.source, candidate.pricing_model) == (prospect, "referral", "per_hour")
    assert (str(candidate.unit_price), candidate.currency) == ("28.50", "EUR")
    assert candidate.history.first().history_user == manager


def test_a_project_manager_adds_and_edits_candidates_but_never_sees_nor_sets_the_quote(
    client_for, manager, pm, selection
):
    prospect = VendorFactory(name="Nova Contact", status=VendorStatus.PROSPECT)
    client = client_for(pm)
    form = client.get(reverse("sourcing:candidate_add", kwargs={"pk": selection.pk})).context["form"]
    assert not set(Candidate.MONEY_FIELDS) & set(form.fields)
    add(client, selection, vendor=prospect.pk)  # the quote in the post is ignored: its fields are gone
    candidate = Candidate.objects.get(selection=selection)
    assert (candidate.pricing_model, candidate.quoted_monthly_fee, candidate.unit_price) == (
        "per_hour",
        None,
        None,
    )
    Candidate.objects.filter(pk=candidate.pk).update(
        quoted_monthly_fee=41777, unit_price="28.53", setup_fee=12345
    )
    for url in (
        selection.get_absolute_url(),
        reverse("sourcing:candidate", kwargs={"pk": candidate.pk}),
        reverse("sourcing:candidate_edit", kwargs={"pk": candidate.pk}),
    ):
        page = client.get(url).content.decode()
        assert "41777" not in page and "28.53" not in page and "12345" not in page, url
    manager_page = client_for(manager).get(reverse("sourcing:candidate", kwargs={"pk": candidate.pk}))
    assert "41777" in manager_page.content.decode()
    with pytest.raises(PermissionDenied, match="Only a BPO manager sets money"):
        services.candidate_update(candidate=candidate, by=pm, data={"quoted_monthly_fee": 1})
    candidate.refresh_from_db()
    assert candidate.quoted_monthly_fee == 41777


def test_the_selections_budget_and_the_quotes_changes_are_the_managers(client_for, manager, pm, selection):
    candidate = CandidateFactory(selection=selection)
    edit = reverse("sourcing:edit", kwargs={"pk": selection.pk})
    assert "budget" not in client_for(pm).get(edit).context["form"].fields
    with pytest.raises(PermissionDenied, match="Only a BPO manager sets money"):
        services.selection_update(selection=selection, by=pm, data={"budget": 1}, evaluators=[])
    services.selection_update(selection=selection, by=manager, data={"budget": 654321}, evaluators=[])
    services.candidate_update(candidate=candidate, by=manager, data={"quoted_monthly_fee": 41777})
    manager_page = client_for(manager).get(selection.get_absolute_url()).content.decode()
    assert "654321" in manager_page and "41777" in manager_page
    page = client_for(pm).get(selection.get_absolute_url()).content.decode()
    assert "654321" not in page and "41777" not in page


def test_a_price_quote_document_is_the_managers_to_file_and_read(client_for, manager, pm, qa, selection):
    candidate = CandidateFactory(selection=selection)
    upload = reverse("sourcing:document_upload", kwargs={"pk": candidate.pk})
    quote = SimpleUploadedFile("orbit-quote.pdf", sample_bytes("pdf"))
    assert client_for(manager).post(upload, {"kind": "pricing", "file": quote}).status_code == 302
    document = ProposalDocument.objects.get(kind="pricing")
    page = reverse("sourcing:candidate", kwargs={"pk": candidate.pk})
    assert "orbit-quote.pdf" in client_for(manager).get(page).content.decode()
    for user in (pm, qa):
        assert "orbit-quote.pdf" not in client_for(user).get(page).content.decode()
        assert (
            client_for(user).get(reverse("sourcing:document", kwargs={"pk": document.pk})).status_code == 404
        )
    refused = client_for(pm).post(
        upload, {"kind": "pricing", "file": SimpleUploadedFile("q.pdf", sample_bytes("pdf"))}
    )
    assert refused.status_code == 200 and "kind" in refused.context["document_form"].errors
    assert ProposalDocument.objects.count() == 1


def test_a_vendor_that_is_not_a_prospect_cannot_be_picked(client_for, manager, selection):
    active = VendorFactory(name="Already Working", status=VendorStatus.ACTIVE)

    response = add(client_for(manager), selection, vendor=active.pk)

    assert response.status_code == 200
    assert "vendor" in response.context["form"].errors
    with pytest.raises(ValidationError, match="active, not a prospect"):
        services.candidate_add(selection=selection, by=manager, data={}, vendor=active)
    assert not selection.candidates.exists()


def test_a_new_prospect_is_created_in_the_registry_with_a_unique_address(client_for, manager, selection):
    VendorFactory(name="Nova Contact Ltd", slug="nova-contact")

    add(client_for(manager), selection, new_vendor_name="Nova-Contact")

    vendor = Vendor.objects.get(name="Nova-Contact")
    assert (vendor.slug, vendor.status, vendor.owner) == ("nova-contact-2", VendorStatus.PROSPECT, manager)
    assert list(vendor.services.all()) == [selection.service]
    assert selection.candidates.get().vendor == vendor


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"new_vendor_name": "acme support"}, "Acme Support is already a candidate in this selection."),
        ({}, "Pick a prospect from the registry or name a new one (one of the two)."),
    ],
)
def test_a_candidate_is_not_added_twice_nor_without_a_vendor(
    client_for, manager, selection, vendor_a, fields, message
):
    CandidateFactory(selection=selection, vendor=vendor_a)

    response = add(client_for(manager), selection, **fields)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert selection.candidates.count() == 1


def test_the_service_refuses_a_duplicate_too(manager, selection):
    candidate = CandidateFactory(selection=selection)

    with pytest.raises(ValidationError, match="already a candidate"):
        services.candidate_add(selection=selection, by=manager, data={}, vendor=candidate.vendor)


def test_candidates_join_only_while_the_selection_is_draft_or_open(client_for, manager):
    evaluating = SelectionFactory(owner=manager, status=SelectionStatus.EVALUATING)

    response = client_for(manager).get(
        reverse("sourcing:candidate_add", kwargs={"pk": evaluating.pk}), follow=True
    )

    assert "Candidates join while the selection is draft or open." in response.content.decode()


def test_editing_a_candidate_shows_in_the_selections_changes(client_for, manager, selection):
    candidate = CandidateFactory(selection=selection)
    url = reverse("sourcing:candidate_edit", kwargs={"pk": candidate.pk})

    client_for(manager).post(
        url, {**QUOTE, "status": CandidateStatus.PROPOSAL_RECEIVED, "quoted_monthly_fee": "39000"}
    )

    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PROPOSAL_RECEIVED
    page = client_for(manager).get(selection.get_absolute_url())
    change = next(entry for entry in page.context["changes"] if entry.subject.startswith("Candidate"))
    assert {c.field for c in change.changes} >= {"status", "quoted monthly fee"}


# Proposal documents ---------------------------------------------------------------------------------------


def upload(client, candidate, name, content, kind="proposal"):
    url = reverse("sourcing:document_upload", kwargs={"pk": candidate.pk})
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, content)})


def test_a_proposal_is_uploaded_and_downloaded_as_an_attachment(client_for, manager, qa, selection):
    candidate = CandidateFactory(selection=selection)

    response = upload(client_for(manager), candidate, "Our proposal.pdf", sample_bytes("pdf"))

    document = ProposalDocument.objects.get(candidate=candidate)
    assert response.status_code == 302
    assert (document.name, document.uploaded_by) == ("Our proposal.pdf", manager)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PROPOSAL_RECEIVED
    download = client_for(qa).get(reverse("sourcing:document", kwargs={"pk": document.pk}))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == sample_bytes("pdf")


def test_a_file_whose_content_is_not_accepted_is_refused_with_the_page(client_for, manager, selection):
    candidate = CandidateFactory(selection=selection)

    response = upload(
        client_for(manager), candidate, "proposal.pdf", b"<html><script>alert(1)</script></html>"
    )

    assert response.status_code == 200
    assert "not an accepted type" in response.content.decode()
    assert not ProposalDocument.objects.exists()


def test_documents_stay_with_their_candidate_and_away_from_vendor_staff(
    client_for, manager, selection, vendor_a, vendor_b, staff_a, staff_b
):
    candidate_a = CandidateFactory(selection=selection, vendor=vendor_a)
    candidate_b = CandidateFactory(selection=selection, vendor=vendor_b)
    upload(client_for(manager), candidate_a, "acme-pricing.pdf", sample_bytes("pdf"), kind="pricing")
    document = ProposalDocument.objects.get()
    url = reverse("sourcing:document", kwargs={"pk": document.pk})

    page_b = client_for(manager).get(reverse("sourcing:candidate", kwargs={"pk": candidate_b.pk}))

    assert list(page_b.context["documents"]) == []
    assert client_for(staff_a).get(url).status_code == 403
    assert client_for(staff_b).get(url).status_code == 403
    assert ProposalDocument.objects.visible_to(staff_b).count() == 0
    assert (
        client_for(manager).get(reverse("sourcing:document", kwargs={"pk": document.pk + 1})).status_code
        == 404
    )

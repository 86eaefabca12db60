"""The manager keeps the registry through real pages: vendors, contacts, contracts, certifications;
bad input is explained on the form and changes nothing; archived records stay, with their history."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from bporeg.uploads import sample_bytes
from tests.factories import CertificationFactory, ContactFactory, ContractFactory, ServiceFactory
from vendors.models import Certification, Contact, Contract, Vendor, VendorStatus

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(date(2026, 3, 10), tick=False):
        yield


def contract_data(**overrides):
    data = {
        "reference": "MSA-2026-01",
        "start_date": "2026-04-01",
        "end_date": "2028-03-31",
        "renewal_notice_days": "90",
        "value": "480000",
        "currency": "eur",
        "monthly_fee": "20000",
        "pricing_model": "per_fte",
        "service_credit_terms": "2% per breached KPI",
        "next_review_date": "2027-01-15",
    }
    return {**data, **overrides}


def test_manager_creates_a_vendor_with_services(client_for, manager):
    service = ServiceFactory()
    response = client_for(manager).post(
        reverse("vendors:create"),
        {
            "name": "Orbit Care",
            "status": "prospect",
            "time_zone": "Asia/Manila",
            "services": [service.pk],
            "review_cadence": "monthly",
            "owner": manager.pk,
        },
    )
    vendor = Vendor.objects.get(name="Orbit Care")
    assert response.url == vendor.get_absolute_url()
    assert vendor.slug == "orbit-care"
    assert list(vendor.services.all()) == [service]


def test_a_vendor_cannot_take_an_address_the_application_uses(client_for, manager):
    response = client_for(manager).post(
        reverse("vendors:create"),
        {
            "name": "New",
            "slug": "my-onboarding",
            "status": "prospect",
            "time_zone": "UTC",
            "review_cadence": "monthly",
        },
    )
    assert "used by the application" in response.content.decode()
    assert not Vendor.objects.filter(name="New").exists()


def test_manager_adds_a_contract_with_a_signed_document(client_for, manager, vendor_a):
    document = SimpleUploadedFile("signed msa.pdf", sample_bytes("pdf"))
    response = client_for(manager).post(
        reverse("vendors:contract_create", args=[vendor_a.slug]),
        {**contract_data(), "signed_document": document},
    )
    assert response.status_code == 302
    contract = Contract.objects.get(vendor=vendor_a)
    assert contract.currency == "EUR"
    assert contract.signed_document.name.endswith("/signed_msa.pdf")
    assert contract.history.first().history_user == manager


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_date": "2026-03-01"}, "end_date", "The end date must be after the start date."),
        ({"end_date": "2026-04-01"}, "end_date", "The end date must be after the start date."),
        ({"next_review_date": "2027-06-01"}, "next_review_date", "Review the contract at least yearly"),
        ({"next_review_date": ""}, "next_review_date", "This field is required."),
        ({"currency": "euro"}, "currency", "at most 3 characters"),
    ],
)
def test_bad_contract_input_is_explained_and_changes_nothing(
    client_for, manager, vendor_a, overrides, field, message
):
    response = client_for(manager).post(
        reverse("vendors:contract_create", args=[vendor_a.slug]), contract_data(**overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Contract.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<html><body>not an image</body></html>", "whatever its name says"),
        ("huge.pdf", b"%PDF-1.4\n" + b"0" * 2048, "the limit is"),
    ],
)
def test_a_wrong_or_too_large_document_is_refused_on_the_form(
    client_for, manager, vendor_a, settings, name, content, message
):
    settings.UPLOAD_MAX_BYTES = 1024
    response = client_for(manager).post(
        reverse("vendors:contract_create", args=[vendor_a.slug]),
        {**contract_data(), "signed_document": SimpleUploadedFile(name, content)},
    )
    assert message in " ".join(response.context["form"].errors["signed_document"])
    assert not Contract.objects.exists()
    assert message in response.content.decode()


def test_a_contract_reference_is_unique_per_vendor(client_for, manager, vendor_a):
    ContractFactory(vendor=vendor_a, reference="MSA-2026-01")
    response = client_for(manager).post(
        reverse("vendors:contract_create", args=[vendor_a.slug]), contract_data(reference="msa-2026-01")
    )
    assert "already has a contract with this reference" in response.content.decode()
    assert Contract.objects.count() == 1


def test_database_refuses_what_the_forms_refuse(vendor_a):
    checks = [
        lambda: ContractFactory(vendor=vendor_a, start_date=date(2026, 1, 1), end_date=date(2025, 12, 31)),
        lambda: ContractFactory(vendor=vendor_a, currency="eur"),
        lambda: CertificationFactory(
            vendor=vendor_a, issued_on=date(2026, 1, 1), expires_on=date(2026, 1, 1)
        ),
        lambda: ContactFactory(vendor=vendor_a, email="", phone=""),
        lambda: ContactFactory(vendor=vendor_a, escalation_level=4),
    ]
    for create in checks:
        with pytest.raises(IntegrityError), transaction.atomic():
            create()


def test_contact_needs_a_way_to_reach_them(client_for, manager, vendor_a):
    url = reverse("vendors:contact_create", args=[vendor_a.slug])
    data = {"side": "vendor", "name": "Ana Santos", "role": "Account manager", "escalation_level": "1"}
    response = client_for(manager).post(url, data)
    assert "Give an email address or a phone number" in response.content.decode()
    client_for(manager).post(url, {**data, "phone": "+63 2 555 0100"})
    assert Contact.objects.get(vendor=vendor_a).phone == "+63 2 555 0100"


def test_expired_and_expiring_certifications_are_flagged_on_the_vendor_page(client_for, manager, vendor_a):
    CertificationFactory(
        vendor=vendor_a, kind="iso_27001", issued_on=date(2023, 1, 1), expires_on=TODAY - timedelta(days=1)
    )
    CertificationFactory(
        vendor=vendor_a, kind="soc_2", issued_on=date(2025, 4, 1), expires_on=TODAY + timedelta(days=30)
    )
    CertificationFactory(
        vendor=vendor_a, kind="pci_dss", issued_on=date(2025, 4, 1), expires_on=TODAY + timedelta(days=300)
    )
    page = client_for(manager).get(vendor_a.get_absolute_url()).content.decode()
    assert "1 certification expired · 1 expiring within 60 days" in page
    assert "Expired 9 Mar 2026" in page
    assert "Expires 9 Apr 2026" in page


def test_archived_vendors_leave_the_list_and_come_back_with_their_status(client_for, manager, vendor_a):
    vendor_a.status = VendorStatus.ON_WATCH
    vendor_a.save()
    client = client_for(manager)

    def listed(query=""):
        return list(client.get(reverse("vendors:list") + query).context["page"])

    client.post(reverse("vendors:archive", args=[vendor_a.slug]))
    assert vendor_a not in listed()
    assert vendor_a in listed("?status=archived")
    client.post(reverse("vendors:restore", args=[vendor_a.slug]))
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.ON_WATCH
    assert vendor_a in listed()


def test_archived_records_leave_the_page_but_stay_in_the_database(client_for, manager, vendor_a):
    contact = ContactFactory(vendor=vendor_a, name="Ana Santos")
    certification = CertificationFactory(vendor=vendor_a, reference="Cert 77")
    client = client_for(manager)
    client.post(reverse("vendors:contact_archive", args=[contact.pk]))
    client.post(reverse("vendors:certification_archive", args=[certification.pk]))
    page = client.get(vendor_a.get_absolute_url()).content.decode()
    assert "Ana Santos" not in page
    assert "Certification</span> archived" in page or "ISO/IEC 27001</span> archived" in page
    assert Contact.objects.filter(pk=contact.pk).exists()
    assert Certification.objects.get(pk=certification.pk).archived_at is not None


def test_history_shows_who_changed_what(client_for, manager, vendor_a):
    client = client_for(manager)
    data = {
        "name": vendor_a.name,
        "slug": vendor_a.slug,
        "status": "on_watch",
        "time_zone": "Europe/Berlin",
        "review_cadence": "quarterly",
        "owner": manager.pk,
    }
    client.post(reverse("vendors:edit", args=[vendor_a.slug]), data)
    history = client.get(vendor_a.get_absolute_url()).context["history"]
    latest = history[0]
    assert (latest.who, latest.subject, latest.action) == (manager, "Vendor", "changed")
    changes = {change.field: (change.old, change.new) for change in latest.changes}
    assert changes["status"] == ("Active", "On watch")
    assert changes["review cadence"] == ("Monthly", "Quarterly")
    assert changes["owner"] == ("—", "Maya Brennan")


@pytest.mark.parametrize("persona", ["qa", "ops", "pm"])
def test_contract_money_is_the_managers_other_internal_roles_see_no_value_or_fee(
    request, client_for, manager, persona, vendor_a
):
    ContractFactory(vendor=vendor_a, value=480000, monthly_fee=20000)
    assert "480,000" in client_for(manager).get(vendor_a.get_absolute_url()).content.decode()
    page = client_for(request.getfixturevalue(persona)).get(vendor_a.get_absolute_url()).content.decode()
    assert "MSA-" in page
    assert "480,000" not in page and "20,000/month" not in page


@pytest.mark.parametrize(
    ("persona", "shown"), [("manager", True), ("qa", False), ("ops", False), ("pm", False)]
)
def test_a_change_of_contract_money_is_in_the_history_only_for_the_manager(
    request, client_for, persona, shown, vendor_a
):
    contract = ContractFactory(vendor=vendor_a, value=480000, monthly_fee=20000, end_date=date(2027, 6, 30))
    contract.value, contract.monthly_fee, contract.end_date = 510000, 21250, date(2027, 12, 31)
    contract.save()
    history = client_for(request.getfixturevalue(persona)).get(vendor_a.get_absolute_url()).context["history"]
    fields = {change.field for entry in history for change in entry.changes}
    assert "end date" in fields
    assert ({"contract value", "monthly fee"} <= fields) is shown
    assert shown or not {"contract value", "monthly fee"} & fields

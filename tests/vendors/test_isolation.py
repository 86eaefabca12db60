"""Staff of vendor B can neither read, change, comment on nor download anything of vendor A: every
id of A, and ids that do not exist, answer 404 — for GET and POST alike — and nothing changes."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bporeg.uploads import sample_bytes
from tests.factories import (
    CertificationFactory,
    ContactFactory,
    ContractFactory,
    OnboardingPlanFactory,
    OnboardingTaskFactory,
)
from vendors.models import Contact, OnboardingTask, TaskComment, TaskEvidence, TaskStatus, VendorStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def records_of_a(vendor_a, manager, staff_a):
    plan = OnboardingPlanFactory(vendor=vendor_a, go_live=date(2026, 6, 1), created_by=manager)
    task = OnboardingTaskFactory(plan=plan)
    evidence = TaskEvidence(task=task, uploaded_by=staff_a)
    evidence.file.save("a.txt", ContentFile(sample_bytes("text")))
    certification = CertificationFactory(vendor=vendor_a)
    certification.evidence.save("iso.pdf", ContentFile(sample_bytes("pdf")))
    contract = ContractFactory(vendor=vendor_a)
    contract.signed_document.save("msa.pdf", ContentFile(sample_bytes("pdf")))
    return {
        "task": task,
        "evidence": evidence,
        "certification": certification,
        "contract": contract,
        "contact": ContactFactory(vendor=vendor_a),
    }


def staff_urls(records):
    """URLs vendor staff may use, pointed at vendor A's objects."""
    return [
        reverse("vendors:task_detail", args=[records["task"].pk]),
        reverse("vendors:task_update", args=[records["task"].pk]),
        reverse("vendors:evidence_download", args=[records["evidence"].pk]),
        reverse("vendors:certification_evidence", args=[records["certification"].pk]),
    ]


def test_staff_of_b_get_404_for_every_object_of_a(client_for, staff_b, vendor_a, records_of_a):
    client = client_for(staff_b)
    for url in [vendor_a.get_absolute_url(), *staff_urls(records_of_a)]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"status": "done", "comment": "x"}).status_code == 404, url


@pytest.mark.parametrize("offset", [0, 1, 2, 50, 10_000])
def test_staff_of_b_get_404_whatever_id_they_try(client_for, staff_b, records_of_a, offset):
    client = client_for(staff_b)
    base = records_of_a["task"].pk + offset
    for name in ["task_detail", "task_update", "evidence_download", "certification_evidence"]:
        url = reverse(f"vendors:{name}", args=[base])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"status": "done"}, headers={"HX-Request": "true"}).status_code == 404, url


def test_staff_of_b_change_and_comment_on_nothing_of_a(client_for, staff_b, records_of_a):
    task = records_of_a["task"]
    evidence = SimpleUploadedFile("proof.pdf", sample_bytes("pdf"))
    client_for(staff_b).post(
        reverse("vendors:task_update", args=[task.pk]),
        {"status": "done", "comment": "done by B", "evidence": evidence},
        headers={"HX-Request": "true"},
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.TODO
    assert not TaskComment.objects.exists()
    assert TaskEvidence.objects.count() == 1


def test_staff_cannot_reach_the_managers_pages_or_change_records(
    client_for, staff_a, staff_b, vendor_a, records_of_a
):
    contact = records_of_a["contact"]
    for user in (staff_a, staff_b):
        client = client_for(user)
        posts = [
            (reverse("vendors:archive", args=[vendor_a.slug]), {}),
            (
                reverse("vendors:contact_edit", args=[contact.pk]),
                {"side": "vendor", "name": "X", "role": "X"},
            ),
            (reverse("vendors:contact_archive", args=[contact.pk]), {}),
            (reverse("vendors:onboarding_go_live", args=[vendor_a.slug]), {"go_live": "2027-01-01"}),
            (reverse("vendors:task_edit", args=[records_of_a["task"].pk]), {"due_date": "2030-01-01"}),
        ]
        for url, data in posts:
            assert client.post(url, data).status_code == 403, url
        assert (
            client.get(reverse("vendors:contract_document", args=[records_of_a["contract"].pk])).status_code
            == 403
        )
    vendor_a.refresh_from_db()
    contact.refresh_from_db()
    assert vendor_a.status == VendorStatus.ACTIVE
    assert (contact.name, contact.archived_at) != ("X", None) and contact.archived_at is None
    assert OnboardingTask.objects.get().due_date == date(2026, 5, 18)
    assert Contact.objects.count() == 1


def test_my_onboarding_of_b_shows_nothing_of_a(client_for, staff_b, vendor_b, manager, records_of_a):
    plan_b = OnboardingPlanFactory(vendor=vendor_b, go_live=date(2026, 7, 1), created_by=manager)
    own = OnboardingTaskFactory(plan=plan_b, title="Bravo own task")
    page = client_for(staff_b).get(reverse("vendors:my_onboarding") + "?show=all").content.decode()
    assert own.title in page
    assert records_of_a["task"].title not in page
    assert "Acme" not in page

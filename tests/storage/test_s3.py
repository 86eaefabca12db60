"""Uploads in an S3 bucket (a real local S3 server, see conftest): stored under our names, private,
and read back only through bporeg's downloads, which check who is asking."""

import re
import urllib.error
import urllib.request
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bporeg.uploads import sample_bytes
from sourcing.award import selection_award
from sourcing.models import QuestionnaireStatus, SelectionStatus
from tests.factories import ContractFactory
from tests.sourcing import builders_award as build
from tests.sourcing.factories import CandidateFactory, SelectionFactory
from tests.vendors.test_registry import contract_data
from vendors.models import Certification, Contract

pytestmark = pytest.mark.django_db
PDF = sample_bytes("pdf")


def anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_task_evidence_lands_in_the_bucket_and_downloads_only_for_those_who_may_see_it(
    bucket, complete_with_evidence, client_for, staff_a, staff_b, manager, vendor_task
):
    response = complete_with_evidence(staff_a, vendor_task, SimpleUploadedFile("training log.pdf", PDF))
    assert response.status_code == 302

    evidence = vendor_task.evidence.get()
    assert re.fullmatch(r"onboarding/\d{4}/[0-9a-f]{32}/training_log\.pdf", evidence.file.name)
    key = f"{bucket.prefix}/{evidence.file.name}"
    assert bucket.keys() == [key]
    assert bucket.read(key) == PDF

    for persona in (staff_a, manager):
        download = client_for(persona).get(evidence.get_absolute_url())
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="training_log.pdf"'
        assert download["Content-Type"] == "application/pdf"
        assert download["X-Content-Type-Options"] == "nosniff"
        assert download["Content-Length"] == str(len(PDF))
        assert b"".join(download.streaming_content) == PDF
    assert client_for(staff_b).get(evidence.get_absolute_url()).status_code == 404


def test_the_bucket_refuses_anyone_who_goes_around_bporeg(
    bucket, complete_with_evidence, staff_a, vendor_task
):
    complete_with_evidence(staff_a, vendor_task, SimpleUploadedFile("training log.pdf", PDF))
    [key] = bucket.keys()
    assert anonymous_get(bucket.object_url(key)) == 403
    # Should anything ask the storage for a URL (the admin's "Currently:" link), it is no way in either:
    # no signature that would let its bearer skip bporeg's access check.
    url = vendor_task.evidence.get().file.url
    assert "X-Amz-Signature" not in url
    assert anonymous_get(url) == 403


def test_the_file_is_named_by_its_content_and_a_disguised_page_never_reaches_the_bucket(
    bucket, complete_with_evidence, staff_a, vendor_task
):
    disguised = SimpleUploadedFile("screenshot.png", b"<!doctype html><html><script>steal()</script></html>")
    response = complete_with_evidence(staff_a, vendor_task, disguised)
    assert "whatever its name says" in response.content.decode()
    assert bucket.keys() == []

    complete_with_evidence(staff_a, vendor_task, SimpleUploadedFile("report.png", PDF))
    [key] = bucket.keys()
    assert key.endswith("/report.pdf")


@time_machine.travel(date(2026, 3, 10), tick=False)
def test_a_contract_edited_without_a_new_document_keeps_the_one_in_the_bucket(bucket, client_for, manager):
    contract = ContractFactory(reference="MSA-2026-01")
    client = client_for(manager)
    document = SimpleUploadedFile("signed msa.pdf", PDF)
    edit = reverse("vendors:contract_edit", args=[contract.pk])
    assert client.post(edit, {**contract_data(), "signed_document": document}).status_code == 302
    [key] = bucket.keys()

    # The form checks the stored document again (size and content, read from the bucket) and keeps it.
    response = client.post(edit, contract_data(service_credit_terms="3% per breached KPI"))
    assert response.status_code == 302
    contract = Contract.objects.get(pk=contract.pk)
    assert contract.service_credit_terms == "3% per breached KPI"
    assert bucket.keys() == [key] == [f"{bucket.prefix}/{contract.signed_document.name}"]
    download = client.get(reverse("vendors:contract_document", args=[contract.pk]))
    assert b"".join(download.streaming_content) == PDF


def test_an_award_copies_the_winners_certificate_within_the_bucket(bucket, manager, qa):
    selection = SelectionFactory(
        owner=manager, status=SelectionStatus.EVALUATING, contract_months=24, evaluators=[manager, qa]
    )
    winner = CandidateFactory(selection=selection, quoted_monthly_fee=Decimal("38400"), currency="EUR")
    questionnaire = build.questionnaire(winner, sent_by=manager, status=QuestionnaireStatus.ACCEPTED)
    claim = build.claim(questionnaire, added_by=manager, evidence=PDF)

    selection_award(selection=selection, candidate=winner, by=manager, go_live=date(2027, 3, 1))

    certification = Certification.objects.get(vendor=winner.vendor)
    assert certification.evidence.name.startswith("certifications/")
    copy, original = (
        f"{bucket.prefix}/{name}" for name in (certification.evidence.name, claim.evidence.name)
    )
    assert bucket.keys() == sorted([copy, original])
    assert bucket.read(copy) == bucket.read(original) == PDF

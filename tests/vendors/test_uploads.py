"""Uploads are accepted by what their bytes are, within the size limit, and leave only as attachments."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from bporeg.uploads import DOCX, PDF, PNG, TEXT, XLSX, detect_kind, sample_bytes, validate_upload

HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def upload(name, content):
    return SimpleUploadedFile(name, content)


def xlsx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("contract.pdf", sample_bytes("pdf"), PDF),
        ("scan.png", sample_bytes("png"), PNG),
        ("procedures.docx", sample_bytes("docx"), DOCX),
        ("staffing.xlsx", xlsx_bytes(), XLSX),
        ("notes.txt", "Größe: 12 Agenten ✓\n".encode(), TEXT),
        # A PDF with a misleading name is still a PDF: the name never decides.
        ("report.png", sample_bytes("pdf"), PDF),
    ],
)
def test_accepted_types_are_recognised_by_content(name, content, kind):
    file = upload(name, content)
    validate_upload(file)
    assert detect_kind(file, name) == kind


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("logo.png", HTML),
        ("notes.txt", b"  <html><p>hi</p></html>"),
        ("drawing.png", b'<?xml version="1.0"?><svg onload="alert(1)"/>'),
        ("archive.zip", b"PK\x03\x04not really a zip"),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00binary"),
    ],
)
def test_other_content_is_refused_whatever_the_name(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content))
    assert error.value.code == "file_type"
    assert "whatever its name says" in str(error.value.messages)


def test_a_file_over_the_limit_is_refused_with_its_size(settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("big.pdf", b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024)))
    assert error.value.messages == ["This file is 2.0 MB; the limit is 1.0 MB."]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="empty"):
        validate_upload(upload("empty.pdf", b""))


@pytest.mark.django_db
def test_downloads_are_attachments_that_browsers_must_not_sniff(client_for, manager, vendor_a):
    from tests.factories import CertificationFactory

    certification = CertificationFactory(vendor=vendor_a)
    certification.evidence.save("iso.pdf", ContentFile(sample_bytes("pdf")))
    response = client_for(manager).get(f"/vendors/certifications/{certification.pk}/evidence/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="iso.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == sample_bytes("pdf")

"""Uploaded evidence and documents: accepted by what the bytes are, stored privately, sent as attachments.

Used by the vendor registry (contracts, certifications, onboarding evidence) and QA audits (evidence,
call recordings), so it lives with the cross-cutting pieces.

Every app that takes a file uses these pieces: `validate_upload` (a field validator: size limit and
type by content, never by the name the browser sent), `UploadPath` (where the file lands in the
storage, MEDIA_ROOT or the bucket, with a name we choose), and `attachment_response` (the only way a
stored file leaves the server, after the view has checked who may see it).
"""

import io
import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename

SNIFF_BYTES = 4096
ACCEPTED_TYPES = (
    "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), plain text, CSV, or a WAV or MP3 call recording"
)
# Text that a browser would render as a page or run as a script is not "plain text".
MARKUP_MARKERS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<iframe", b"<svg", b"<?xml")
TEXT_CONTROL_OK = {9, 10, 12, 13}


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind(".pdf", "application/pdf")
PNG = FileKind(".png", "image/png")
JPEG = FileKind(".jpg", "image/jpeg")
DOCX = FileKind(".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind(".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
TEXT = FileKind(".txt", "text/plain")
CSV = FileKind(".csv", "text/csv")
WAV = FileKind(".wav", "audio/wav")
MP3 = FileKind(".mp3", "audio/mpeg")
KINDS_BY_EXTENSION = {kind.extension: kind for kind in (PDF, PNG, JPEG, DOCX, XLSX, TEXT, CSV, WAV, MP3)}
KINDS_BY_EXTENSION[".jpeg"] = JPEG


def _office_kind(upload):
    """A docx or xlsx is a ZIP with the Office content-types part; we read its index, not its data."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def _is_plain_text(head: bytes) -> bool:
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The sample may end inside a multi-byte character; only an error before the last 3 bytes counts.
        if error.start < len(head) - 3:
            return False
        text = head[: error.start].decode("utf-8")
    if any(ord(char) < 32 and ord(char) not in TEXT_CONTROL_OK for char in text):
        return False
    lowered = text.lstrip().lower().encode()
    return not any(marker in lowered for marker in MARKUP_MARKERS)


def detect_kind(upload, name: str = "") -> FileKind | None:
    """What the file really is, from its first bytes; None when it is not a type we accept."""
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return WAV
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3"):
        return MP3
    if head.startswith(b"PK\x03\x04"):
        kind = _office_kind(upload)
        upload.seek(0)
        return kind
    if head and _is_plain_text(head):
        return CSV if name.lower().endswith(".csv") else TEXT
    return None


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def validate_upload(upload):
    """Field validator: the size limit, then the type by content (an HTML page named .png is refused)."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            "This file is %(size)s; the limit is %(limit)s.",
            code="file_too_large",
            params={"size": _megabytes(upload.size), "limit": _megabytes(settings.UPLOAD_MAX_BYTES)},
        )
    if upload.size == 0:
        raise ValidationError("This file is empty.", code="file_empty")
    if detect_kind(upload, upload.name) is None:
        raise ValidationError(
            "This file's content is not an accepted type, whatever its name says. Accepted: %(types)s.",
            code="file_type",
            params={"types": ACCEPTED_TYPES},
        )


@deconstructible
class UploadPath:
    """`<folder>/<year>/<random>/<clean name>.<real extension>` in the storage (MEDIA_ROOT or the bucket).

    The random folder makes names unguessable and unique; the extension follows the detected content,
    so a PDF sent as `report.png` is stored, and later downloaded, as `report.pdf`.
    """

    def __init__(self, folder, field_name):
        self.folder = folder
        self.field_name = field_name

    def __call__(self, instance, filename):
        stem = get_valid_filename(os.path.splitext(os.path.basename(filename))[0])[:80] or "file"
        # While a form's upload is saved, the field still holds the uncommitted file: sniff it. Files
        # saved by our own code (demo data) have no such upload and keep an extension we know.
        field_file = getattr(instance, self.field_name)
        upload = None if field_file._committed else field_file._file
        if upload is not None:
            kind = detect_kind(upload, filename)
        else:
            kind = KINDS_BY_EXTENSION.get(os.path.splitext(filename)[1].lower())
        extension = kind.extension if kind else ".bin"
        year = timezone.localdate().year
        return f"{self.folder}/{year}/{uuid.uuid4().hex}/{stem}{extension}"

    def __eq__(self, other):
        return isinstance(other, UploadPath) and (other.folder, other.field_name) == (
            self.folder,
            self.field_name,
        )


def attachment_response(field_file):
    """Send a stored file as a download, never inline, with the content type its extension promises.

    The bytes go through Django from whichever storage holds them (never a redirect to a bucket URL), so
    the view's access check is the only way in and the bucket never needs to be public."""
    name = os.path.basename(field_file.name)
    kind = KINDS_BY_EXTENSION.get(os.path.splitext(name)[1].lower())
    response = FileResponse(
        field_file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def sample_bytes(kind: str) -> bytes:
    """Minimal valid files of each accepted type, for tests and demo data."""
    if kind == "pdf":
        return b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    if kind == "png":
        return b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    if kind == "docx":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("word/document.xml", "<document/>")
        return buffer.getvalue()
    return b"Evidence notes\nAll checks passed.\n"

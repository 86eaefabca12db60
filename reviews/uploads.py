"""Audit evidence uploads: a size limit and a type decided by the file's first bytes, not its name.

Kept small and local to the reviews app; vendors/uploads.py (built in parallel) does the same job for
contracts, and the two are meant to be unified into one validator.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# (label, extensions, test on the first bytes)
EVIDENCE_TYPES = [
    ("PDF", {"pdf"}, lambda head: head.startswith(b"%PDF-")),
    ("PNG image", {"png"}, lambda head: head.startswith(b"\x89PNG\r\n\x1a\n")),
    ("JPEG image", {"jpg", "jpeg"}, lambda head: head.startswith(b"\xff\xd8\xff")),
    ("WAV recording", {"wav"}, lambda head: head[:4] == b"RIFF" and head[8:12] == b"WAVE"),
    (
        "MP3 recording",
        {"mp3"},
        lambda head: head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3"),
    ),
]
ACCEPT = ",".join(f".{ext}" for _, extensions, _ in EVIDENCE_TYPES for ext in sorted(extensions))


def validate_evidence(upload):
    """Raise ValidationError unless `upload` is within UPLOAD_MAX_BYTES and its content matches one of
    the accepted types (and its extension agrees with that content)."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise ValidationError(
            f"The file is {filesizeformat(upload.size)}; the limit is "
            f"{filesizeformat(settings.UPLOAD_MAX_BYTES)}."
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    for _label, extensions, matches in EVIDENCE_TYPES:
        if matches(head):
            if extension not in extensions:
                raise ValidationError("The file's name does not match its content; rename it and retry.")
            return upload
    raise ValidationError("Attach a PDF, PNG or JPEG screenshot, or a WAV or MP3 call recording.")

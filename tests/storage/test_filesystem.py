"""Uploads on the local disk, the default: the same upload and download as with a bucket."""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from bporeg.uploads import sample_bytes

pytestmark = pytest.mark.django_db
PDF = sample_bytes("pdf")


def test_task_evidence_is_kept_under_media_root_and_downloads_only_for_those_who_may_see_it(
    complete_with_evidence, client_for, staff_a, staff_b, manager, vendor_task
):
    response = complete_with_evidence(staff_a, vendor_task, SimpleUploadedFile("training log.pdf", PDF))
    assert response.status_code == 302

    evidence = vendor_task.evidence.get()
    stored = settings.MEDIA_ROOT / evidence.file.name
    assert stored.read_bytes() == PDF
    assert stored.name == "training_log.pdf"

    for persona in (staff_a, manager):
        download = client_for(persona).get(evidence.get_absolute_url())
        assert download.status_code == 200
        assert download["Content-Disposition"] == 'attachment; filename="training_log.pdf"'
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Length"] == str(len(PDF))
        assert b"".join(download.streaming_content) == PDF
    assert client_for(staff_b).get(evidence.get_absolute_url()).status_code == 404

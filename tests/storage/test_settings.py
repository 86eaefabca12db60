"""Which storage the environment selects: the disk without a bucket, the private bucket with one, and
a loud start-up error for a value that cannot work. Each case is a fresh Python process, as at start-up."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SHOW_STORAGE = """
import django
django.setup()
from django.core.files.storage import storages
storage = storages["default"]
print(type(storage).__name__)
if hasattr(storage, "bucket_name"):
    print(storage.bucket_name, storage.endpoint_url, storage.region_name, storage.location)
    print(storage.default_acl, storage.querystring_auth, storage.file_overwrite)
"""


def start(**variables):
    """A new process that imports bporeg.settings with these variables (and no other AWS_ ones)."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    environment.update(DJANGO_SETTINGS_MODULE="bporeg.settings", DEBUG="true", **variables)
    return subprocess.run(
        [sys.executable, "-c", SHOW_STORAGE],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_a_bucket_uploads_stay_on_the_local_disk():
    process = start()
    assert process.returncode == 0, process.stderr
    assert process.stdout.split() == ["FileSystemStorage"]


def test_with_a_bucket_uploads_go_to_the_private_bucket_at_the_endpoint():
    pytest.importorskip("storages.backends.s3", reason="django-storages[s3] is a dependency")
    process = start(
        AWS_STORAGE_BUCKET_NAME="bporeg-uploads",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_ACCESS_KEY_ID="bporeg",
        AWS_SECRET_ACCESS_KEY="minio-secret",
        AWS_LOCATION="/production/",
    )
    assert process.returncode == 0, process.stderr
    assert process.stdout.splitlines() == [
        "S3Storage",
        "bporeg-uploads http://minio:9000 us-east-1 production",
        "None False False",  # no ACL, no signed (bearer) URLs, never overwrite
    ]


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"AWS_STORAGE_BUCKET_NAME": "Bporeg_Uploads"}, "AWS_STORAGE_BUCKET_NAME='Bporeg_Uploads' is not"),
        (
            {"AWS_STORAGE_BUCKET_NAME": "bporeg-uploads", "AWS_S3_ENDPOINT_URL": "minio:9000"},
            "AWS_S3_ENDPOINT_URL='minio:9000' is not a URL",
        ),
        (
            {"AWS_STORAGE_BUCKET_NAME": "bporeg-uploads", "AWS_ACCESS_KEY_ID": "bporeg"},
            "Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither.",
        ),
    ],
)
def test_a_value_that_cannot_work_stops_the_start_with_the_variable_named(variables, message):
    process = start(**variables)
    assert process.returncode != 0
    assert "ImproperlyConfigured" in process.stderr
    assert message in process.stderr

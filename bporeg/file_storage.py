"""Where uploads are kept: the local disk under MEDIA_ROOT, or a private S3 bucket (AWS, MinIO, any
S3-compatible store) when a bucket is configured.

Either way no URL serves a stored file: `bporeg.uploads.attachment_response` streams it through Django
after the view has checked who may see it, so the bucket stays private and needs no public policy.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
S3_BACKEND = "storages.backends.s3.S3Storage"
# S3's naming rules (3 to 63 lowercase letters, digits, dots and hyphens): a typo fails at start-up,
# not at the first upload.
BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
# A download is read from the bucket into a temporary file before it is sent; past this size that file
# is on disk, so a few large downloads at once do not fill the worker's memory.
MAX_MEMORY_BYTES = 2 * 1024 * 1024


def upload_storage(
    bucket: str,
    *,
    endpoint_url: str = "",
    access_key: str = "",
    secret_key: str = "",
    region: str = "us-east-1",
    location: str = "",
) -> dict:
    """The `STORAGES["default"]` entry: the filesystem without a bucket, otherwise the private bucket."""
    if not bucket:
        return dict(FILESYSTEM)
    if not BUCKET_NAME.fullmatch(bucket):
        raise ImproperlyConfigured(
            f"AWS_STORAGE_BUCKET_NAME={bucket!r} is not a bucket name: 3 to 63 lowercase letters, "
            "digits, dots and hyphens."
        )
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ImproperlyConfigured(
                f"AWS_S3_ENDPOINT_URL={endpoint_url!r} is not a URL such as http://minio:9000."
            )
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured("Set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither.")
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint_url or None,
            # Without keys, boto3 looks in its usual places (an instance role, ~/.aws).
            "access_key": access_key or None,
            "secret_key": secret_key or None,
            "region_name": region or "us-east-1",
            "location": location.strip("/"),
            # Objects get no ACL of their own, so they stay as private as the bucket (and buckets that
            # refuse ACLs accept them). A URL, should anything ask for one (the admin's "Currently:"
            # link), is the bare object address, which the private bucket refuses: a signed URL would
            # be a bearer link that skips bporeg's access check.
            "default_acl": None,
            "querystring_auth": False,
            # Signature version 4 everywhere (boto3 would still sign some URLs with the retired version 2).
            "signature_version": "s3v4",
            # UploadPath names are random already; never replace an existing object.
            "file_overwrite": False,
            # Self-hosted stores (MinIO in docker-compose) are reached by host name, not bucket.host.
            "addressing_style": "path" if endpoint_url else None,
            "max_memory_size": MAX_MEMORY_BYTES,
        },
    }

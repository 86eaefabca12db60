"""Named personas shared by every test: a manager, a QA specialist, an operations specialist, a
project manager, staff of vendor A and of vendor B, and an outsider with an account but no role."""

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Role
from tests.factories import PASSWORD, VendorFactory, make_user


def pytest_configure(config):
    # The suite creates many users; the production hasher would spend most of its time hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _postgresql_only(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        assert connection.vendor == "postgresql", (
            "The suite runs on PostgreSQL: set DATABASE_URL (see README)."
        )


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    """Files uploaded by a test land in its own temporary folder, never in the real MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "uploads"


@pytest.fixture
def vendor_a(db):
    return VendorFactory(name="Acme Support")


@pytest.fixture
def vendor_b(db):
    return VendorFactory(name="Bravo Data")


@pytest.fixture
def manager(db):
    return make_user("maya", Role.MANAGER, first_name="Maya", last_name="Brennan")


@pytest.fixture
def qa(db):
    return make_user("quinn", Role.QA, first_name="Quinn")


@pytest.fixture
def ops(db):
    return make_user("omar", Role.OPERATIONS, first_name="Omar")


@pytest.fixture
def pm(db):
    return make_user("priya", Role.PROJECT_MANAGER, first_name="Priya")


@pytest.fixture
def staff_a(vendor_a):
    return make_user("staff-a", Role.VENDOR_STAFF, vendor=vendor_a)


@pytest.fixture
def staff_b(vendor_b):
    return make_user("staff-b", Role.VENDOR_STAFF, vendor=vendor_b)


@pytest.fixture
def outsider(db):
    return make_user("olive")


@pytest.fixture
def client_for(client):
    """Log the test client in as a persona: `client_for(manager).get(...)`."""

    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


@pytest.fixture
def password():
    return PASSWORD

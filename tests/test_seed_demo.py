"""`seed_demo` builds the demo portfolio deterministically, and a second run adds nothing."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from accounts.models import Role
from vendors.models import Vendor

pytestmark = pytest.mark.django_db


def row_counts():
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def seed(*args):
    call_command("seed_demo", "--today", "2026-11-15", *args, verbosity=0)


def test_demo_portfolio_has_vendors_and_a_login_per_role():
    seed()
    assert Vendor.objects.count() == 6
    User = get_user_model()
    for username in ["manager", "qa", "staff-northwind-contact", "staff-clearview-moderation"]:
        assert User.objects.get(username=username).check_password("demo"), username
    staff = User.objects.get(username="staff-northwind-contact").profile
    assert (staff.role, staff.vendor.slug) == (Role.VENDOR_STAFF, "northwind-contact")


def test_running_twice_duplicates_nothing():
    seed()
    first = row_counts()
    seed()
    assert row_counts() == first


def test_scales_up_with_options():
    seed("--vendors", "40", "--months", "3")
    assert Vendor.objects.count() == 40
    assert Vendor.objects.filter(staff_profiles__user__username="staff-vendor-0040-ltd").exists()


def test_prints_the_logins(capsys):
    call_command("seed_demo", "--today", "2026-11-15")
    out = capsys.readouterr().out
    assert "password 'demo'" in out
    assert "manager" in out
    assert "staff-northwind-contact" in out

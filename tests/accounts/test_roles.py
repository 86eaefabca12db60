"""Roles: each person has one, vendor staff belong to exactly one vendor, home depends on the role."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import Profile, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_vendor_staff_without_a_vendor_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        Profile.objects.create(user=UserFactory(), role=Role.VENDOR_STAFF, vendor=None)


def test_internal_people_cannot_be_tied_to_a_vendor(vendor_a):
    with pytest.raises(IntegrityError):
        Profile.objects.create(user=UserFactory(), role=Role.MANAGER, vendor=vendor_a)


def test_manager_home_is_the_portfolio(client_for, manager):
    assert client_for(manager).get(reverse("home"))["Location"] == reverse("portfolio:dashboard")


def test_vendor_staff_home_is_their_own_vendor(client_for, staff_a, vendor_a):
    assert client_for(staff_a).get(reverse("home"))["Location"] == vendor_a.get_absolute_url()


def test_navigation_follows_the_role(client_for, manager, staff_a):
    staff_page = client_for(staff_a).get(reverse("home"), follow=True).content.decode()
    assert "My vendor" in staff_page
    vendor_list_link = f'href="{reverse("vendors:list")}"'
    assert vendor_list_link not in staff_page
    manager_page = client_for(manager).get(reverse("home"), follow=True).content.decode()
    assert vendor_list_link in manager_page


def test_not_found_page_has_the_app_layout(client_for, staff_a, vendor_b):
    response = client_for(staff_a).get(vendor_b.get_absolute_url())
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert vendor_b.name not in body

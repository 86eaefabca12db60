"""Linking an existing account to a single sign-on identity by hand: a superuser's job in the admin."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

FIELD = 'name="profile-0-sso_subject"'


def change_page(client, user, person):
    client.force_login(user)
    return client.get(reverse("admin:auth_user_change", args=[person.pk])).content.decode()


def test_a_superuser_can_set_the_identity(client, qa):
    root = make_user("root", Role.MANAGER, is_superuser=True, is_staff=True)
    assert FIELD in change_page(client, root, qa)


def test_other_staff_see_it_but_cannot_change_it(client, qa):
    clerk = make_user("clerk", Role.MANAGER, is_staff=True)
    clerk.user_permissions.set(Permission.objects.filter(codename__in=["change_user", "change_profile"]))
    qa.profile.sso_subject = "https://idp.example|s-1"
    qa.profile.save()
    page = change_page(client, clerk, qa)
    assert "https://idp.example|s-1" in page
    assert FIELD not in page

"""The login page with single sign-on on and off, and who may still use a password while it is on."""

import pytest
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SSO_BUTTON = "Sign in with single sign-on"


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_without_an_identity_provider_there_is_no_button_and_no_sso_urls(client):
    assert SSO_BUTTON not in client.get(reverse("login")).content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_with_sso_on_the_login_page_offers_it(client, sso_on):
    page = client.get(reverse("login") + "?next=/vendors/").content.decode()
    assert SSO_BUTTON in page
    assert 'href="/oidc/authenticate/?next=/vendors/"' in page
    assert "the password form below is for vendor staff" in page


def test_the_button_starts_the_code_flow_at_the_provider(client, sso_on):
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    assert response["Location"].startswith("https://idp.invalid/authorize?")
    assert "client_id=bporeg" in response["Location"]
    assert "code_challenge=" in response["Location"]


def test_vendor_staff_keep_their_password(client, sso_on, staff_a, password):
    assert log_in(client, "staff-a", password)["Location"] == reverse("home")


def test_internal_people_must_use_sso(client, sso_on, manager, password):
    response = log_in(client, "maya", password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_superuser_keeps_a_password_for_when_the_provider_is_down(client, sso_on, password):
    make_user("root", Role.MANAGER, is_superuser=True, is_staff=True)
    assert log_in(client, "root", password)["Location"] == reverse("home")


def test_internal_passwords_can_be_allowed(client, sso_on, settings, manager, password):
    settings.OIDC_PASSWORD_LOGIN_FOR_INTERNAL = True
    assert "password form below is for vendor staff" not in client.get(reverse("login")).content.decode()
    assert log_in(client, "maya", password)["Location"] == reverse("home")

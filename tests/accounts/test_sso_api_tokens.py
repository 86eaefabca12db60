"""API tokens while single sign-on is on: the company's own people (bar superusers) sign in only through
the identity provider, so their tokens stop working; vendor staff integrations and superusers keep theirs."""

import html

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db

REFUSED = "API tokens of the company's own people do not work while single sign-on is on"


def get_with_token(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client.get("/api/measurements/")


def test_an_internal_persons_token_is_refused_with_the_reason(sso_on, qa):
    response = get_with_token(qa)
    assert response.status_code == 403
    assert REFUSED in response.json()["detail"]


def test_vendor_staff_and_superuser_tokens_keep_working(sso_on, staff_a):
    root = make_user("root", Role.MANAGER, is_superuser=True, is_staff=True)
    assert get_with_token(staff_a).status_code == 200
    assert get_with_token(root).status_code == 200


def test_internal_tokens_work_where_internal_passwords_are_allowed(sso_on, settings, qa):
    settings.OIDC_PASSWORD_LOGIN_FOR_INTERNAL = True
    assert get_with_token(qa).status_code == 200


def test_without_sso_internal_tokens_work(qa):
    assert get_with_token(qa).status_code == 200


def test_the_token_page_says_why_instead_of_issuing_a_token_that_would_be_refused(
    sso_on, client_for, qa, staff_a
):
    client = client_for(qa)
    response = client.post(reverse("kpis:api-token"))
    assert REFUSED in html.unescape(response.content.decode())
    assert not Token.objects.filter(user=qa).exists()
    client = client_for(staff_a)
    client.post(reverse("kpis:api-token"))
    assert Token.objects.filter(user=staff_a).exists()

"""A manager clicks "Sign in with single sign-on", signs in at the identity provider (django-oidc-provider
on the live server, see tests/accounts/identity_provider.py) and lands on the portfolio dashboard."""

import pytest
from playwright.sync_api import expect

from tests.accounts.identity_provider import start_identity_provider
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def identity_provider(live_server, settings):
    return start_identity_provider(live_server, settings)


def test_manager_signs_in_with_single_sign_on(identity_provider, live_server, page, csp_violations):
    identity_provider.account(
        "idp-maya", email="maya@corp.example", username="maya", groups=["bporeg-managers"], given_name="Maya"
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with single sign-on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider")
    page.get_by_label("Username").fill("idp-maya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Portfolio")
    expect(page.locator("nav")).to_contain_text("BPO manager")
    assert page.url == f"{live_server.url}/portfolio/"
    assert not [error for error in csp_violations if "Content Security Policy" in error]


def test_a_person_without_a_role_is_sent_back_with_the_reason(identity_provider, live_server, page):
    identity_provider.account("idp-max", email="max@corp.example", username="max", groups=["marketing"])
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Sign in with single sign-on").click()
    page.get_by_label("Username").fill("idp-max")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Your identity provider account has no bporeg role")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in to bporeg")

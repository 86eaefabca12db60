"""Single sign-on against a real OpenID Connect provider on the live server: internal people get the
role their groups map to, at every login; nobody else gets in through it."""

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User

from accounts.models import Role
from tests.accounts.identity_provider import sign_on
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

NO_ROLE = "Your identity provider account has no bporeg role; ask your administrator"


def test_first_login_creates_an_internal_person_with_the_mapped_role(
    identity_provider, browser_session, live_server
):
    identity_provider.account(
        "idp-nina",
        email="Nina.Park@corp.example",
        username="nina",
        groups=["staff", "bporeg-qa"],
        given_name="Nina",
        family_name="Park",
    )
    page = sign_on(browser_session, live_server, "idp-nina")
    assert page.url == f"{live_server.url}/portfolio/"
    assert "QA specialist" in page.text
    nina = User.objects.select_related("profile").get(username="nina")
    assert (nina.email, nina.first_name, nina.last_name) == ("Nina.Park@corp.example", "Nina", "Park")
    assert (nina.profile.role, nina.profile.vendor) == (Role.QA, None)
    assert not nina.has_usable_password()


def test_the_role_follows_the_identity_provider_at_every_login(
    identity_provider, browser_session, live_server
):
    identity_provider.account("idp-nina", email="nina@corp.example", username="nina", groups=["bporeg-qa"])
    sign_on(browser_session, live_server, "idp-nina")
    assert User.objects.get(username="nina").profile.role == Role.QA
    # Moved to operations at the provider; a single string is a claim some providers send.
    identity_provider.set_groups("idp-nina", "bporeg-ops")
    page = sign_on(browser_session, live_server, "idp-nina")
    assert "Operations specialist" in page.text
    assert User.objects.get(username="nina").profile.role == Role.OPERATIONS


def test_an_existing_password_account_is_matched_by_email_and_its_role_set(
    identity_provider, browser_session, live_server
):
    olga = make_user("olga.w", Role.QA, email="olga@corp.example")
    identity_provider.account(
        "idp-olga", email="OLGA@corp.example", username="owinter", groups=["bporeg-managers"]
    )
    page = sign_on(browser_session, live_server, "idp-olga")
    assert page.url == f"{live_server.url}/portfolio/"
    olga.refresh_from_db()
    assert olga.profile.role == Role.MANAGER
    assert User.objects.filter(username="owinter").count() == 0


@pytest.mark.parametrize("groups", [["marketing"], None], ids=["unknown-group", "no-groups-claim"])
def test_no_bporeg_role_is_refused_with_a_message_and_no_account(
    identity_provider, browser_session, live_server, caplog, groups
):
    identity_provider.account("idp-max", email="max@corp.example", username="max", groups=groups)
    with caplog.at_level(logging.WARNING, logger="accounts.sso"):
        page = sign_on(browser_session, live_server, "idp-max")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert NO_ROLE in page.text
    assert not User.objects.filter(email="max@corp.example").exists()
    assert not User.objects.filter(username="max").exists()
    assert "Single sign-on refused" in caplog.text
    assert "max@corp.example" in caplog.text
    # The provider vouched for them: a refusal is not a password guess and locks nobody out.
    assert AccessAttempt.objects.count() == 0


def test_a_vendor_staff_account_is_never_taken_over(
    identity_provider, browser_session, live_server, vendor_a
):
    staff = make_user("sam", Role.VENDOR_STAFF, vendor=vendor_a, email="sam@acme.example")
    identity_provider.account(
        "idp-sam", email="Sam@Acme.example", username="sam-m", groups=["bporeg-managers"]
    )
    page = sign_on(browser_session, live_server, "idp-sam")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert "belongs to a vendor staff account" in page.text
    staff.refresh_from_db()
    assert (staff.profile.role, staff.profile.vendor) == (Role.VENDOR_STAFF, vendor_a)
    assert not User.objects.filter(username="sam-m").exists()


def test_the_page_asked_for_is_where_sso_lands(identity_provider, browser_session, live_server):
    identity_provider.account("idp-mia", email="mia@corp.example", username="mia", groups=["bporeg-managers"])
    page = sign_on(browser_session, live_server, "idp-mia", start="/oidc/authenticate/?next=/vendors/")
    assert page.url == f"{live_server.url}/vendors/"

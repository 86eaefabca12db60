"""Single sign-on against a real OpenID Connect provider on the live server: internal people get the
role their groups map to, at every login, in the account linked to their identity at the provider;
nobody else gets in through it, and nobody takes over an account by naming its email."""

import logging

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth.models import User

from accounts.models import Role
from tests.accounts.identity_provider import sign_on
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

NO_ROLE = "Your identity provider account has no bporeg role; ask your administrator"
EMAIL_TAKEN = "An account with this email already exists in bporeg; ask your administrator to link it"


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
    assert olga.profile.sso_subject == identity_provider.subject("idp-olga")
    assert User.objects.filter(username="owinter").count() == 0


def test_an_email_the_provider_has_not_verified_links_nothing(
    identity_provider, browser_session, live_server
):
    olga = make_user("olga.w", Role.QA, email="olga@corp.example")
    identity_provider.account(
        "idp-mallory", email="olga@corp.example", email_verified=False, groups=["bporeg-managers"]
    )
    page = sign_on(browser_session, live_server, "idp-mallory")
    assert page.url == f"{live_server.url}/accounts/login/"
    assert EMAIL_TAKEN in page.text
    olga.refresh_from_db()
    assert (olga.profile.role, olga.profile.sso_subject) == (Role.QA, None)
    assert User.objects.count() == 2  # olga and the provider's own login account


def test_a_superuser_is_never_taken_over(identity_provider, browser_session, live_server):
    root = make_user("root", Role.MANAGER, email="it@corp.example", is_superuser=True, is_staff=True)
    identity_provider.account("idp-it", email="it@corp.example", username="root", groups=["bporeg-qa"])
    page = sign_on(browser_session, live_server, "idp-it")
    assert EMAIL_TAKEN in page.text
    assert browser_session.get(f"{live_server.url}/portfolio/").url.startswith(
        f"{live_server.url}/accounts/login/"
    )
    root.refresh_from_db()
    assert (root.profile.role, root.profile.sso_subject, root.is_superuser) == (Role.MANAGER, None, True)


def test_the_same_identity_returns_to_its_account_after_its_email_changed(
    identity_provider, browser_session, live_server
):
    identity_provider.account("idp-nina", email="nina@corp.example", username="nina", groups=["bporeg-qa"])
    sign_on(browser_session, live_server, "idp-nina")
    identity_provider.change("idp-nina", email="nina.park@corp.example", email_verified=False)
    with requests.Session() as next_day:
        page = sign_on(next_day, live_server, "idp-nina")
    assert page.url == f"{live_server.url}/portfolio/"
    nina = User.objects.get(username="nina")
    assert (nina.email, nina.profile.sso_subject) == (
        "nina.park@corp.example",
        identity_provider.subject("idp-nina"),
    )
    assert User.objects.filter(profile__isnull=False).count() == 1


def test_deactivating_somebody_ends_their_single_sign_on_session(
    identity_provider, browser_session, live_server
):
    identity_provider.account("idp-nina", email="nina@corp.example", username="nina", groups=["bporeg-qa"])
    assert sign_on(browser_session, live_server, "idp-nina").url == f"{live_server.url}/portfolio/"
    User.objects.filter(username="nina").update(is_active=False)
    page = browser_session.get(f"{live_server.url}/portfolio/")
    assert page.url == f"{live_server.url}/accounts/login/?next=/portfolio/"


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

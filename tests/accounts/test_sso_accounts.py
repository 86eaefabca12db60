"""Which bporeg account a single sign-on lands in, and when there is none to land in."""

import pytest
from django.contrib.auth.models import User

from accounts.models import Role
from accounts.services import SignOnRefused, sign_on_internal_person
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def sign_on(role=Role.QA, email="", username="", first_name="", last_name=""):
    return sign_on_internal_person(
        role=role, email=email, username=username, first_name=first_name, last_name=last_name
    )


def test_the_user_name_matches_in_any_case_and_the_role_replaces_the_old_one(manager):
    person = sign_on(Role.OPERATIONS, email="maya.b@corp.example", username="MAYA")
    assert person.pk == manager.pk
    manager.refresh_from_db()
    assert (manager.profile.role, manager.email) == (Role.OPERATIONS, "maya.b@corp.example")


def test_an_account_without_a_role_gets_one(outsider):
    assert sign_on(Role.PROJECT_MANAGER, username="olive").profile.role == Role.PROJECT_MANAGER
    outsider.refresh_from_db()
    assert (outsider.profile.role, outsider.profile.vendor) == (Role.PROJECT_MANAGER, None)


def test_with_no_user_name_claim_the_email_is_the_new_user_name():
    person = sign_on(email="lee@corp.example")
    assert person.username == "lee@corp.example"


def test_email_and_user_name_of_two_different_accounts_are_refused(manager, qa):
    with pytest.raises(SignOnRefused, match="match two different bporeg accounts"):
        sign_on(Role.MANAGER, email=qa.email, username="maya")
    assert User.objects.get(pk=qa.pk).profile.role == Role.QA


def test_a_deactivated_account_stays_locked():
    make_user("dora", Role.QA, is_active=False)
    with pytest.raises(SignOnRefused, match="deactivated"):
        sign_on(Role.MANAGER, username="dora")
    assert User.objects.get(username="dora").profile.role == Role.QA


def test_no_role_means_no_account():
    with pytest.raises(SignOnRefused, match="no bporeg role"):
        sign_on(None, email="max@corp.example", username="max")
    assert not User.objects.filter(username="max").exists()


def test_no_identity_claims_are_refused():
    with pytest.raises(SignOnRefused, match="neither an email address nor a user name"):
        sign_on()

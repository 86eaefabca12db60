"""Which bporeg account a single sign-on lands in, and when there is none to land in: the identity
provider's subject first, then a verified email, never the user name; administrators never."""

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import SuspiciousOperation
from django.db import connection, transaction

from accounts.models import Role
from accounts.services import SignOnRefused, sign_on_internal_person
from accounts.sso import sso_subject
from tests.factories import make_user

pytestmark = pytest.mark.django_db

IDP = "https://idp.example/realms/corp"
EMAIL_TAKEN = "An account with this email already exists in bporeg; ask your administrator to link it"


def sign_on(role=Role.QA, subject="s-1", email="", email_verified=True, username="", first_name=""):
    return sign_on_internal_person(
        subject=f"{IDP}|{subject}",
        role=role,
        email=email,
        email_verified=email_verified,
        username=username,
        first_name=first_name,
        last_name="",
    )


def link(user, subject):
    user.profile.sso_subject = f"{IDP}|{subject}"
    user.profile.save()


def unchanged(user):
    """The account as it was: same role, still unlinked, same flags and email."""
    fresh = User.objects.select_related("profile").get(pk=user.pk)
    now = (fresh.profile.role, fresh.profile.sso_subject, fresh.is_superuser, fresh.is_staff, fresh.email)
    return now == (user.profile.role, None, user.is_superuser, user.is_staff, user.email)


def test_the_identity_is_the_id_tokens_issuer_and_subject(settings):
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.corp.example/oauth2/authorize"
    assert (
        sso_subject({"iss": IDP, "sub": "s-1"}, {"sub": "s-1", "iss": "https://evil.example"}) == f"{IDP}|s-1"
    )
    assert sso_subject({"sub": "s-1"}, {"sub": "s-1"}) == "https://login.corp.example|s-1"
    # Userinfo about somebody else is not to be believed (OpenID Connect Core, 5.3.2).
    with pytest.raises(SuspiciousOperation):
        sso_subject({"iss": IDP, "sub": "s-1"}, {"sub": "s-2"})


def test_a_first_login_creates_an_account_linked_to_the_subject():
    person = sign_on(Role.OPERATIONS, email="nina@corp.example", username="nina", first_name="Nina")
    assert (person.username, person.email, person.first_name) == ("nina", "nina@corp.example", "Nina")
    assert (person.profile.role, person.profile.sso_subject) == (Role.OPERATIONS, f"{IDP}|s-1")
    assert not person.has_usable_password()
    assert not (person.is_staff or person.is_superuser)


def test_the_subject_finds_the_account_after_email_and_user_name_changed_at_the_provider():
    first = sign_on(Role.QA, email="nina@corp.example", username="nina")
    again = sign_on(Role.MANAGER, email="nina.park@corp.example", username="npark")
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.username, again.email) == ("nina", "nina.park@corp.example")
    assert again.profile.role == Role.MANAGER


def test_the_user_name_never_links_an_account(manager):
    person = sign_on(Role.OPERATIONS, email="maya.b@corp.example", username="MAYA")
    assert person.pk != manager.pk
    # "maya" is taken in another case: the new account is named after the email instead.
    assert person.username == "maya.b"
    assert unchanged(manager)


def test_a_user_name_and_email_local_part_both_taken_get_a_suffix(manager):
    person = sign_on(email="maya@corp.example", username="maya")
    assert person.username.startswith("maya-") and len(person.username) == len("maya-") + 6


def test_an_over_long_user_name_is_trimmed():
    assert sign_on(email="lee@corp.example", username="l" * 200).username == "l" * 150


def test_with_no_user_name_claim_the_email_local_part_is_the_user_name():
    assert sign_on(email="lee@corp.example").username == "lee"


def test_a_verified_email_links_an_existing_internal_account(qa):
    person = sign_on(Role.MANAGER, email="QUINN@example.com", username="quinn.q")
    assert person.pk == qa.pk
    qa.refresh_from_db()
    assert (qa.profile.role, qa.profile.sso_subject) == (Role.MANAGER, f"{IDP}|s-1")
    assert not User.objects.filter(username="quinn.q").exists()


def test_an_account_without_a_role_is_linked_by_verified_email_and_gets_one(outsider):
    assert sign_on(Role.PROJECT_MANAGER, email=outsider.email).pk == outsider.pk
    outsider.refresh_from_db()
    assert (outsider.profile.role, outsider.profile.vendor) == (Role.PROJECT_MANAGER, None)


def test_an_unverified_email_does_not_link(qa):
    with pytest.raises(SignOnRefused, match=EMAIL_TAKEN) as refusal:
        sign_on(Role.MANAGER, email=qa.email, email_verified=False, username="newcomer")
    assert "not verified" in refusal.value.reason
    assert unchanged(qa)
    assert not User.objects.filter(username="newcomer").exists()


@pytest.mark.parametrize("flags", [{"is_superuser": True, "is_staff": True}, {"is_staff": True}])
def test_an_administrator_is_never_taken_over_by_email(flags):
    root = make_user("root", Role.MANAGER, email="it@corp.example", **flags)
    with pytest.raises(SignOnRefused, match=EMAIL_TAKEN):
        sign_on(Role.QA, email="IT@corp.example", username="it")
    assert unchanged(root)
    assert User.objects.count() == 1


def test_an_administrator_linked_by_hand_is_refused_all_the_same():
    root = make_user("root", Role.MANAGER, email="it@corp.example", is_superuser=True)
    link(root, "s-1")
    with pytest.raises(SignOnRefused, match="linked to an administrator account"):
        sign_on(Role.QA, email="it@corp.example")
    root.refresh_from_db()
    assert root.profile.role == Role.MANAGER


def test_a_second_identity_with_the_same_email_is_refused(qa):
    sign_on(Role.QA, subject="s-1", email=qa.email)
    with pytest.raises(SignOnRefused, match=EMAIL_TAKEN):
        sign_on(Role.MANAGER, subject="s-2", email=qa.email, username="impostor")
    qa.refresh_from_db()
    assert (qa.profile.role, qa.profile.sso_subject) == (Role.QA, f"{IDP}|s-1")
    assert not User.objects.filter(username="impostor").exists()


def test_an_email_of_two_accounts_is_refused(qa):
    make_user("quinn2", Role.QA, email=qa.email)
    with pytest.raises(SignOnRefused, match=EMAIL_TAKEN):
        sign_on(Role.MANAGER, email=qa.email)
    assert unchanged(qa)


def test_a_vendor_staff_account_is_never_taken_over(staff_a):
    with pytest.raises(SignOnRefused, match="belongs to a vendor staff account"):
        sign_on(Role.MANAGER, email=staff_a.email)
    link(staff_a, "s-2")
    with pytest.raises(SignOnRefused, match="belongs to a vendor staff account"):
        sign_on(Role.MANAGER, subject="s-2", email="other@corp.example")
    assert User.objects.get(pk=staff_a.pk).profile.role == Role.VENDOR_STAFF


def test_a_deactivated_account_stays_locked():
    dora = make_user("dora", Role.QA, is_active=False)
    link(dora, "s-1")
    with pytest.raises(SignOnRefused, match="deactivated"):
        sign_on(Role.MANAGER, email="dora@corp.example")
    dan = make_user("dan", Role.QA, is_active=False)
    with pytest.raises(SignOnRefused, match="deactivated"):
        sign_on(Role.MANAGER, subject="s-2", email=dan.email)
    assert [person.profile.role for person in User.objects.filter(is_active=False)] == [Role.QA, Role.QA]
    assert User.objects.get(username="dan").profile.sso_subject is None


def test_no_role_means_no_account():
    with pytest.raises(SignOnRefused, match="no bporeg role"):
        sign_on(None, email="max@corp.example", username="max")
    assert not User.objects.filter(username="max").exists()


def test_no_identity_claims_are_refused():
    with pytest.raises(SignOnRefused, match="neither an email address nor a user name"):
        sign_on()


@pytest.mark.parametrize(
    "claims",
    [{"email": "a" * 250 + "@corp.example"}, {"email": "lee@corp.example", "subject": "s" * 300}],
    ids=["email", "subject"],
)
def test_a_claim_too_long_for_its_column_is_refused_not_an_error(claims):
    with pytest.raises(SignOnRefused, match="could not save your account"):
        sign_on(**claims)
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_first_logins_make_one_account_and_one_refusal():
    """The second login cannot see the first one's uncommitted account, tries to create it too, waits
    on the first one's row, and then finds the user name taken: a refusal, not a server error."""
    created, commit, outcome = threading.Event(), threading.Event(), {}

    def first_login():
        with transaction.atomic():
            sign_on(email="nina@corp.example", username="nina")
            created.set()
            commit.wait(timeout=30)

    def second_login():
        try:
            outcome["second"] = sign_on(email="nina@corp.example", username="nina")
        except Exception as error:  # whatever it is, the assertion below shows it
            outcome["second"] = error

    first = in_thread(first_login)
    assert created.wait(timeout=30)
    second = in_thread(second_login)
    wait_until_a_query_waits_on_a_lock()
    commit.set()
    first.join()
    second.join()
    assert isinstance(outcome["second"], SignOnRefused), outcome["second"]
    assert "could not save your account" in str(outcome["second"])
    assert User.objects.filter(username="nina").count() == 1


def in_thread(work):
    def run():
        try:
            work()
        finally:
            connection.close()  # each thread has its own connection to the test database

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def wait_until_a_query_waits_on_a_lock():
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT 1 FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone():
                return
    raise AssertionError("the second login never waited on the first one")

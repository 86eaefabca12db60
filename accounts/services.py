"""Writes that touch a person's account and profile together."""

import secrets

from django.contrib.auth import get_user_model
from django.db import DataError, IntegrityError, transaction

from accounts.models import INTERNAL_ROLES, Profile, Role

NO_ROLE = (
    "Your identity provider account has no bporeg role; ask your administrator to add you to one of "
    "bporeg's groups."
)
VENDOR_ACCOUNT = (
    "Your email or single sign-on identity belongs to a vendor staff account, which signs in with its "
    "password; single sign-on is for the company's own people."
)
EMAIL_TAKEN = (
    "An account with this email already exists in bporeg; ask your administrator to link it to your "
    "single sign-on identity."
)
ADMIN_ACCOUNT = (
    "Your single sign-on identity is linked to an administrator account, which signs in with its "
    "password; ask your administrator."
)
DEACTIVATED = "Your bporeg account is deactivated; ask your administrator."
NO_IDENTITY = "Your identity provider sent neither an email address nor a user name; ask your administrator."
NOT_SAVED = (
    "bporeg could not save your account (a second sign-on at the same moment, or a name or email too "
    "long); try again, or ask your administrator."
)
USERNAME_LENGTH = 150


class SignOnRefused(Exception):
    """The person may not log in through single sign-on; `str()` is the message shown to them."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


def sign_on_internal_person(
    *,
    subject: str,
    role: Role | None,
    email: str,
    email_verified: bool,
    username: str,
    first_name: str,
    last_name: str,
):
    """The account an internal person signs on to, with the role the identity provider gives them now.

    The account is the one linked to `subject` (the provider's "issuer|sub"); failing that, an
    unlinked account with the same email, but only if the provider verified that email and the account
    is an ordinary internal one; failing that, a new account. Never matched by user name, which anybody
    may choose at some providers. Vendor staff, superusers and staff accounts are never touched."""
    if role is None:
        raise SignOnRefused(NO_ROLE, "no role in the claims")
    assert role in INTERNAL_ROLES, role
    if not (username or email):
        raise SignOnRefused(NO_IDENTITY, "neither email nor preferred_username")
    try:
        # A savepoint: the second of two simultaneous first logins, or a claim longer than its column,
        # is a refusal, and leaves any transaction around this call usable.
        with transaction.atomic():
            person = linked_person(subject) or person_with_email(email, email_verified)
            if person is None:
                person = new_person(username, email)
            return save_person(person, subject, role, email=email, first_name=first_name, last_name=last_name)
    except (IntegrityError, DataError) as error:
        raise SignOnRefused(NOT_SAVED, f"not saved: {error}") from error


def linked_person(subject: str):
    """The account already linked to this identity, if it may still sign on through it."""
    person = get_user_model().objects.filter(profile__sso_subject=subject).select_related("profile").first()
    if person is None:
        return None
    if person.profile.role == Role.VENDOR_STAFF:
        raise SignOnRefused(VENDOR_ACCOUNT, f"{subject} is linked to vendor staff account {person.username}")
    if person.is_superuser or person.is_staff:
        raise SignOnRefused(ADMIN_ACCOUNT, f"{subject} is linked to administrator account {person.username}")
    return person


def person_with_email(email: str, email_verified: bool):
    """The existing account to link by email, or None when no account has it; any doubt is a refusal
    ("nOAuth": an unverified email, or an email shared or already linked, is nobody's proof)."""
    if not email:
        return None
    people = list(get_user_model().objects.filter(email__iexact=email).select_related("profile")[:2])
    if not people:
        return None
    person = people[0]
    profile = getattr(person, "profile", None)
    if profile is not None and profile.role == Role.VENDOR_STAFF:
        raise SignOnRefused(VENDOR_ACCOUNT, f"email matches vendor staff account {person.username}")
    if len(people) > 1:
        raise SignOnRefused(EMAIL_TAKEN, f"email matches {people[0].username} and {people[1].username}")
    if not email_verified:
        raise SignOnRefused(EMAIL_TAKEN, f"email matches {person.username} but is not verified")
    if person.is_superuser or person.is_staff:
        raise SignOnRefused(EMAIL_TAKEN, f"email matches administrator account {person.username}")
    if profile is not None and profile.sso_subject:
        raise SignOnRefused(EMAIL_TAKEN, f"email matches {person.username}, linked to {profile.sso_subject}")
    return person


def new_person(username: str, email: str):
    """A new account: the provider's user name if nobody has it (in any case), else one made unique."""
    user_model = get_user_model()
    local_part = email.partition("@")[0]
    candidates = [name[:USERNAME_LENGTH] for name in (username, local_part) if name]
    for name in candidates:
        if not user_model.objects.filter(username__iexact=name).exists():
            return user_model(username=name)
    suffix = f"-{secrets.token_hex(3)}"
    return user_model(username=candidates[-1][: USERNAME_LENGTH - len(suffix)] + suffix)


def save_person(person, subject: str, role: Role, *, email: str, first_name: str, last_name: str):
    if not person.is_active:
        raise SignOnRefused(DEACTIVATED, f"account {person.username} is deactivated")
    person.email = email or person.email
    person.first_name = first_name or person.first_name
    person.last_name = last_name or person.last_name
    if person.pk is None:
        # The identity provider checks who they are; a bporeg password would be a second way in.
        person.set_unusable_password()
    person.save()
    person.profile, _ = Profile.objects.update_or_create(
        user=person, defaults={"role": role, "vendor": None, "sso_subject": subject}
    )
    return person

"""Writes that touch a person's account and profile together."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from accounts.models import INTERNAL_ROLES, Profile, Role

NO_ROLE = (
    "Your identity provider account has no bporeg role; ask your administrator to add you to one of "
    "bporeg's groups."
)
VENDOR_ACCOUNT = (
    "This email or user name belongs to a vendor staff account, which signs in with its password; "
    "single sign-on is for the company's own people."
)
AMBIGUOUS = (
    "Your email and user name match two different bporeg accounts; ask your administrator to merge them."
)
DEACTIVATED = "Your bporeg account is deactivated; ask your administrator."
NO_IDENTITY = "Your identity provider sent neither an email address nor a user name; ask your administrator."


class SignOnRefused(Exception):
    """The person may not log in through single sign-on; `str()` is the message shown to them."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@transaction.atomic
def sign_on_internal_person(*, role: Role | None, email: str, username: str, first_name: str, last_name: str):
    """The account an internal person signs on to, created or matched by email or user name (neither
    case-sensitive), with the role the identity provider gives them now. Vendor staff accounts are
    never taken over, and nobody without a role gets an account."""
    if role is None:
        raise SignOnRefused(NO_ROLE, "no role in the claims")
    assert role in INTERNAL_ROLES, role
    login_name = username or email
    if not login_name:
        raise SignOnRefused(NO_IDENTITY, "neither email nor preferred_username")
    match = Q(username__iexact=login_name) | (Q(email__iexact=email) if email else Q(pk__in=[]))
    people = list(get_user_model().objects.filter(match).select_related("profile")[:2])
    if len(people) > 1:
        raise SignOnRefused(AMBIGUOUS, f"matches {people[0].username} and {people[1].username}")
    person = people[0] if people else get_user_model()(username=login_name)
    profile = getattr(person, "profile", None) if person.pk else None
    if profile is not None and profile.role == Role.VENDOR_STAFF:
        raise SignOnRefused(VENDOR_ACCOUNT, f"matches vendor staff account {person.username}")
    if not person.is_active:
        raise SignOnRefused(DEACTIVATED, f"account {person.username} is deactivated")

    person.email = email or person.email
    person.first_name = first_name or person.first_name
    person.last_name = last_name or person.last_name
    if person.pk is None:
        # The identity provider checks who they are; a bporeg password would be a second way in.
        person.set_unusable_password()
    person.save()
    person.profile, _ = Profile.objects.update_or_create(user=person, defaults={"role": role, "vendor": None})
    return person

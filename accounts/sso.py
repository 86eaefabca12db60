"""Single sign-on with OpenID Connect for the company's own people (see README, "Single sign-on").

The identity provider is the source of truth for internal people: their role comes from a claim
(`OIDC_ROLE_CLAIM`, groups by default) mapped through `OIDC_ROLE_MAP`, and is set again at every
login. Vendor staff never come through here; they keep their passwords. Imported only when SSO is on.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.models import INTERNAL_ROLES, Role
from accounts.services import SignOnRefused, sign_on_internal_person

logger = logging.getLogger(__name__)


def parse_role_map(raw: dict[str, str]) -> dict[str, Role]:
    """Group → internal role, in the order given. A role bporeg does not know is an error, and so is
    vendor staff: those accounts belong to a vendor, which the identity provider cannot name."""
    internal = {role.value: role for role in INTERNAL_ROLES}
    unknown = sorted({name for name in raw.values() if name not in internal})
    if unknown:
        raise ImproperlyConfigured(
            f"OIDC_ROLE_MAP names {', '.join(unknown)}; single sign-on gives only the internal roles "
            f"{', '.join(internal)}."
        )
    return {group: internal[name] for group, name in raw.items()}


def claim_values(claims: dict, path: str) -> list[str]:
    """The claim at `path` (dots reach into nested claims, as Keycloak's `realm_access.roles`) as strings."""
    value = claims
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def role_from_claims(claims: dict) -> Role | None:
    """The first role in `OIDC_ROLE_MAP` whose group the person is in: the map's order is the precedence."""
    groups = set(claim_values(claims, settings.OIDC_ROLE_CLAIM))
    for group, role in parse_role_map(settings.OIDC_ROLE_MAP).items():
        if group in groups:
            return role
    return None


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow; who may log in, and as what, is bporeg's rule."""

    def get_or_create_user(self, access_token, id_token, payload):
        # Some providers (Entra ID) put groups and roles in the ID token only, not in userinfo.
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        try:
            return sign_on_internal_person(
                role=role_from_claims(claims),
                email=claims.get("email", ""),
                username=claims.get("preferred_username", ""),
                first_name=claims.get("given_name", ""),
                last_name=claims.get("family_name", ""),
            )
        except SignOnRefused as refusal:
            logger.warning(
                "Single sign-on refused for sub=%s email=%s %s=%s: %s",
                claims.get("sub"),
                claims.get("email"),
                settings.OIDC_ROLE_CLAIM,
                claim_values(claims, settings.OIDC_ROLE_CLAIM),
                refusal.reason,
            )
            messages.error(self.request, str(refusal))
            return None


class PasswordBackend(ModelBackend):
    """Passwords while SSO is on: vendor staff, people with no role, and a superuser (the break-glass
    account); internal people only if `OIDC_PASSWORD_LOGIN_FOR_INTERNAL` allows it. Also ends the
    password sessions of internal people once SSO is switched on, since Django asks it for the user."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        if settings.OIDC_PASSWORD_LOGIN_FOR_INTERNAL or user.is_superuser:
            return True
        profile = getattr(user, "profile", None)
        return profile is None or profile.role not in INTERNAL_ROLES

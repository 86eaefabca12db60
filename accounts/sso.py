"""Single sign-on with OpenID Connect for the company's own people (see README, "Single sign-on").

The identity provider is the source of truth for internal people: their role comes from a claim
(`OIDC_ROLE_CLAIM`, groups by default) mapped through `OIDC_ROLE_MAP`, and is set again at every
login. Vendor staff never come through here; they keep their passwords. Imported only when SSO is on.
Which account a person lands in is `accounts.services.sign_on_internal_person`'s rule.
"""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from accounts.authentication import signs_in_only_through_sso
from accounts.models import INTERNAL_ROLES, Role
from accounts.services import SignOnRefused, sign_on_internal_person

logger = logging.getLogger(__name__)


def parse_role_map(raw: dict[str, str]) -> dict[str, Role]:
    """Group → internal role, in the order given. A role bporeg does not know is an error, and so is
    vendor staff: those accounts belong to a vendor, which the identity provider cannot name."""
    if not raw:
        raise ImproperlyConfigured(
            "OIDC_ROLE_MAP is empty: with single sign-on on, nobody could sign on. Map your provider's "
            "groups to roles, e.g. OIDC_ROLE_MAP=bporeg-managers=manager,bporeg-qa=qa."
        )
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


def sso_subject(id_token: dict, userinfo: dict) -> str:
    """Who the person is at the provider, as "issuer|sub", from the signed ID token. The issuer is its
    `iss` (which OpenID Connect requires), else the authorization endpoint's origin; userinfo must be
    about the same subject, or it is not to be believed (OpenID Connect Core, 5.3.2)."""
    subject = id_token.get("sub")
    if not subject or userinfo.get("sub") != subject:
        raise SuspiciousOperation("the userinfo's sub is not the ID token's")
    endpoint = urlsplit(settings.OIDC_OP_AUTHORIZATION_ENDPOINT)
    issuer = id_token.get("iss") or f"{endpoint.scheme}://{endpoint.netloc}"
    return f"{issuer}|{subject}"


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow; who may log in, and as what, is bporeg's rule."""

    def get_or_create_user(self, access_token, id_token, payload):
        userinfo = self.get_userinfo(access_token, id_token, payload)
        subject = sso_subject(payload, userinfo)
        # Some providers (Entra ID) put groups and roles in the ID token only, not in userinfo.
        claims = {**payload, **userinfo}
        try:
            return sign_on_internal_person(
                subject=subject,
                role=role_from_claims(claims),
                email=claims.get("email") or "",
                email_verified=claims.get("email_verified") is True,
                username=claims.get("preferred_username") or "",
                first_name=claims.get("given_name") or "",
                last_name=claims.get("family_name") or "",
            )
        except SignOnRefused as refusal:
            # The subject is what an administrator pastes into the profile to link an account by hand.
            logger.warning(
                "Single sign-on refused for subject=%s email=%s %s=%s: %s",
                subject,
                claims.get("email"),
                settings.OIDC_ROLE_CLAIM,
                claim_values(claims, settings.OIDC_ROLE_CLAIM),
                refusal.reason,
            )
            messages.error(self.request, str(refusal))
            return None

    def get_user(self, user_id):
        # mozilla-django-oidc's returns deactivated people too; Django's own backends do not, and
        # deactivating somebody must end the session they opened through single sign-on.
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PasswordBackend(ModelBackend):
    """Passwords while SSO is on: vendor staff, people with no role, and a superuser (the break-glass
    account); internal people only if `OIDC_PASSWORD_LOGIN_FOR_INTERNAL` allows it. Also ends the
    password sessions of internal people once SSO is switched on, since Django asks it for the user."""

    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not signs_in_only_through_sso(user)

"""Who may authenticate other than through single sign-on, by password or by API token.

While SSO is on (and `OIDC_PASSWORD_LOGIN_FOR_INTERNAL` is off), internal people other than superusers
sign in only through the identity provider, so that removing them there keeps them out: a bporeg
password or API token would be a second door that stays open. API tokens are then for vendor staff
integrations and superusers (see README, "Single sign-on").
"""

from django.conf import settings
from rest_framework import authentication, exceptions

from accounts.models import INTERNAL_ROLES

TOKEN_REFUSED = (
    "API tokens of the company's own people do not work while single sign-on is on; use bporeg in the "
    "browser, or ask your administrator for an integration account."
)


def signs_in_only_through_sso(user) -> bool:
    if not settings.OIDC_ENABLED or settings.OIDC_PASSWORD_LOGIN_FOR_INTERNAL or user.is_superuser:
        return False
    profile = getattr(user, "profile", None)
    return profile is not None and profile.role in INTERNAL_ROLES


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, refusing the tokens of people who sign in only through SSO."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if signs_in_only_through_sso(user):
            # 403, not 401: the token is genuine, but this person may not use one now.
            raise exceptions.PermissionDenied(TOKEN_REFUSED)
        return user, token

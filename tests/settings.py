"""bporeg's settings plus the identity provider the SSO tests sign in at.

django-oidc-provider is installed so that its tables exist; its views are served (under /test-idp/)
only by the SSO tests' URLconf, tests/accounts/identity_provider.py. SSO itself stays off, as in a
default install: the SSO tests switch it on for themselves.
"""

from bporeg.settings import *  # noqa: F403
from bporeg.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "oidc_provider"]
OIDC_LOGIN_URL = "/test-idp/login/"
OIDC_USERINFO = "tests.accounts.identity_provider.userinfo"
OIDC_EXTRA_SCOPE_CLAIMS = "tests.accounts.identity_provider.GroupClaims"

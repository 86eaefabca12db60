"""A real OpenID Connect provider in the test process: django-oidc-provider under /test-idp/ on the
live server, beside bporeg with SSO switched on (this module is also the URLconf the SSO tests use).

mozilla-django-oidc talks to it as to any provider: the browser (or a requests session) is redirected
to its authorize endpoint and signs in there, and bporeg fetches the token, the signing keys and
userinfo over real HTTP. The provider's directory (email, names, groups of each of its accounts) is
`DIRECTORY`; its login accounts are Django users named `idp-…`, which bporeg never matches because
the claims carry other names.
"""

from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect
from django.urls import include, path
from oidc_provider.lib.claims import ScopeClaims
from oidc_provider.models import Client, ResponseType, RSAKey
from oidc_provider.views import AuthorizeView

from bporeg.urls import single_sign_on_urls
from bporeg.urls import urlpatterns as bporeg_urls
from tests.factories import PASSWORD, UserFactory

CLIENT_ID = "bporeg"
CLIENT_SECRET = "test-client-secret"
ROLE_MAP = {
    "bporeg-managers": "manager",
    "bporeg-qa": "qa",
    "bporeg-ops": "operations",
    "bporeg-pm": "project_manager",
}
PROVIDER_SESSION_KEY = "test_idp_account"
# Login name at the provider → the claims it releases about that account.
DIRECTORY: dict[str, dict] = {}


def userinfo(claims, user):
    claims.update({key: value for key, value in DIRECTORY[user.username].items() if key != "groups"})
    return claims


class GroupClaims(ScopeClaims):
    info_groups = ("Groups", "The groups you belong to.")

    def scope_groups(self):
        return {"groups": DIRECTORY[self.user.username].get("groups")}


class ProviderLoginView(LoginView):
    """The provider's own login, kept in its own session key: a real provider lives on another origin
    with its own cookie, so signing in there must neither log anybody into bporeg nor out of it."""

    template_name = "registration/_simple_form.html"
    extra_context = {"heading": "Test identity provider", "button": "Sign in"}

    def form_valid(self, form):
        self.request.session[PROVIDER_SESSION_KEY] = form.get_user().pk
        return redirect(self.get_success_url())


class ProviderAuthorizeView(AuthorizeView):
    """django-oidc-provider's authorize endpoint, seeing the provider's login rather than bporeg's;
    it asks for a fresh login each time, so every test signs in at the provider."""

    def get(self, request, *args, **kwargs):
        account = request.session.get(PROVIDER_SESSION_KEY)
        request.user = User.objects.get(pk=account) if account else AnonymousUser()
        response = super().get(request, *args, **kwargs)
        if "code=" in response.get("Location", ""):
            del request.session[PROVIDER_SESSION_KEY]
        return response


urlpatterns = [
    *bporeg_urls,
    *single_sign_on_urls(),
    path("test-idp/login/", ProviderLoginView.as_view(), name="test_idp_login"),
    path("test-idp/authorize", ProviderAuthorizeView.as_view(), name="test_idp_authorize"),
    path("test-idp/", include("oidc_provider.urls", namespace="oidc_provider")),
]


def sso_settings(settings, provider_url):
    """bporeg's settings as an install with SSO on has them (see bporeg/settings.py)."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider_url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider_url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider_url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider_url}/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_USE_PKCE = True
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = ROLE_MAP
    settings.OIDC_PASSWORD_LOGIN_FOR_INTERNAL = False
    settings.LOGIN_REDIRECT_URL_FAILURE = "/accounts/login/"
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "accounts.sso.SingleSignOnBackend",
        "accounts.sso.PasswordBackend",
    ]
    settings.ROOT_URLCONF = "tests.accounts.identity_provider"


@dataclass
class IdentityProvider:
    url: str

    def account(
        self, login, *, email, username="", groups=None, given_name="", family_name="", email_verified=True
    ):
        """An account at the provider: `login` signs in there; the rest are the claims it releases."""
        UserFactory(username=login)
        DIRECTORY[login] = {
            "email": email,
            "email_verified": email_verified,
            "preferred_username": username,
            "given_name": given_name,
            "family_name": family_name,
            "groups": groups,
        }
        return login

    def set_groups(self, login, groups):
        DIRECTORY[login]["groups"] = groups

    def change(self, login, **claims):
        """The provider's record changes, as when somebody edits their email or user name there."""
        DIRECTORY[login].update(claims)

    def subject(self, login):
        """The identity bporeg links an account to: the provider's issuer and the account's `sub`."""
        return f"{self.url}|{User.objects.get(username=login).pk}"


def start_identity_provider(live_server, settings) -> IdentityProvider:
    """The provider's signing key and bporeg's client registration, and SSO on in bporeg."""
    DIRECTORY.clear()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    RSAKey.objects.create(
        key=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode()
    )
    client = Client.objects.create(
        name="bporeg",
        client_type="confidential",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        jwt_alg="RS256",
        require_consent=False,
        _redirect_uris=f"{live_server.url}/oidc/callback/",
    )
    # The migration's rows are gone after a transactional test's flush; the provider needs this one.
    code, _ = ResponseType.objects.get_or_create(value="code", defaults={"description": "code"})
    client.response_types.add(code)
    provider = IdentityProvider(url=f"{live_server.url}/test-idp")
    sso_settings(settings, provider.url)
    # django-oidc-provider names itself (the ID token's `iss`) after SITE_URL, bporeg's own address;
    # both are the live server here.
    settings.SITE_URL = live_server.url
    return provider


def sign_on(session, live_server, login, password=PASSWORD, start="/oidc/authenticate/"):
    """Click "Sign in with single sign-on" and sign in at the provider, with a requests session;
    returns the page the person ends on."""
    provider_login = session.get(f"{live_server.url}{start}")
    assert "Test identity provider" in provider_login.text, provider_login.url
    return session.post(
        provider_login.url,
        {"username": login, "password": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
    )

"""SSO's configuration: the role map is read strictly, the first mapped group wins, a bad setting stops
the process at start, and with SSO off its library is never loaded."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts.models import Role
from accounts.sso import parse_role_map, role_from_claims
from bporeg.env import env_mapping

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = {
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.invalid/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.invalid/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.invalid/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.invalid/jwks",
}


def test_the_role_map_is_read_in_order(monkeypatch):
    monkeypatch.setenv("OIDC_ROLE_MAP", " bporeg-managers = manager,/corp/qa=qa ,")
    assert list(env_mapping("OIDC_ROLE_MAP").items()) == [("bporeg-managers", "manager"), ("/corp/qa", "qa")]


@pytest.mark.parametrize("raw", ["bporeg-managers", "=manager", "g=", "g=qa,g=manager"])
def test_a_malformed_role_map_is_an_error(monkeypatch, raw):
    monkeypatch.setenv("OIDC_ROLE_MAP", raw)
    with pytest.raises(ImproperlyConfigured, match="OIDC_ROLE_MAP"):
        env_mapping("OIDC_ROLE_MAP")


@pytest.mark.parametrize("role", ["admin", "vendor_staff", "Manager"])
def test_only_internal_roles_can_be_mapped(role):
    with pytest.raises(ImproperlyConfigured, match=role):
        parse_role_map({"bporeg-managers": "manager", "g": role})


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"groups": ["bporeg-qa", "bporeg-managers"]}, Role.MANAGER),  # the map's first entry wins
        ({"groups": ["staff", "bporeg-pm"]}, Role.PROJECT_MANAGER),
        ({"groups": "bporeg-ops"}, Role.OPERATIONS),
        ({"groups": ["marketing"]}, None),
        ({"groups": "BPOREG-QA"}, None),  # group names are exact, as providers send them
        ({"roles": ["bporeg-qa"]}, None),
        ({}, None),
    ],
)
def test_role_from_the_groups_claim(settings, claims, role):
    settings.OIDC_ROLE_CLAIM = "groups"
    settings.OIDC_ROLE_MAP = {
        "bporeg-managers": "manager",
        "bporeg-qa": "qa",
        "bporeg-ops": "operations",
        "bporeg-pm": "project_manager",
    }
    assert role_from_claims(claims) == role


def test_a_nested_claim_is_reached_by_a_dotted_path(settings):
    settings.OIDC_ROLE_CLAIM = "realm_access.roles"
    settings.OIDC_ROLE_MAP = {"bporeg-qa": "qa"}
    assert role_from_claims({"realm_access": {"roles": ["offline_access", "bporeg-qa"]}}) == Role.QA
    assert role_from_claims({"realm_access": "bporeg-qa"}) is None


def run_django(code, **environment):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bporeg.settings", **environment}
    for name in [name for name in env if name.startswith("OIDC_") and name not in environment]:
        del env[name]
    script = f"import django; django.setup()\n{code}"
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)


def test_an_unknown_role_in_the_map_stops_the_process_at_start():
    result = run_django("", OIDC_RP_CLIENT_ID="bporeg", OIDC_ROLE_MAP="bporeg-staff=staff", **ENDPOINTS)
    assert result.returncode != 0
    assert "OIDC_ROLE_MAP names staff" in result.stderr


def test_an_empty_role_map_stops_the_process_at_start():
    result = run_django("", OIDC_RP_CLIENT_ID="bporeg", **ENDPOINTS)
    assert result.returncode != 0
    assert "OIDC_ROLE_MAP is empty" in result.stderr


NO_KEYS = {name: value for name, value in ENDPOINTS.items() if name != "OIDC_OP_JWKS_ENDPOINT"}


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"OIDC_RP_CLIENT_ID": "bporeg"}, "Set the environment variable OIDC_RP_CLIENT_SECRET"),
        ({"OIDC_RP_CLIENT_ID": "bporeg", **NO_KEYS}, "OIDC_RP_SIGN_ALGO=RS256: set OIDC_OP_JWKS_ENDPOINT"),
        ({"OIDC_ENABLED": "true", **ENDPOINTS}, "OIDC_ENABLED is on: set OIDC_RP_CLIENT_ID"),
        ({"OIDC_RP_CLIENT_ID": "bporeg", "OIDC_ENABLED": "maybe"}, "OIDC_ENABLED='maybe' is not a boolean"),
    ],
    ids=["no-secret", "no-keys", "no-client-id", "not-a-boolean"],
)
def test_incomplete_sso_settings_stop_the_process_at_start(environment, message):
    result = run_django("", **environment)
    assert result.returncode != 0
    assert message in result.stderr


SERVE_LOGIN_PAGE = """
import sys
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
page = Client().get("/accounts/login/")
print(page.status_code, "mozilla_django_oidc" in sys.modules, "single sign-on" in page.content.decode())
"""


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "200 False False"),
        ({"OIDC_RP_CLIENT_ID": "bporeg", "OIDC_ROLE_MAP": "g=qa", **ENDPOINTS}, "200 True True"),
    ],
    ids=["off", "on"],
)
def test_the_oidc_library_is_loaded_only_when_sso_is_on(environment, expected):
    result = run_django(SERVE_LOGIN_PAGE, **environment)
    assert result.stdout.split("\n")[-2] == expected, result.stderr

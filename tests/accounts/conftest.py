"""The SSO tests' identity provider (see identity_provider.py) and a browser-like HTTP session."""

import pytest
import requests

from tests.accounts.identity_provider import sso_settings, start_identity_provider


@pytest.fixture
def identity_provider(live_server, settings, transactional_db):
    return start_identity_provider(live_server, settings)


@pytest.fixture
def sso_on(settings):
    """SSO switched on, with a provider that is never contacted: for tests that stop short of it."""
    sso_settings(settings, "https://idp.invalid")


@pytest.fixture
def browser_session():
    with requests.Session() as session:
        yield session

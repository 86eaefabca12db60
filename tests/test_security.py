"""Headers every page sends, and the deployment check with production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("url_name", ["login", "password_reset"])
def test_pages_send_a_strict_content_security_policy(client, url_name):
    policy = client.get(reverse(url_name))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


def test_signed_in_pages_send_the_policy_too(client_for, manager):
    response = client_for(manager).get(reverse("vendors:list"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_templates_contain_no_inline_script_or_style():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if "<script>" in text or " style=" in text or " onclick=" in text:
            offenders.append(str(template.relative_to(ROOT)))
    assert offenders == []


def manage(*args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_deploy_check_passes_with_production_settings():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="bporeg.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr


def test_a_misspelt_boolean_is_an_error_not_a_silent_default():
    result = manage("check", DEBUG="yes-please")
    assert result.returncode != 0
    assert "DEBUG='yes-please' is not a boolean" in result.stderr

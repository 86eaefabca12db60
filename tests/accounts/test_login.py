"""Logging in: throttled per account and address, session rotated, reset by email."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from accounts.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def attempt(client, username, password, address="203.0.113.7", forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_correct_password_logs_in_and_lands_on_home(client, manager, password):
    response = attempt(client, "maya", password)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_a_clear_message(client, manager):
    response = attempt(client, "maya", "nope")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_session_key_rotates_at_login(client, manager, password):
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    attempt(client, "maya", password)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(manager.pk)


def test_fifth_failure_locks_the_account_from_that_address(client, manager, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "maya", "wrong")
    locked = attempt(client, "maya", password)
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_spill_over_to_other_addresses_or_accounts(client, manager, qa, password, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "maya", "wrong", address="203.0.113.7")
    assert attempt(client, "maya", password, address="198.51.100.20").status_code == 302
    client.logout()
    assert attempt(client, "quinn", password, address="203.0.113.7").status_code == 302


def test_spoofed_forwarded_for_does_not_reset_the_counter(client, manager, password, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "maya", "wrong", forwarded=f"10.0.0.{number}")
    assert attempt(client, "maya", password, forwarded="10.9.9.9").status_code == 429


def test_spoofed_forwarded_for_cannot_lock_out_somebody_else(client, manager, password, settings):
    victim = "198.51.100.20"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "maya", "wrong", address="203.0.113.7", forwarded=victim)
    assert AccessAttempt.objects.filter(ip_address=victim).count() == 0
    assert attempt(client, "maya", password, address=victim).status_code == 302


def test_behind_a_trusted_proxy_the_proxy_appended_address_counts(client, manager, password, settings):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        # The attacker writes a fake first entry; our proxy appends the real address last.
        attempt(client, "maya", "wrong", address="10.0.0.1", forwarded="1.2.3.4, 203.0.113.7")
    assert attempt(client, "maya", password, address="10.0.0.1", forwarded="203.0.113.7").status_code == 429
    assert attempt(client, "maya", password, address="10.0.0.1", forwarded="198.51.100.20").status_code == 302


def test_password_reset_by_email(client, password):
    user = make_user("vera", Role.MANAGER, email="vera@example.com")
    response = client.post(reverse("password_reset"), {"email": "vera@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vera@example.com"]
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "a-much-better-secret-42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, manager):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change_requires_the_old_password(client_for, manager):
    client = client_for(manager)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "x-new-secret-77", "new_password2": "x-new-secret-77"},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()

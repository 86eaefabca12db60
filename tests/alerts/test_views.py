"""The in-app notification list, the navbar's unread count, marking read, and preferences."""

import pytest
from django.urls import reverse

from alerts import registry
from alerts.models import AlertPreference, EmailMode
from tests.alerts.factories import InAppAlertFactory

pytestmark = pytest.mark.django_db


def test_everyone_sees_only_their_own_alerts(client_for, manager, qa):
    InAppAlertFactory(recipient=manager, title="For Maya")
    InAppAlertFactory(recipient=qa, title="For Quinn")
    page = client_for(manager).get(reverse("alerts:list")).content.decode()
    assert "For Maya" in page and "For Quinn" not in page


def test_unread_count_and_mark_read(client_for, manager):
    first, _ = InAppAlertFactory(recipient=manager), InAppAlertFactory(recipient=manager)
    client = client_for(manager)
    assert ">2<" in client.get(reverse("alerts:unread_count")).content.decode()
    response = client.post(reverse("alerts:mark_read", args=[first.pk]), headers={"HX-Request": "true"})
    assert f'id="alert-{first.pk}"' in response.content.decode()
    assert ">1<" in client.get(reverse("alerts:unread_count")).content.decode()
    client.post(reverse("alerts:mark_all_read"))
    assert client.get(reverse("alerts:unread_count")).content.decode().strip() == ""
    unread = client.get(reverse("alerts:list") + "?unread=1").content.decode()
    assert "No alerts left unread" in unread


def test_the_list_makes_the_same_queries_for_3_or_30_alerts(client_for, manager, django_assert_num_queries):
    client = client_for(manager)
    for size in (3, 30):
        InAppAlertFactory.create_batch(size - (3 if size == 30 else 0), recipient=manager)
        with django_assert_num_queries(5):  # session, user, profile, count, page
            client.get(reverse("alerts:list"))


def test_preferences_are_saved_per_kind(client_for, staff_a):
    client = client_for(staff_a)
    page = client.get(reverse("alerts:preferences")).content.decode()
    assert "SLA breach" in page and "Yearly contract review" in page
    assert "Onboarding task overdue" in page and "Certification expiring" in page
    assert "Periodic review missed" in page
    data = {}
    for kind in registry.KINDS:
        data[f"{kind}-email"] = "immediate"
        data[f"{kind}-in_app"] = "on"
    data.update({"contract_review-email": "digest", "sla_breach-email": "off"})
    del data["contract_review-in_app"]
    response = client.post(reverse("alerts:preferences"), data)
    assert response.status_code == 302
    saved = {p.kind: (p.in_app, p.email) for p in AlertPreference.objects.filter(user=staff_a)}
    assert saved["contract_review"] == (False, EmailMode.DIGEST)
    assert saved["sla_breach"] == (True, EmailMode.OFF)
    client.post(reverse("alerts:preferences"), {**data, "sla_breach-email": "immediate"})
    assert AlertPreference.objects.get(user=staff_a, kind="sla_breach").email == EmailMode.IMMEDIATE


def test_a_bad_choice_changes_nothing(client_for, manager):
    response = client_for(manager).post(reverse("alerts:preferences"), {"sla_breach-email": "hourly"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AlertPreference.objects.exists()


def test_the_navbar_loads_the_unread_count(client_for, manager, outsider):
    page = client_for(manager).get(reverse("alerts:preferences")).content.decode()
    assert f'hx-get="{reverse("alerts:unread_count")}"' in page

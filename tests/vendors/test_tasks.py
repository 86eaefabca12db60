"""Working on onboarding tasks: who may update what, blocked needs a reason, done records who and when,
htmx gets partials and a plain form post still works."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.urls import reverse

from bporeg.uploads import sample_bytes
from tests.factories import OnboardingPlanFactory, OnboardingTaskFactory
from vendors.models import Responsible, TaskStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(vendor_a, manager):
    return OnboardingPlanFactory(vendor=vendor_a, go_live=date(2026, 6, 1), created_by=manager)


@pytest.fixture
def vendor_task(plan):
    return OnboardingTaskFactory(plan=plan, title="Train vendor staff", responsible=Responsible.VENDOR)


@pytest.fixture
def manager_task(plan):
    return OnboardingTaskFactory(plan=plan, title="Secure system access", responsible=Responsible.MANAGER)


def update(client, task, htmx=False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("vendors:task_update", args=[task.pk]), data, headers=headers)


def test_vendor_staff_completes_their_task_with_comment_and_evidence(client_for, staff_a, vendor_task):
    evidence = SimpleUploadedFile("training log.pdf", sample_bytes("pdf"))
    response = update(
        client_for(staff_a),
        vendor_task,
        status="done",
        comment="All 40 agents trained.",
        evidence=evidence,
        next="/vendors/my-onboarding/",
    )
    assert response.status_code == 302
    assert response.url == "/vendors/my-onboarding/"
    vendor_task.refresh_from_db()
    assert vendor_task.status == TaskStatus.DONE
    assert vendor_task.completed_by == staff_a
    assert vendor_task.completed_at is not None
    assert vendor_task.comments.get().body == "All 40 agents trained."
    assert vendor_task.evidence.get().filename == "training_log.pdf"


def test_reopening_a_task_clears_its_completion(client_for, staff_a, vendor_task):
    client = client_for(staff_a)
    update(client, vendor_task, status="done")
    update(client, vendor_task, status="in_progress")
    vendor_task.refresh_from_db()
    assert (vendor_task.completed_at, vendor_task.completed_by) == (None, None)


@pytest.mark.parametrize("status", ["done", "in_progress", "blocked"])
def test_vendor_staff_cannot_update_a_task_the_bpo_side_owns(client_for, staff_a, manager_task, status):
    response = update(
        client_for(staff_a), manager_task, status=status, blocked_reason="x", comment="mine now"
    )
    assert response.status_code == 403
    manager_task.refresh_from_db()
    assert manager_task.status == TaskStatus.TODO
    assert not manager_task.comments.exists()


def test_qa_cannot_mark_a_vendor_task_done(client_for, qa, vendor_task):
    assert update(client_for(qa), vendor_task, status="done").status_code == 403
    vendor_task.refresh_from_db()
    assert vendor_task.status == TaskStatus.TODO


def test_a_task_done_by_someone_who_may_not_edit_it_is_refused_by_the_service(staff_a, manager_task):
    from django.core.exceptions import PermissionDenied

    from vendors.onboarding_services import onboarding_task_update

    with pytest.raises(PermissionDenied):
        onboarding_task_update(task=manager_task, by=staff_a, status=TaskStatus.DONE)
    manager_task.refresh_from_db()
    assert manager_task.status == TaskStatus.TODO


def test_the_task_page_does_not_offer_the_form_to_people_who_may_not_update(
    client_for, staff_a, manager_task
):
    page = client_for(staff_a).get(manager_task.get_absolute_url()).content.decode()
    assert "Save update" not in page
    assert "The BPO manager updates this task." in page


@pytest.mark.parametrize("htmx", [False, True])
def test_a_blocked_task_needs_a_reason(client_for, staff_a, vendor_task, htmx):
    response = update(
        client_for(staff_a), vendor_task, htmx=htmx, status="blocked", blocked_reason="  ", comment="hm"
    )
    assert response.status_code == 200
    assert "Say why the task is blocked" in response.content.decode()
    vendor_task.refresh_from_db()
    assert vendor_task.status == TaskStatus.TODO
    assert not vendor_task.comments.exists()


def test_a_blocked_task_keeps_its_reason_until_unblocked(client_for, staff_a, vendor_task):
    client = client_for(staff_a)
    update(client, vendor_task, status="blocked", blocked_reason="Waiting for VPN accounts")
    vendor_task.refresh_from_db()
    assert vendor_task.blocked_reason == "Waiting for VPN accounts"
    update(client, vendor_task, status="in_progress")
    vendor_task.refresh_from_db()
    assert vendor_task.blocked_reason == ""


def test_the_database_refuses_a_blocked_task_without_reason_and_done_without_who(vendor_task):
    vendor_task.status = TaskStatus.BLOCKED
    with pytest.raises(IntegrityError):
        vendor_task.save()


def test_the_database_refuses_done_without_completion(vendor_task):
    vendor_task.status = TaskStatus.DONE
    with pytest.raises(IntegrityError):
        vendor_task.save()


def test_an_html_file_renamed_png_is_refused_and_nothing_changes(client_for, staff_a, vendor_task):
    fake = SimpleUploadedFile("screenshot.png", b"<!doctype html><html><script>steal()</script></html>")
    response = update(
        client_for(staff_a), vendor_task, htmx=True, status="done", comment="see file", evidence=fake
    )
    assert "whatever its name says" in response.content.decode()
    vendor_task.refresh_from_db()
    assert vendor_task.status == TaskStatus.TODO
    assert not vendor_task.evidence.exists()
    assert not vendor_task.comments.exists()


def test_htmx_gets_the_task_card_and_the_new_progress(client_for, staff_a, vendor_task, manager_task):
    response = update(client_for(staff_a), vendor_task, htmx=True, status="done", comment="Finished")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'id="task-{vendor_task.pk}"' in body
    assert 'hx-swap-oob="true"' in body
    assert "1 of 2 tasks done" in body
    assert "Finished" in body


def test_my_onboarding_shows_the_vendors_own_tasks_by_default(client_for, staff_a, vendor_task, manager_task):
    client = client_for(staff_a)
    page = client.get(reverse("vendors:my_onboarding")).content.decode()
    assert vendor_task.title in page
    assert manager_task.title not in page
    page = client.get(reverse("vendors:my_onboarding") + "?show=all").content.decode()
    assert manager_task.title in page


def test_vendor_staff_home_points_to_their_onboarding(client_for, staff_a, vendor_task):
    response = client_for(staff_a).get("/", follow=True)
    page = response.content.decode()
    assert "Your onboarding" in page
    assert "1 task waiting for your team." in page
    assert reverse("vendors:my_onboarding") in page


def test_manager_plans_a_task_with_an_assignee_of_that_vendor_only(
    client_for, manager, staff_a, staff_b, vendor_task
):
    url = reverse("vendors:task_edit", args=[vendor_task.pk])
    form = client_for(manager).get(url).context["form"]
    assignees = set(form.fields["assignee"].queryset)
    assert staff_a in assignees and manager in assignees and staff_b not in assignees
    data = {
        "title": vendor_task.title,
        "phase": "2",
        "responsible": "vendor",
        "assignee": staff_b.pk,
        "due_date": "2026-05-20",
    }
    response = client_for(manager).post(url, data)
    assert "Select a valid choice" in response.content.decode()
    response = client_for(manager).post(url, {**data, "assignee": staff_a.pk})
    vendor_task.refresh_from_db()
    assert (vendor_task.assignee, vendor_task.due_date) == (staff_a, date(2026, 5, 20))

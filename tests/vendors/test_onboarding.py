"""Onboarding plans: the default template, applying it with a go-live date, moving go-live, and the
manager's template editing."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import OnboardingPlanFactory, OnboardingTaskFactory, TemplateActivityFactory
from vendors.models import OnboardingTask, OnboardingTemplate, Phase, TaskStatus, VendorStatus
from vendors.onboarding_services import onboarding_apply_template, onboarding_move_go_live

pytestmark = pytest.mark.django_db
GO_LIVE = date(2026, 6, 1)


def default_template():
    return OnboardingTemplate.objects.get(is_default=True)


def test_the_default_template_ships_with_common_practice():
    template = default_template()
    titles = " / ".join(template.activities.values_list("title", flat=True)).lower()
    for practice in [
        "scope",
        "kpis",
        "secure data and system access",
        "train vendor staff",
        "document processes",
        "monitor kpis",
        "initial issues",
        "monthly performance reviews",
        "continuous improvement",
    ]:
        assert practice in titles
    assert set(template.activities.values_list("phase", flat=True)) == set(Phase.values)
    assert set(template.activities.values_list("responsible", flat=True)) == {"manager", "qa", "vendor"}


def test_applying_a_template_creates_tasks_with_real_due_dates(vendor_a, manager):
    vendor_a.status = VendorStatus.PROSPECT
    vendor_a.save()
    template = default_template()
    plan = onboarding_apply_template(vendor=vendor_a, template=template, go_live=GO_LIVE, by=manager)
    tasks = {task.title: task for task in plan.tasks.all()}
    assert len(tasks) == template.activities.count()
    for activity in template.activities.all():
        task = tasks[activity.title]
        assert task.due_date == GO_LIVE + timedelta(days=activity.due_offset_days)
        assert (task.phase, task.responsible, task.status) == (
            activity.phase,
            activity.responsible,
            TaskStatus.TODO,
        )
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.ONBOARDING


def test_manager_starts_onboarding_from_the_vendor_page(client_for, manager, vendor_a):
    url = reverse("vendors:onboarding_apply", args=[vendor_a.slug])
    response = client_for(manager).post(url, {"template": default_template().pk, "go_live": "2026-06-01"})
    assert response.status_code == 302
    assert vendor_a.onboarding_tasks.filter(title="Go live with hypercare support", due_date=GO_LIVE).exists()


def test_a_missing_go_live_date_is_explained_and_changes_nothing(client_for, manager, vendor_a):
    url = reverse("vendors:onboarding_apply", args=[vendor_a.slug])
    response = client_for(manager).post(url, {"template": default_template().pk, "go_live": ""})
    assert (
        "Enter the go-live date: every task&#x27;s due date is counted from it." in response.content.decode()
    )
    assert not OnboardingTask.objects.exists()


def test_onboarding_cannot_be_started_twice(client_for, manager, vendor_a):
    onboarding_apply_template(vendor=vendor_a, template=default_template(), go_live=GO_LIVE, by=manager)
    count = OnboardingTask.objects.count()
    url = reverse("vendors:onboarding_apply", args=[vendor_a.slug])
    response = client_for(manager).post(url, {"template": default_template().pk, "go_live": "2026-07-01"})
    assert "already started" in response.content.decode()
    assert OnboardingTask.objects.count() == count


def test_moving_go_live_reschedules_only_open_tasks(manager, vendor_a):
    plan = OnboardingPlanFactory(vendor=vendor_a, go_live=GO_LIVE, created_by=manager)
    due = GO_LIVE - timedelta(days=14)
    todo = OnboardingTaskFactory(plan=plan, due_date=due)
    blocked = OnboardingTaskFactory(plan=plan, due_date=due, status=TaskStatus.BLOCKED, blocked_reason="VPN")
    done = OnboardingTaskFactory(
        plan=plan,
        due_date=due,
        status=TaskStatus.DONE,
        completed_at="2026-05-10T10:00Z",
        completed_by=manager,
    )
    moved = onboarding_move_go_live(plan=plan, go_live=GO_LIVE + timedelta(days=10), by=manager)
    assert moved == 2
    for task, expected in [
        (todo, due + timedelta(days=10)),
        (blocked, due + timedelta(days=10)),
        (done, due),
    ]:
        task.refresh_from_db()
        assert task.due_date == expected
    plan.refresh_from_db()
    assert plan.go_live == GO_LIVE + timedelta(days=10)
    assert plan.history.first().history_user == manager


def test_go_live_form_needs_a_date(client_for, manager, vendor_a):
    plan = OnboardingPlanFactory(vendor=vendor_a, go_live=GO_LIVE, created_by=manager)
    task = OnboardingTaskFactory(plan=plan)
    response = client_for(manager).post(
        reverse("vendors:onboarding_go_live", args=[vendor_a.slug]), {"go_live": ""}
    )
    assert "Enter the go-live date" in response.content.decode()
    task.refresh_from_db()
    assert task.due_date == GO_LIVE - timedelta(days=14)


def test_manager_edits_a_template(client_for, manager):
    client = client_for(manager)
    client.post(reverse("vendors:template_create"), {"name": "Fast track", "is_default": "on"})
    template = OnboardingTemplate.objects.get(name="Fast track")
    assert list(OnboardingTemplate.objects.filter(is_default=True)) == [template]
    url = reverse("vendors:activity_create", args=[template.pk])
    data = {"phase": "2", "title": "Shadow senior agents", "responsible": "vendor", "due_offset_days": "-10"}
    client.post(url, data)
    assert template.activities.get().due_offset_days == -10
    response = client.post(url, {**data, "title": "shadow senior agents"})
    assert "already has an activity with this title" in response.content.decode()
    page = client.get(template.get_absolute_url()).content.decode()
    assert "10 days before go-live" in page


def test_removing_a_template_activity_leaves_started_plans_alone(client_for, manager, vendor_a):
    activity = TemplateActivityFactory(title="Calibrate QA")
    onboarding_apply_template(vendor=vendor_a, template=activity.template, go_live=GO_LIVE, by=manager)
    client_for(manager).post(reverse("vendors:activity_delete", args=[activity.pk]))
    assert not activity.template.activities.exists()
    assert vendor_a.onboarding_tasks.filter(title="Calibrate QA").exists()


def test_overdue_tasks_are_marked_on_the_vendor_page(client_for, manager, vendor_a):
    plan = OnboardingPlanFactory(vendor=vendor_a, go_live=GO_LIVE, created_by=manager)
    OnboardingTaskFactory(plan=plan, title="Train agents", due_date=date(2026, 5, 1))
    with time_machine.travel(date(2026, 5, 5), tick=False):
        page = client_for(manager).get(vendor_a.get_absolute_url()).content.decode()
    assert "Overdue · 1 May" in page
    assert "1 overdue" in page

"""What the operations specialist and the project manager may change, beside the manager and QA.

The access matrix checks every page for every role; these tests check the changes themselves.
"""

from datetime import date

import pytest
from django.urls import reverse

from reviews.models import ActionItemStatus
from tests.factories import OnboardingTaskFactory, OnboardingTemplateFactory, TemplateActivityFactory
from tests.reviews.factories import ActionItemFactory
from vendors.models import OnboardingPlan, Responsible, TaskStatus

pytestmark = pytest.mark.django_db


def test_the_project_manager_starts_a_vendors_onboarding(client_for, pm, vendor_a):
    template = TemplateActivityFactory(title="Sign the data processing agreement").template
    response = client_for(pm).post(
        reverse("vendors:onboarding_apply", kwargs={"slug": vendor_a.slug}),
        {"template": template.pk, "go_live": "2027-03-01"},
    )
    assert response.status_code == 302
    vendor_a.refresh_from_db()
    assert vendor_a.onboarding.go_live == date(2027, 3, 1)
    assert [task.title for task in vendor_a.onboarding_tasks.all()] == ["Sign the data processing agreement"]


def test_the_operations_specialist_may_not_start_an_onboarding(client_for, ops, vendor_a):
    template = OnboardingTemplateFactory()
    response = client_for(ops).post(
        reverse("vendors:onboarding_apply", kwargs={"slug": vendor_a.slug}),
        {"template": template.pk, "go_live": "2027-03-01"},
    )
    assert response.status_code == 403
    assert not OnboardingPlan.objects.filter(vendor=vendor_a).exists()


# Who may update an onboarding task, by the role responsible for it.
MAY_UPDATE = {
    "manager": {Responsible.MANAGER, Responsible.QA, Responsible.OPERATIONS, Responsible.PROJECT_MANAGER},
    "pm": {Responsible.MANAGER, Responsible.QA, Responsible.OPERATIONS, Responsible.PROJECT_MANAGER},
    "qa": {Responsible.QA},
    "ops": {Responsible.OPERATIONS},
}


@pytest.mark.parametrize("persona", sorted(MAY_UPDATE))
@pytest.mark.parametrize("responsible", [r for r in Responsible if r != Responsible.VENDOR])
def test_an_internal_task_is_updated_by_its_role_and_the_project_leads(
    request, client_for, persona, responsible, vendor_a
):
    task = OnboardingTaskFactory(plan__vendor=vendor_a, responsible=responsible)
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("vendors:task_update", kwargs={"pk": task.pk}), {"status": TaskStatus.IN_PROGRESS}
    )
    task.refresh_from_db()
    if responsible in MAY_UPDATE[persona]:
        assert (response.status_code, task.status) == (302, TaskStatus.IN_PROGRESS)
    else:
        assert (response.status_code, task.status) == (403, TaskStatus.TODO)


def test_the_operations_specialist_updates_any_action_item(client_for, ops, vendor_a):
    item = ActionItemFactory(review__vendor=vendor_a, owner="internal")
    response = client_for(ops).post(
        reverse("reviews:action_item_update", kwargs={"pk": item.pk}),
        {"status": ActionItemStatus.DONE, "progress_comment": "Scripts retrained."},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.progress_comment) == (ActionItemStatus.DONE, "Scripts retrained.")


def test_the_project_manager_does_not_update_action_items(client_for, pm, vendor_a):
    item = ActionItemFactory(review__vendor=vendor_a)
    response = client_for(pm).post(
        reverse("reviews:action_item_update", kwargs={"pk": item.pk}), {"status": ActionItemStatus.DONE}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == ActionItemStatus.OPEN


@pytest.mark.parametrize("persona", ["ops", "pm"])
def test_navigation_shows_the_internal_menus_without_money(request, client_for, persona):
    page = client_for(request.getfixturevalue(persona)).get(reverse("home"), follow=True).content.decode()
    assert f'href="{reverse("vendors:list")}"' in page
    assert f'href="{reverse("costs:invoice_list")}"' not in page
    project_setup = f'href="{reverse("vendors:template_list")}"'
    assert (project_setup in page) == (persona == "pm")

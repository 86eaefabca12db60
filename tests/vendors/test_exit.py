"""Exit: the default checklist, starting an exit (who, which vendors, dated tasks), updating its tasks
(who, the deletion certificate), completing it (refused while tasks are open; then the vendor is exited,
its staff lose access and its record stays), the checklist's counts, and the overdue alert."""

import threading
import time
from datetime import UTC, date, datetime, timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from bporeg.uploads import sample_bytes
from tests.alerts.days import emails, run_on
from tests.factories import (
    ContractFactory,
    OnboardingPlanFactory,
    OnboardingTaskFactory,
    VendorFactory,
    make_user,
)
from tests.reviews.factories import ReviewFactory
from tests.vendors.exit_factories import ExitPlanFactory, ExitTaskFactory
from vendors.exit_alerts import EXIT_TASK_OVERDUE, due_exit_task_overdue
from vendors.exit_services import exit_complete, exit_start, exit_task_update
from vendors.models import (
    ExitArea,
    ExitPlan,
    ExitTask,
    ExitTemplate,
    Responsible,
    TaskStatus,
    VendorStatus,
)

pytestmark = pytest.mark.django_db
EXIT_DATE = date(2026, 9, 30)
REASON = "Quality stayed below target for two quarters; the work moves to a new provider."
CERTIFICATE = "Provide the data deletion certificate"


def default_template():
    return ExitTemplate.objects.get(is_default=True)


def start(vendor, by, **fields):
    fields = {"template": default_template(), "exit_date": EXIT_DATE, "reason": REASON, **fields}
    return exit_start(vendor=vendor, by=by, **fields)


def pdf(name="certificate.pdf"):
    return SimpleUploadedFile(name, sample_bytes("pdf"))


def finish_all(plan, by):
    for task in plan.tasks.all():
        exit_task_update(task=task, by=by, status=TaskStatus.DONE, evidence=pdf())


# The default template


def test_the_default_template_covers_every_area_with_two_or_three_activities():
    template = default_template()
    for area in ExitArea:
        assert 2 <= template.activities.filter(area=area).count() <= 3, area.label
    offsets = template.activities.values_list("due_offset_days", flat=True)
    assert min(offsets) < 0 < max(offsets)
    certificate = template.activities.get(title=CERTIFICATE)
    assert (certificate.area, certificate.responsible, certificate.evidence_required) == (
        ExitArea.DATA_RETURN,
        Responsible.VENDOR,
        True,
    )


def test_creating_the_default_template_again_changes_nothing():
    migration = import_module("vendors.migrations.0006_default_exit_template")
    before = (ExitTemplate.objects.count(), default_template().activities.count())
    migration.create_default(apps, None)
    migration.create_default(apps, None)
    assert (ExitTemplate.objects.count(), default_template().activities.count()) == before


# Starting an exit


def test_starting_an_exit_dates_every_task_from_the_exit_date_and_puts_the_vendor_offboarding(
    vendor_a, vendor_b, manager
):
    plan = start(vendor_a, manager, successor=vendor_b)
    tasks = {task.title: task for task in plan.tasks.all()}
    template = default_template()
    assert len(tasks) == template.activities.count()
    for activity in template.activities.all():
        task = tasks[activity.title]
        assert task.due_date == EXIT_DATE + timedelta(days=activity.due_offset_days)
        assert (task.area, task.responsible, task.status, task.evidence_required) == (
            activity.area,
            activity.responsible,
            TaskStatus.TODO,
            activity.evidence_required,
        )
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.OFFBOARDING
    latest = vendor_a.history.first()
    assert (latest.status, latest.history_user) == (VendorStatus.OFFBOARDING, manager)
    assert (plan.successor, plan.started_by, plan.reason) == (vendor_b, manager, REASON)


@pytest.mark.parametrize("persona", ["pm", "qa", "ops", "staff_a"])
def test_only_the_manager_starts_an_exit(request, vendor_a, persona):
    with pytest.raises(PermissionDenied):
        start(vendor_a, request.getfixturevalue(persona))
    assert not ExitPlan.objects.exists()


@pytest.mark.parametrize("status", [VendorStatus.ONBOARDING, VendorStatus.ACTIVE, VendorStatus.ON_WATCH])
def test_a_delivering_vendor_can_be_exited(vendor_a, manager, status):
    vendor_a.status = status
    vendor_a.save()
    assert start(vendor_a, manager).tasks.exists()


@pytest.mark.parametrize(
    "status", [VendorStatus.PROSPECT, VendorStatus.OFFBOARDING, VendorStatus.EXITED, VendorStatus.ARCHIVED]
)
def test_a_vendor_not_delivering_cannot_be_exited(vendor_a, manager, status):
    vendor_a.status = status
    vendor_a.save()
    with pytest.raises(ValidationError, match="cannot be exited"):
        start(vendor_a, manager)
    assert not ExitPlan.objects.exists()


def test_an_exit_is_started_once(vendor_a, manager):
    start(vendor_a, manager)
    vendor_a.status = VendorStatus.ACTIVE
    vendor_a.save()
    with pytest.raises(ValidationError, match="already been started"):
        start(vendor_a, manager)


def test_the_manager_starts_an_exit_from_the_vendor_page(client_for, manager, vendor_a, vendor_b):
    client = client_for(manager)
    assert "Start exit" in client.get(vendor_a.get_absolute_url()).content.decode()
    data = {"template": default_template().pk, "exit_date": "2026-09-30", "reason": REASON}
    response = client.post(
        reverse("vendors:exit_start", args=[vendor_a.slug]), {**data, "successor": vendor_b.pk}
    )
    assert response.status_code == 302
    page = client.get(vendor_a.get_absolute_url()).content.decode()
    assert 'id="exit"' in page and "Bravo Data" in page and "Start exit" not in page


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("reason", "", "Say why the partnership ends"),
        ("exit_date", "", "Enter the exit date"),
        ("successor", "self", "Select a valid choice"),
    ],
)
def test_bad_input_re_renders_the_form_and_changes_nothing(
    client_for, manager, vendor_a, field, value, error
):
    data = {"template": default_template().pk, "exit_date": "2026-09-30", "reason": REASON}
    data[field] = vendor_a.pk if value == "self" else value
    response = client_for(manager).post(reverse("vendors:exit_start", args=[vendor_a.slug]), data)
    assert response.status_code == 400
    assert error in response.content.decode().replace("&#x27;", "'")
    vendor_a.refresh_from_db()
    assert vendor_a.status == VendorStatus.ACTIVE
    assert not ExitPlan.objects.exists() and not ExitTask.objects.exists()


# Updating tasks


@pytest.fixture
def plan(vendor_a, manager):
    return start(vendor_a, manager)


def task_for(plan, responsible):
    return plan.tasks.filter(responsible=responsible).exclude(evidence_required=True).first()


@pytest.mark.parametrize(
    ("persona", "responsible", "allowed"),
    [
        ("manager", Responsible.VENDOR, True),
        ("pm", Responsible.QA, True),
        ("qa", Responsible.QA, True),
        ("qa", Responsible.OPERATIONS, False),
        ("ops", Responsible.OPERATIONS, True),
        ("ops", Responsible.MANAGER, False),
        ("staff_a", Responsible.VENDOR, True),
        ("staff_a", Responsible.PROJECT_MANAGER, False),
    ],
)
def test_who_may_update_an_exit_task(request, plan, persona, responsible, allowed):
    user = request.getfixturevalue(persona)
    task = task_for(plan, responsible)
    if allowed:
        exit_task_update(task=task, by=user, status=TaskStatus.IN_PROGRESS, comment="Under way")
        task.refresh_from_db()
        assert task.status == TaskStatus.IN_PROGRESS
        assert task.history.first().history_change_reason == "Under way"
    else:
        with pytest.raises(PermissionDenied):
            exit_task_update(task=task, by=user, status=TaskStatus.IN_PROGRESS)


def test_vendor_staff_update_their_task_from_the_vendor_page_and_the_log_keeps_the_comment(
    client_for, plan, staff_a
):
    task = task_for(plan, Responsible.VENDOR)
    client = client_for(staff_a)
    url = reverse("vendors:exit_task_update", args=[task.pk])
    response = client.post(url, {"status": "done", "comment": "All client data exported via SFTP."})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.completed_by) == (TaskStatus.DONE, staff_a)
    page = client.get(plan.vendor.get_absolute_url()).content.decode()
    assert "All client data exported via SFTP." in page
    waiting = plan.tasks.filter(responsible=Responsible.VENDOR).exclude(status=TaskStatus.DONE).count()
    assert f"{waiting} exit tasks waiting for your team" in page


def test_an_htmx_update_returns_the_card_and_the_progress(client_for, plan, staff_a):
    task = task_for(plan, Responsible.VENDOR)
    url = reverse("vendors:exit_task_update", args=[task.pk])
    response = client_for(staff_a).post(url, {"status": "done"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="exit-task-{task.pk}"' in body and 'id="exit-progress"' in body and "1 of" in body


def test_staff_of_another_vendor_get_404(client_for, plan, staff_b):
    task = task_for(plan, Responsible.VENDOR)
    client = client_for(staff_b)
    assert (
        client.post(reverse("vendors:exit_task_update", args=[task.pk]), {"status": "done"}).status_code
        == 404
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.TODO


def test_the_deletion_certificate_is_needed_before_its_task_is_done(client_for, plan, staff_a, manager):
    task = plan.tasks.get(title=CERTIFICATE)
    client = client_for(staff_a)
    url = reverse("vendors:exit_task_update", args=[task.pk])
    response = client.post(url, {"status": "done"})
    assert response.status_code == 400
    assert "needs its evidence" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.TODO
    assert client.post(url, {"status": "done", "evidence": pdf()}).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    certificate = task.evidence.get()
    assert (certificate.filename, certificate.uploaded_by) == ("certificate.pdf", staff_a)
    download = client_for(manager).get(certificate.get_absolute_url())
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_second_file_is_kept_beside_the_first(client_for, plan, staff_a, manager):
    task = plan.tasks.get(title=CERTIFICATE)
    exit_task_update(task=task, by=staff_a, status=TaskStatus.IN_PROGRESS, evidence=pdf("draft.pdf"))
    exit_task_update(task=task, by=staff_a, status=TaskStatus.DONE, evidence=pdf("signed.pdf"))
    assert [item.filename for item in task.evidence.all()] == ["draft.pdf", "signed.pdf"]
    page = client_for(manager).get(plan.vendor.get_absolute_url()).content.decode()
    for item in task.evidence.all():
        assert f'href="{item.get_absolute_url()}"' in page


def final_invoice_file(plan, manager):
    task = plan.tasks.filter(area=ExitArea.FINAL_INVOICE).first()
    exit_task_update(
        task=task,
        by=manager,
        status=TaskStatus.IN_PROGRESS,
        evidence=pdf("final-invoice.pdf"),
        comment="Final invoice of 48,312.50 EUR received.",
    )
    return task.evidence.get()


@pytest.mark.parametrize(
    ("persona", "shown"), [("manager", True), ("staff_a", True), ("qa", False), ("ops", False), ("pm", False)]
)
def test_the_final_invoices_files_show_only_to_the_manager_and_the_vendors_staff(
    request, client_for, plan, manager, persona, shown
):
    invoice = final_invoice_file(plan, manager)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(invoice.get_absolute_url()).status_code == (200 if shown else 404)
    page = client.get(plan.vendor.get_absolute_url()).content.decode()
    assert ("final-invoice.pdf" in page) is shown
    assert ("48,312.50" in page) is shown  # the log's comment may quote the amount
    assert ("shown to the BPO manager only" in page) is not shown
    # The card an htmx update sends back says the same.
    task = plan.tasks.filter(area=ExitArea.FINAL_INVOICE).first()
    url = reverse("vendors:exit_task_update", args=[task.pk])
    card = client_for(manager).post(url, {"status": "in_progress"}, HTTP_HX_REQUEST="true")
    assert "final-invoice.pdf" in card.content.decode()
    if persona == "pm":  # the one internal role besides the manager who may update any exit task
        client = client_for(request.getfixturevalue(persona))  # one test client: log back in
        card = client.post(url, {"status": "in_progress"}, HTTP_HX_REQUEST="true").content.decode()
        assert "final-invoice.pdf" not in card and "shown to the BPO manager only" in card


def test_a_task_cannot_change_once_the_exit_is_complete(plan, manager):
    finish_all(plan, manager)
    task = plan.tasks.first()  # loaded before the exit completes, as a request racing it would have
    exit_complete(plan=plan, by=manager)
    with pytest.raises(ValidationError, match="This exit is complete"):
        exit_task_update(task=task, by=manager, status=TaskStatus.BLOCKED, blocked_reason="Reopened")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_an_update_racing_the_exits_completion_waits_for_it_and_is_refused(vendor_a, manager):
    # Built from factories: a transactional test may run after another has flushed the default template.
    plan = ExitPlanFactory(vendor=vendor_a, started_by=manager)
    task = ExitTaskFactory(plan=plan, responsible=Responsible.MANAGER)
    exit_task_update(task=task, by=manager, status=TaskStatus.DONE)
    completed = threading.Event()

    def complete_and_hold():
        with transaction.atomic():
            exit_complete(plan=plan, by=manager)
            completed.set()
            time.sleep(0.5)  # the update below starts meanwhile; it must wait for this commit
        connection.close()

    racer = threading.Thread(target=complete_and_hold)
    racer.start()
    completed.wait(5)
    with pytest.raises(ValidationError, match="This exit is complete"):
        exit_task_update(task=task, by=manager, status=TaskStatus.BLOCKED, blocked_reason="Reopened")
    racer.join()
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


# Completing


def test_completion_is_refused_while_tasks_are_open_and_names_them(plan, manager, staff_a):
    finish_all(plan, manager)
    reopened = plan.tasks.get(title=CERTIFICATE)
    exit_task_update(task=reopened, by=manager, status=TaskStatus.BLOCKED, blocked_reason="Waiting for legal")
    with pytest.raises(ValidationError, match=CERTIFICATE):
        exit_complete(plan=plan, by=manager)
    plan.vendor.refresh_from_db()
    staff_a.refresh_from_db()
    assert plan.vendor.status == VendorStatus.OFFBOARDING and staff_a.is_active


def test_the_complete_button_explains_what_is_open(client_for, plan, pm):
    response = client_for(pm).post(reverse("vendors:exit_complete", args=[plan.vendor.slug]), follow=True)
    body = response.content.decode()
    assert "cannot be completed while tasks are open" in body and CERTIFICATE in body
    plan.refresh_from_db()
    assert not plan.is_complete


def test_a_complete_exit_leaves_the_vendor_exited_its_staff_without_access_and_its_record_kept(
    client_for, plan, manager, pm, staff_a
):
    vendor = plan.vendor
    contract = ContractFactory(vendor=vendor, reference="MSA-EXIT-1")
    review = ReviewFactory(vendor=vendor)
    other_staff = make_user("staff-a2", Role.VENDOR_STAFF, vendor=vendor)
    finish_all(plan, manager)
    client = client_for(pm)
    assert client.post(reverse("vendors:exit_complete", args=[vendor.slug])).status_code == 302
    vendor.refresh_from_db()
    plan.refresh_from_db()
    assert vendor.status == VendorStatus.EXITED
    assert (plan.completed_by, plan.is_complete) == (pm, True)
    staff_a.refresh_from_db()
    other_staff.refresh_from_db()
    assert not staff_a.is_active and not other_staff.is_active
    assert vendor.contracts.filter(pk=contract.pk, archived_at__isnull=True).exists()
    assert vendor.reviews.filter(pk=review.pk).exists()
    page = client_for(manager).get(vendor.get_absolute_url()).content.decode()
    assert "MSA-EXIT-1" in page and "Complete exit" not in page and "staff access revoked" in page
    with pytest.raises(ValidationError, match="already complete"):
        exit_complete(plan=plan, by=manager)
    assert not plan.tasks.first().may_update(manager)


def test_an_exited_vendors_onboarding_is_read_only(client_for, plan, manager):
    onboarding_task = OnboardingTaskFactory(plan=OnboardingPlanFactory(vendor=plan.vendor))
    assert onboarding_task.may_update(manager)
    finish_all(plan, manager)
    exit_complete(plan=plan, by=manager)
    onboarding_task.refresh_from_db()
    assert not onboarding_task.may_update(manager)
    url = reverse("vendors:onboarding_go_live", args=[plan.vendor.slug])
    assert client_for(manager).get(url).status_code == 404


@pytest.mark.parametrize("persona", ["qa", "ops", "staff_a"])
def test_only_project_leads_complete_an_exit(request, plan, manager, persona):
    finish_all(plan, manager)
    with pytest.raises(PermissionDenied):
        exit_complete(plan=plan, by=request.getfixturevalue(persona))


def test_an_exited_vendor_leaves_the_default_list_and_shows_under_its_status(client_for, manager, vendor_a):
    vendor_a.status = VendorStatus.EXITED
    vendor_a.save()
    VendorFactory(name="Still Active")
    client = client_for(manager)
    default = client.get(reverse("vendors:list")).content.decode()
    assert "Still Active" in default and "Acme Support" not in default
    assert "Acme Support" in client.get(reverse("vendors:list") + "?status=exited").content.decode()


# The checklist on the vendor page


@time_machine.travel(datetime(2026, 9, 20, 9, 0), tick=False)
def test_the_checklist_counts_done_tasks_per_area_and_marks_overdue_ones(client_for, manager, vendor_a):
    plan = ExitPlanFactory(vendor=vendor_a, exit_date=EXIT_DATE, started_by=manager)
    for title, area, due, done in [
        ("Hand back SOPs", ExitArea.KNOWLEDGE_TRANSFER, date(2026, 9, 1), True),
        ("Run sessions", ExitArea.KNOWLEDGE_TRANSFER, date(2026, 9, 10), False),
        ("Return data", ExitArea.DATA_RETURN, date(2026, 9, 25), False),
    ]:
        task = ExitTaskFactory(plan=plan, title=title, area=area, due_date=due)
        if done:
            exit_task_update(task=task, by=manager, status=TaskStatus.DONE)
    page = client_for(manager).get(vendor_a.get_absolute_url()).content.decode()
    assert "1 of 3 exit tasks done" in page and "33%" in page
    assert "1/2 done" in page and "0/1 done" in page
    assert "Overdue · 10 Sep" in page and page.count("Overdue ·") == 1


def exit_page_queries(client, vendor):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(vendor.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_vendor_page_with_an_exit_costs_the_same_queries_whatever_its_size(client_for, manager, vendor_a):
    plan = ExitPlanFactory(vendor=vendor_a, started_by=manager)
    client = client_for(manager)
    counts = []
    for size in (2, 12):
        while plan.tasks.count() < size:
            task = ExitTaskFactory(plan=plan, assignee=manager)
            exit_task_update(task=task, by=manager, status=TaskStatus.DONE, comment="Done")
        counts.append(exit_page_queries(client, vendor_a))
    assert counts[0] == counts[1]


# The overdue alert

TODAY = date(2026, 10, 5)


def test_an_open_exit_task_is_overdue_from_the_day_after_its_due_date(vendor_a, manager, staff_a, qa):
    plan = ExitPlanFactory(vendor=vendor_a, started_by=manager)
    ExitTaskFactory(plan=plan, title="Vendor task", due_date=TODAY - timedelta(days=1))
    ExitTaskFactory(plan=plan, title="Not yet", due_date=TODAY)
    ExitTaskFactory(
        plan=plan, title="QA task", responsible=Responsible.QA, due_date=TODAY - timedelta(days=1)
    )
    ExitTaskFactory(plan=plan, title="Assigned", assignee=manager, due_date=TODAY - timedelta(days=2))
    done = ExitTaskFactory(plan=plan, title="Finished", due_date=TODAY - timedelta(days=1))
    exit_task_update(task=done, by=manager, status=TaskStatus.DONE)
    dues = {due.subject.title: due for due in due_exit_task_overdue(TODAY)}
    assert set(dues) == {"Vendor task", "QA task", "Assigned"}
    assert {title: list(due.recipients) for title, due in dues.items()} == {
        "Vendor task": [staff_a.pk],
        "QA task": [qa.pk],
        "Assigned": [manager.pk],
    }
    assert dues["Vendor task"].kind == EXIT_TASK_OVERDUE
    assert (
        dues["Vendor task"].title
        == "Acme Support: exit task “Vendor task” is 1 day overdue (due 4 October 2026)"
    )


def test_the_daily_job_sends_the_overdue_alert_once(vendor_a, manager, staff_a):
    plan = ExitPlanFactory(vendor=vendor_a, started_by=manager)
    task = ExitTaskFactory(plan=plan, due_date=TODAY - timedelta(days=1))
    run_on(TODAY)
    run_on(TODAY + timedelta(days=1))
    assert emails(EXIT_TASK_OVERDUE) == [(EXIT_TASK_OVERDUE, task.pk, task.due_date, staff_a.pk)]


# The demo


def test_the_demo_has_one_vendor_mid_exit_to_another_demo_vendor():
    call_command("seed_demo", "--today", "2026-11-15", verbosity=0)
    plan = ExitPlan.objects.select_related("vendor", "successor").get()
    assert (plan.vendor.slug, plan.vendor.status) == ("helios-tech-support", VendorStatus.OFFBOARDING)
    assert plan.successor.slug == "northwind-contact" and not plan.is_complete
    with time_machine.travel(datetime(2026, 11, 15, 9, 0), tick=False):
        assert plan.tasks.filter(status=TaskStatus.DONE).count() >= 2
        assert [task.title for task in plan.tasks.all() if task.is_overdue] == [
            "Run knowledge-transfer sessions with our team"
        ]
    call_command("seed_demo", "--today", "2026-11-15", verbosity=0)
    assert ExitTask.objects.count() == plan.tasks.count()


def test_exit_templates_are_edited_in_the_admin(client):
    admin = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:vendors_exittemplate_change", args=[default_template().pk])
    response = client.get(url)
    assert response.status_code == 200 and CERTIFICATE in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_file_an_exit_task_held_with_who_uploaded_it_and_when():
    before, after = [("vendors", "0006_default_exit_template")], [("vendors", "0007_exit_task_evidence_rows")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        users = old.get_model("auth", "User").objects
        manager, staff = users.create(username="old-manager"), users.create(username="old-staff")
        vendor = old.get_model("vendors", "Vendor").objects.create(name="Old Co", slug="old-co")
        plan = old.get_model("vendors", "ExitPlan").objects.create(
            vendor_id=vendor.pk, exit_date=EXIT_DATE, reason=REASON, started_by_id=manager.pk
        )
        fields = {"vendor_id": vendor.pk, "plan_id": plan.pk, "area": ExitArea.DATA_RETURN}
        fields.update(due_date=EXIT_DATE, responsible="vendor")
        tasks = old.get_model("vendors", "ExitTask").objects
        certificate = tasks.create(title="Certificate", evidence="exit/2026/b/signed.pdf", **fields)
        unlogged = tasks.create(title="Unlogged", evidence="exit/2026/c/handover.pdf", **fields)
        tasks.create(title="No file", **fields)
        # The old field was overwritten by each upload; its history kept each file (simple-history's
        # signals do not run on the migration's models, so the rows are written here).
        history = old.get_model("vendors", "HistoricalExitTask").objects
        day = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)
        for days, evidence, user in [
            (0, "", manager),
            (1, "exit/2026/a/draft.pdf", staff),
            (2, "exit/2026/b/signed.pdf", staff),
            (3, "exit/2026/b/signed.pdf", manager),
        ]:
            history.create(
                id=certificate.pk,
                title="Certificate",
                evidence=evidence,
                history_user_id=user.pk,
                history_date=day + timedelta(days=days),
                history_type="~",
                updated_at=day,
                status="todo",
                **fields,
            )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        rows = new.get_model("vendors", "ExitTaskEvidence").objects.order_by("task_id", "uploaded_at")
        assert [(r.task_id, r.file.name, r.uploaded_by_id) for r in rows] == [
            (certificate.pk, "exit/2026/a/draft.pdf", staff.pk),
            (certificate.pk, "exit/2026/b/signed.pdf", staff.pk),
            (unlogged.pk, "exit/2026/c/handover.pdf", manager.pk),
        ]
        assert [r.uploaded_at for r in rows][:2] == [day + timedelta(days=1), day + timedelta(days=2)]
        executor = MigrationExecutor(connection)
        executor.migrate(before)  # and back: each task holds its latest file again
        back = executor.loader.project_state(before).apps.get_model("vendors", "ExitTask").objects
        assert back.get(pk=certificate.pk).evidence.name == "exit/2026/b/signed.pdf"
    finally:
        call_command("migrate", verbosity=0)


def test_the_exit_reason_is_internal(client_for, plan, manager, staff_a):
    assert REASON in client_for(manager).get(plan.vendor.get_absolute_url()).content.decode()
    page = client_for(staff_a).get(plan.vendor.get_absolute_url()).content.decode()
    assert 'data-testid="exit"' in page and REASON not in page
    # The person include ends without a newline: "by Dana Lee." rather than "by Dana Lee ."
    assert f"by {manager.get_full_name() or manager.username}</dd>" in page

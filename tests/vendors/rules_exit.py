"""Who may open each exit URL. World: vendor A's exit has started, with one vendor-responsible task that
has a file attached (the final invoice's files are tested in test_exit). The manager starts exits;
project leads complete them; whoever is responsible updates a task (vendor A's staff theirs); staff of
vendor B get 404."""

from django.core.files.base import ContentFile

from bporeg.uploads import sample_bytes
from tests.access import MANAGER_ONLY, PROJECT_LEADS, VENDOR_A, Rule
from tests.vendors.exit_factories import ExitPlanFactory, ExitTaskFactory

# Updating vendor A's vendor-responsible task: its staff and the project leads may; QA and operations not.
EXIT_TASK_UPDATE = {**VENDOR_A, "manager": 302, "pm": 302, "qa": 403, "ops": 403, "staff_a": 302}
# Completing with the task still open is refused with a message: the lead is sent back to the vendor page.
EXIT_COMPLETE = {**PROJECT_LEADS, "manager": 302, "pm": 302}


def setup(world):
    world.exit_plan_a = ExitPlanFactory(vendor=world.vendor_a, started_by=world.manager)
    world.exit_task_a = ExitTaskFactory(plan=world.exit_plan_a)
    world.exit_file_a = world.exit_task_a.evidence.create(
        file=ContentFile(sample_bytes("text"), name="handover.txt"), uploaded_by=world.manager
    )


def slug_a(world):
    return {"slug": world.vendor_a.slug}


def task_a(world):
    return {"pk": world.exit_task_a.pk}


def file_a(world):
    return {"pk": world.exit_file_a.pk}


RULES = {
    "vendors:exit_start": Rule(MANAGER_ONLY, kwargs=slug_a),
    "vendors:exit_task_update": Rule(
        EXIT_TASK_UPDATE, kwargs=task_a, method="post", data=lambda world: {"status": "in_progress"}
    ),
    "vendors:exit_task_evidence": Rule(VENDOR_A, kwargs=file_a),
    "vendors:exit_complete": Rule(EXIT_COMPLETE, kwargs=slug_a, method="post"),
}

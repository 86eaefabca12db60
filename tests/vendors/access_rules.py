"""Who may open each vendors URL. The objects belong to vendor A; staff of vendor B must get 404."""

from datetime import date

from django.core.files.base import ContentFile

from bporeg.uploads import sample_bytes
from tests.access import INTERNAL_ONLY, MANAGER_ONLY, PROJECT_LEADS, STAFF_ONLY, VENDOR_A, Rule
from tests.factories import (
    CertificationFactory,
    ContactFactory,
    ContractFactory,
    OnboardingPlanFactory,
    OnboardingTaskFactory,
    TemplateActivityFactory,
    VendorFactory,
)
from tests.vendors import rules_exit
from vendors.models import TaskEvidence, VendorStatus

# A manager's POST succeeds and redirects; everyone else is turned away before anything changes.
MANAGER_POST = {**MANAGER_ONLY, "manager": 302}
LEAD_POST = {**PROJECT_LEADS, "manager": 302, "pm": 302}
# Updating a vendor-responsible task of vendor A: its staff and the project leads may, QA and operations not.
TASK_UPDATE = {**VENDOR_A, "manager": 302, "pm": 302, "qa": 403, "ops": 403, "staff_a": 302}


def setup(world):
    vendor = world.vendor_a
    world.contact_a = ContactFactory(vendor=vendor)
    world.contract_a = ContractFactory(vendor=vendor)
    world.contract_a.signed_document.save("msa.pdf", ContentFile(sample_bytes("pdf")))
    world.certification_a = CertificationFactory(vendor=vendor)
    world.certification_a.evidence.save("iso.pdf", ContentFile(sample_bytes("pdf")))
    world.activity = TemplateActivityFactory()
    world.plan_a = OnboardingPlanFactory(vendor=vendor, created_by=world.manager, go_live=date(2026, 6, 1))
    world.task_a = OnboardingTaskFactory(plan=world.plan_a)
    world.evidence_a = TaskEvidence(task=world.task_a, uploaded_by=world.staff_a)
    world.evidence_a.file.save("notes.txt", ContentFile(sample_bytes("text")))
    world.archived_vendor = VendorFactory(name="Zulu Archived", status=VendorStatus.ARCHIVED)
    rules_exit.setup(world)


def slug_a(world):
    return {"slug": world.vendor_a.slug}


def pk(name):
    return lambda world: {"pk": getattr(world, name).pk}


RULES = {
    "vendors:list": Rule(INTERNAL_ONLY),
    "vendors:detail": Rule(VENDOR_A, kwargs=slug_a),
    "vendors:create": Rule(MANAGER_ONLY),
    "vendors:edit": Rule(MANAGER_ONLY, kwargs=slug_a),
    "vendors:archive": Rule(MANAGER_POST, kwargs=slug_a, method="post"),
    "vendors:restore": Rule(
        MANAGER_POST, kwargs=lambda world: {"slug": world.archived_vendor.slug}, method="post"
    ),
    "vendors:my_onboarding": Rule(STAFF_ONLY),
    "vendors:contact_create": Rule(MANAGER_ONLY, kwargs=slug_a),
    "vendors:contact_edit": Rule(MANAGER_ONLY, kwargs=pk("contact_a")),
    "vendors:contact_archive": Rule(MANAGER_POST, kwargs=pk("contact_a"), method="post"),
    "vendors:contract_create": Rule(MANAGER_ONLY, kwargs=slug_a),
    "vendors:contract_edit": Rule(MANAGER_ONLY, kwargs=pk("contract_a")),
    "vendors:contract_archive": Rule(MANAGER_POST, kwargs=pk("contract_a"), method="post"),
    "vendors:contract_document": Rule(INTERNAL_ONLY, kwargs=pk("contract_a")),
    "vendors:certification_create": Rule(MANAGER_ONLY, kwargs=slug_a),
    "vendors:certification_edit": Rule(MANAGER_ONLY, kwargs=pk("certification_a")),
    "vendors:certification_archive": Rule(MANAGER_POST, kwargs=pk("certification_a"), method="post"),
    "vendors:certification_evidence": Rule(VENDOR_A, kwargs=pk("certification_a")),
    "vendors:template_list": Rule(PROJECT_LEADS),
    "vendors:template_create": Rule(PROJECT_LEADS),
    "vendors:template_detail": Rule(PROJECT_LEADS, kwargs=lambda world: {"pk": world.activity.template_id}),
    "vendors:template_edit": Rule(PROJECT_LEADS, kwargs=lambda world: {"pk": world.activity.template_id}),
    "vendors:activity_create": Rule(PROJECT_LEADS, kwargs=lambda world: {"pk": world.activity.template_id}),
    "vendors:activity_edit": Rule(PROJECT_LEADS, kwargs=pk("activity")),
    "vendors:activity_delete": Rule(LEAD_POST, kwargs=pk("activity"), method="post"),
    "vendors:onboarding_apply": Rule(PROJECT_LEADS, kwargs=slug_a),
    "vendors:onboarding_go_live": Rule(PROJECT_LEADS, kwargs=slug_a),
    "vendors:task_detail": Rule(VENDOR_A, kwargs=pk("task_a")),
    "vendors:task_update": Rule(
        TASK_UPDATE, kwargs=pk("task_a"), method="post", data=lambda world: {"status": "in_progress"}
    ),
    "vendors:task_edit": Rule(PROJECT_LEADS, kwargs=pk("task_a")),
    "vendors:evidence_download": Rule(VENDOR_A, kwargs=pk("evidence_a")),
    # A vendor's exit: its own block, in tests/vendors/rules_exit.py.
    **rules_exit.RULES,
}

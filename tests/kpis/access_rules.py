"""Who may open each KPI page and API endpoint. World objects belong to vendor A."""

from datetime import date
from decimal import Decimal

from kpis.services import Entry, stage_import
from tests.access import ANY_ROLE, INTERNAL_ONLY, MANAGER_ONLY, PROJECT_LEADS, REDIRECT_ALL, VENDOR_A, Rule
from tests.kpis.factories import SLATargetFactory, measure

API = {**ANY_ROLE, "anonymous": 401}
OWN_IMPORT = {**ANY_ROLE, "qa": 404, "ops": 404, "pm": 404, "staff_a": 404, "staff_b": 404}
OWN_IMPORT_POST = {**OWN_IMPORT, "manager": 302}
MANAGER_POST = {**MANAGER_ONLY, "manager": 302}


def setup(world):
    world.target = SLATargetFactory(sla__vendor=world.vendor_a)
    world.sla = world.target.sla
    measure(world.vendor_a, "csat", date(2025, 6, 1), 84)
    world.measurement_import = stage_import(
        uploaded_by=world.manager,
        file_name="october.csv",
        entries=[Entry(world.vendor_a.pk, world.target.kpi_id, date(2025, 6, 1), Decimal("86"))],
    )


def vendor_a(world):
    return {"slug": world.vendor_a.slug}


def own_import(world):
    return {"pk": world.measurement_import.pk}


RULES = {
    "kpis:portfolio": Rule(INTERNAL_ONLY),
    "kpis:my-scorecard": Rule({**REDIRECT_ALL, "outsider": 403}),
    "kpis:scorecard": Rule(VENDOR_A, kwargs=vendor_a),
    "kpis:scorecard-csv": Rule(VENDOR_A, kwargs=vendor_a),
    "kpis:scorecard-xlsx": Rule(VENDOR_A, kwargs=vendor_a),
    "kpis:trends": Rule(VENDOR_A, kwargs=vendor_a),
    # Vendor A's SLA does not let its staff submit values.
    "kpis:month-values": Rule({**VENDOR_A, "staff_a": 403}, kwargs=vendor_a),
    "kpis:import": Rule({**ANY_ROLE, "staff_a": 403, "staff_b": 403}),
    "kpis:import-preview": Rule(OWN_IMPORT, kwargs=own_import),
    "kpis:import-confirm": Rule(OWN_IMPORT_POST, kwargs=own_import, method="post"),
    "kpis:import-discard": Rule(OWN_IMPORT_POST, kwargs=own_import, method="post"),
    "kpis:kpi-list": Rule(INTERNAL_ONLY),
    "kpis:kpi-detail": Rule(INTERNAL_ONLY, kwargs=lambda world: {"code": "csat"}),
    "kpis:kpi-create": Rule(MANAGER_ONLY),
    "kpis:kpi-edit": Rule(MANAGER_ONLY, kwargs=lambda world: {"code": "csat"}),
    "kpis:sla-list": Rule(INTERNAL_ONLY),
    "kpis:sla-detail": Rule(INTERNAL_ONLY, kwargs=lambda world: {"pk": world.sla.pk}),
    "kpis:sla-create": Rule(PROJECT_LEADS),
    "kpis:sla-edit": Rule(PROJECT_LEADS, kwargs=lambda world: {"pk": world.sla.pk}),
    "kpis:target-add": Rule(PROJECT_LEADS, kwargs=lambda world: {"pk": world.sla.pk}),
    "kpis:target-change": Rule(PROJECT_LEADS, kwargs=lambda world: {"pk": world.target.pk}),
    "kpis:target-end": Rule(
        {**PROJECT_LEADS, "manager": 302, "pm": 302},
        kwargs=lambda world: {"pk": world.target.pk},
        method="post",
        data=lambda world: {"effective_to": "2026-01-01"},
    ),
    "kpis:api-token": Rule(ANY_ROLE),
    "api:schema": Rule(API),
    "api:vendor-list": Rule(API),
    "api:vendor-detail": Rule({**API, "staff_b": 404}, kwargs=lambda world: {"pk": world.vendor_a.pk}),
    "api:kpi-list": Rule(API),
    "api:kpi-detail": Rule(API, kwargs=lambda world: {"code": "csat"}),
    "api:measurement-list": Rule(API),
}

"""Factories for KPI targets and alert data used by the alert tests."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType

from alerts.models import Alert, Channel, DeliveryStatus
from kpis.models import KPI, SLA, SLATarget
from tests.factories import ContractFactory, VendorFactory
from vendors.models import Vendor


class KPIFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KPI
        django_get_or_create = ("code",)

    code = "csat"
    name = "Customer satisfaction (CSAT)"
    unit = "percent"
    direction = "higher"


class SLAFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SLA

    vendor = factory.SubFactory(VendorFactory)
    contract = factory.SubFactory(ContractFactory, vendor=factory.SelfAttribute("..vendor"))
    name = factory.Sequence(lambda n: f"SLA {n}")


class SLATargetFactory(factory.django.DjangoModelFactory):
    """CSAT: target 90, warning below 88, breach below 85."""

    class Meta:
        model = SLATarget

    sla = factory.SubFactory(SLAFactory)
    kpi = factory.SubFactory(KPIFactory)
    target = Decimal("90")
    warning_threshold = Decimal("88")
    breach_threshold = Decimal("85")
    effective_from = date(2025, 1, 1)


class InAppAlertFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alert

    kind = "contract_end"
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Vendor))
    object_id = factory.Sequence(lambda n: n + 1)
    due_on = date(2026, 3, 1)
    channel = Channel.IN_APP
    status = DeliveryStatus.SENT
    title = factory.Sequence(lambda n: f"Alert {n}")
    message = "Something is due."
    link = "/vendors/"

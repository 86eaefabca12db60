"""Factories for KPI targets and alert data used by the alert tests."""

from datetime import date
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType

from alerts.models import Alert, Channel, DeliveryStatus
from tests.kpis import factories as kpi_factories
from vendors.models import Vendor


class SLATargetFactory(kpi_factories.SLATargetFactory):
    """CSAT: target 90, warning below 88, breach below 85."""

    target = Decimal("90")
    warning_threshold = Decimal("88")
    breach_threshold = Decimal("85")


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

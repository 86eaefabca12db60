"""Factories for SLAs, targets and measurements. KPIs come from the shipped library (migration 0002)."""

from datetime import date
from decimal import Decimal

import factory

from kpis.library import install_standard_kpis
from kpis.models import KPI, SLA, Measurement, SLATarget
from tests.factories import ContractFactory, VendorFactory


def kpi(code):
    # Transactional (browser) tests flush the database, and with it the library from migration 0002.
    install_standard_kpis()
    return KPI.objects.get(code=code)


class SLAFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SLA

    vendor = factory.SubFactory(VendorFactory)
    contract = factory.SubFactory(ContractFactory, vendor=factory.SelfAttribute("..vendor"))
    name = factory.Sequence(lambda n: f"Service levels {n}")


class SLATargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SLATarget

    sla = factory.SubFactory(SLAFactory)
    kpi = factory.LazyFunction(lambda: kpi("csat"))
    target = Decimal("85")
    warning_threshold = Decimal("82")
    breach_threshold = Decimal("78")
    effective_from = date(2025, 1, 1)


def measure(vendor, code, period, value, volume=None):
    return Measurement.objects.create(
        vendor=vendor, kpi=kpi(code), period=period, value=Decimal(str(value)), volume=volume
    )

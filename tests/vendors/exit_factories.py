"""Factories for exits: a plan for a vendor and tasks of it, with sensible defaults."""

from datetime import date, timedelta

import factory

from tests.factories import UserFactory, VendorFactory
from vendors.models import ExitArea, ExitPlan, ExitTask, Responsible


class ExitPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitPlan

    vendor = factory.SubFactory(VendorFactory)
    exit_date = date(2026, 9, 30)
    reason = "The contract ends; the work moves to a new provider."
    started_by = factory.SubFactory(UserFactory)


class ExitTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExitTask

    plan = factory.SubFactory(ExitPlanFactory)
    vendor = factory.SelfAttribute("plan.vendor")
    area = ExitArea.DATA_RETURN
    title = factory.Sequence(lambda n: f"Exit task {n}")
    responsible = Responsible.VENDOR
    due_date = factory.LazyAttribute(lambda t: t.plan.exit_date - timedelta(days=7))

"""Factories for the test suite: small, valid objects with sensible defaults."""

from datetime import date

import factory
from django.contrib.auth import get_user_model

from accounts.models import Profile, Role
from vendors.models import Contract, Service, Vendor, VendorStatus

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory)
    role = Role.MANAGER


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = "customer-support"
    name = "Customer support"


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Vendor {n}")
    slug = factory.LazyAttribute(lambda v: v.name.lower().replace(" ", "-"))
    status = VendorStatus.ACTIVE
    time_zone = "Europe/Berlin"


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    vendor = factory.SubFactory(VendorFactory)
    reference = factory.Sequence(lambda n: f"MSA-{n:04d}")
    start_date = date(2025, 1, 1)
    end_date = date(2027, 1, 1)
    monthly_fee = 20000
    value = 480000


def make_user(username, role=None, vendor=None, **fields):
    user = UserFactory(username=username, **fields)
    if role is not None:
        ProfileFactory(user=user, role=role, vendor=vendor)
    return user


# Vendor records and onboarding (issue 3)
from datetime import timedelta  # noqa: E402

from vendors.models import (  # noqa: E402
    Certification,
    CertificationKind,
    Contact,
    ContactSide,
    OnboardingPlan,
    OnboardingTask,
    OnboardingTemplate,
    Phase,
    Responsible,
    TemplateActivity,
)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    vendor = factory.SubFactory(VendorFactory)
    side = ContactSide.VENDOR
    name = factory.Sequence(lambda n: f"Contact {n}")
    role = "Account manager"
    email = factory.LazyAttribute(lambda c: f"{c.name.lower().replace(' ', '.')}@vendor.example")


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    vendor = factory.SubFactory(VendorFactory)
    kind = CertificationKind.ISO_27001
    issued_on = date(2025, 1, 1)
    expires_on = date(2028, 1, 1)


class OnboardingTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnboardingTemplate

    name = factory.Sequence(lambda n: f"Template {n}")


class TemplateActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateActivity

    template = factory.SubFactory(OnboardingTemplateFactory)
    phase = Phase.PRE_ONBOARDING
    title = factory.Sequence(lambda n: f"Activity {n}")
    responsible = Responsible.VENDOR
    due_offset_days = -14


class OnboardingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnboardingPlan

    vendor = factory.SubFactory(VendorFactory)
    go_live = date(2026, 6, 1)
    created_by = factory.SubFactory(UserFactory)


class OnboardingTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnboardingTask

    plan = factory.SubFactory(OnboardingPlanFactory)
    vendor = factory.SelfAttribute("plan.vendor")
    phase = Phase.PRE_ONBOARDING
    title = factory.Sequence(lambda n: f"Task {n}")
    responsible = Responsible.VENDOR
    due_date = factory.LazyAttribute(lambda t: t.plan.go_live - timedelta(days=14))

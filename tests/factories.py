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

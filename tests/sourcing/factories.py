"""Factories for the selection tests: a selection with the default criteria, its candidates."""

from datetime import date

import factory

from sourcing.models import (
    Candidate,
    CandidateSource,
    Criterion,
    Selection,
    SelectionStatus,
    TemplateCriterion,
)
from tests.factories import ServiceFactory, UserFactory, VendorFactory
from vendors.models import VendorStatus


class SelectionFactory(factory.django.DjangoModelFactory):
    """An open selection whose criteria are a copy of the template (seven criteria, weights 100)."""

    class Meta:
        model = Selection
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"rfp-{n:03d}")
    title = factory.Sequence(lambda n: f"Customer support RFP {n}")
    service = factory.SubFactory(ServiceFactory)
    scope = "Tier-1 email and chat support in English and German."
    monthly_volume = 12000
    languages = "English, German"
    time_zones = "Europe/Berlin"
    questions_due = date(2026, 11, 20)
    proposals_due = date(2026, 12, 10)
    decision_date = date(2027, 1, 15)
    owner = factory.SubFactory(UserFactory)
    status = SelectionStatus.OPEN

    @factory.post_generation
    def criteria(selection, create, extracted, **kwargs):
        if create:
            Criterion.objects.bulk_create(
                Criterion.from_template(selection, template) for template in TemplateCriterion.objects.all()
            )

    @factory.post_generation
    def evaluators(selection, create, extracted, **kwargs):
        if create and extracted:
            selection.evaluators.set(extracted)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    selection = factory.SubFactory(SelectionFactory)
    vendor = factory.SubFactory(VendorFactory, status=VendorStatus.PROSPECT)
    source = CandidateSource.RFP
    industry_experience = "Eight years of retail support."
    unit_price = 3200
    quoted_monthly_fee = 38400
    setup_fee = 15000

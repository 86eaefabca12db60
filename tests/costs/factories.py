"""Factories for the cost tests: a contract's price terms, invoices and their lines."""

from datetime import date
from decimal import Decimal

import factory

from costs.models import ChargeKind, Invoice, InvoiceLine, PriceTerm
from tests.factories import ContractFactory, UserFactory


class PriceTermFactory(factory.django.DjangoModelFactory):
    """A fixed monthly fee of 20,000 from the contract's start."""

    class Meta:
        model = PriceTerm

    contract = factory.SubFactory(ContractFactory)
    kind = ChargeKind.FIXED_FEE
    category = "platform-fee"
    label = "Monthly platform fee"
    unit_price = Decimal("20000")
    effective_from = factory.LazyAttribute(lambda term: term.contract.start_date)


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    contract = factory.SubFactory(ContractFactory)
    vendor = factory.LazyAttribute(lambda invoice: invoice.contract.vendor)
    number = factory.Sequence(lambda n: f"INV-{n:05d}")
    period = date(2026, 10, 1)
    issued_on = date(2026, 11, 3)
    currency = factory.LazyAttribute(lambda invoice: invoice.contract.currency)
    total = Decimal("20000")
    entered_by = factory.SubFactory(UserFactory)


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    category = "platform-fee"
    description = "Monthly platform fee"
    quantity = Decimal("1")
    unit_price = Decimal("20000")
    amount = Decimal("20000")

"""The pricing engine: what each kind of price term makes the vendor owe for a month, the service
credit due, and the pricing and exchange-rate pages."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from costs.models import ExchangeRate
from costs.pricing import contract_month_bill, exchange_rate_add, graduated
from costs.pricing_forms import parse_tiers
from tests.costs.pricing_builders import (
    NOV,
    OCT,
    bonus,
    csat_sla,
    fixed_fee,
    measured,
    one_off,
    per_fte,
    per_unit,
)
from tests.factories import ContractFactory
from tests.kpis.factories import kpi

pytestmark = pytest.mark.django_db


def amounts(bill):
    return {charge.category: charge.amount for charge in bill.charges}


def test_fixed_fee_every_month_it_is_in_force():
    contract = ContractFactory()
    fixed_fee(contract, "20000")
    bill = contract_month_bill(contract, OCT)
    assert amounts(bill) == {"platform-fee": Decimal("20000.00")}
    assert bill.total == Decimal("20000.00")


def test_per_fte_is_rate_times_seats():
    contract = ContractFactory()
    per_fte(contract, "12", "3500.50")
    (charge,) = contract_month_bill(contract, OCT).charges
    assert (charge.quantity, charge.unit_price, charge.amount) == (
        Decimal("12"),
        Decimal("3500.50"),
        Decimal("42006.00"),
    )


def test_per_unit_is_the_rate_times_the_measured_volume():
    contract = ContractFactory()
    per_unit(contract, "0.4567")
    measured(contract, "aht", 300, volume=12000)
    (charge,) = contract_month_bill(contract, OCT).charges
    assert (charge.quantity, charge.amount) == (Decimal(12000), Decimal("5480.40"))


def test_per_unit_tiers_are_graduated_over_the_months_volume():
    """Weekly measurements add up to the month: 60,000 contacts = 10,000 × 1.00 + 40,000 × 0.80 +
    10,000 × 0.50."""
    contract = ContractFactory()
    per_unit(contract, "1.00", tiers=[(10000, "0.80"), (50000, "0.50")])
    measured(contract, "aht", 300, volume=30000, month=OCT)
    measured(contract, "aht", 310, volume=30000, month=date(2026, 10, 8))
    (charge,) = contract_month_bill(contract, OCT).charges
    assert (charge.quantity, charge.amount) == (Decimal(60000), Decimal("47000.00"))
    assert charge.price_of(Decimal(10500)) == Decimal("10400.00")


def test_rounded_to_cents_once():
    """3 × 0.3333 is 0.9999, i.e. 1.00; rounding each unit first would make it 0.99."""
    contract = ContractFactory()
    per_unit(contract, "0.3333")
    measured(contract, "aht", 300, volume=3)
    assert amounts(contract_month_bill(contract, OCT)) == {"contacts": Decimal("1.00")}


def test_no_volume_measured_is_nothing_to_charge():
    contract = ContractFactory()
    per_unit(contract, "1.00")
    assert amounts(contract_month_bill(contract, OCT)) == {"contacts": Decimal("0.00")}


def test_a_tier_from_zero_replaces_the_terms_own_price():
    assert graduated(150, Decimal("9"), [(0, Decimal("1.50")), (100, Decimal("1.00"))]) == Decimal("200.00")


def test_one_off_only_in_its_month():
    contract = ContractFactory()
    one_off(contract, "5000", OCT)
    assert amounts(contract_month_bill(contract, OCT)) == {"setup": Decimal("5000.00")}
    assert amounts(contract_month_bill(contract, NOV)) == {}


@pytest.mark.parametrize(("csat", "earned"), [(90, True), (85, False), (80, False)])
def test_bonus_only_when_the_kpi_beats_its_target(csat, earned):
    contract = ContractFactory()
    csat_sla(contract)
    bonus(contract, "1500")
    measured(contract, "csat", csat, volume=400)
    assert amounts(contract_month_bill(contract, OCT)) == (
        {"csat-bonus": Decimal("1500.00")} if earned else {}
    )


def test_bonus_without_a_measurement_is_not_earned():
    contract = ContractFactory()
    csat_sla(contract)
    bonus(contract, "1500")
    assert contract_month_bill(contract, OCT).charges == []


def test_service_credit_from_the_contracts_slas():
    """CSAT 70 breaches (under 78): 2 % of the 20,000 monthly fee. A breach under another contract of
    the same vendor is that contract's credit, not this one's."""
    contract = ContractFactory(monthly_fee=20000)
    fixed_fee(contract, "20000")
    csat_sla(contract)
    other = ContractFactory(vendor=contract.vendor, monthly_fee=50000)
    csat_sla(other)
    measured(contract, "csat", 70, volume=400)
    bill = contract_month_bill(contract, OCT)
    assert bill.service_credit == Decimal("400.00")
    assert bill.total == Decimal("19600.00")
    assert contract_month_bill(other, OCT).service_credit == Decimal("1000.00")


def test_service_credits_are_capped_per_sla():
    contract = ContractFactory(monthly_fee=20000)
    sla = csat_sla(contract, service_credit_cap_percent=Decimal("1"))
    assert sla.service_credit_cap_percent == 1
    measured(contract, "csat", 70, volume=400)
    assert contract_month_bill(contract, OCT).service_credit == Decimal("200.00")


def test_a_term_not_in_force_that_month_charges_nothing():
    contract = ContractFactory()
    fixed_fee(contract, "20000", effective_from=date(2025, 1, 1), effective_to=OCT)
    fixed_fee(contract, "21000", category="platform-fee", effective_from=OCT)
    fixed_fee(contract, "999", category="later", effective_from=NOV)
    assert amounts(contract_month_bill(contract, date(2026, 9, 1))) == {"platform-fee": Decimal("20000.00")}
    assert amounts(contract_month_bill(contract, OCT)) == {"platform-fee": Decimal("21000.00")}


def test_parse_tiers():
    assert parse_tiers("50000: 0.50\n10000: 0.80;") == [(10000, Decimal("0.80")), (50000, Decimal("0.50"))]
    with pytest.raises(ValidationError, match="is not"):
        parse_tiers("ten thousand: 1")
    with pytest.raises(ValidationError, match="same number"):
        parse_tiers("100: 1; 100: 2")


# The pricing page -------------------------------------------------------------------------------------


def formset_data(contract, rows):
    data = {
        "price_terms-TOTAL_FORMS": str(len(rows)),
        "price_terms-INITIAL_FORMS": "0",
        "price_terms-MIN_NUM_FORMS": "0",
        "price_terms-MAX_NUM_FORMS": "40",
    }
    for index, row in enumerate(rows):
        data.update({f"price_terms-{index}-{name}": value for name, value in row.items()})
    return data


PER_UNIT_ROW = {
    "kind": "per_unit",
    "category": "contacts",
    "label": "Contacts handled",
    "unit_price": "1.00",
    "effective_from": "2026-01-01",
    "tiers": "10000: 0.80; 50000: 0.50",
    "quantity": "12",  # not a per-unit field: dropped
}


@time_machine.travel(date(2026, 11, 15), tick=False)
def test_manager_saves_terms_with_tiers(client_for, manager):
    contract = ContractFactory()
    url = reverse("costs:pricing", kwargs={"pk": contract.pk})
    row = {**PER_UNIT_ROW, "volume_kpi": str(kpi("aht").pk)}
    response = client_for(manager).post(url, formset_data(contract, [row]))
    assert response.status_code == 302
    term = contract.price_terms.get()
    assert term.quantity is None
    assert [(t.from_units, t.unit_price) for t in term.tiers.all()] == [
        (10000, Decimal("0.80")),
        (50000, Decimal("0.50")),
    ]
    page = client_for(manager).get(url, {"period": "2026-10"})
    assert "10000: 0.8; 50000: 0.5" in page.content.decode()
    assert contract.vendor.get_absolute_url() in page.content.decode()


def test_kind_specific_fields_are_required_with_a_clear_error(client_for, manager):
    contract = ContractFactory()
    url = reverse("costs:pricing", kwargs={"pk": contract.pk})
    rows = [PER_UNIT_ROW, {**PER_UNIT_ROW, "kind": "per_fte", "category": "agent-seat", "quantity": ""}]
    response = client_for(manager).post(url, formset_data(contract, rows))
    assert response.status_code == 200
    text = response.content.decode()
    assert "A per-unit price needs the KPI whose measured volume counts the units." in text
    assert "A per-FTE price needs the number of seats." in text
    assert not contract.price_terms.exists()


def test_two_terms_for_one_category_at_once_are_refused(client_for, manager):
    contract = ContractFactory()
    row = {
        "kind": "fixed_fee",
        "category": "platform-fee",
        "label": "Fee",
        "unit_price": "1",
        "effective_from": "2026-01-01",
    }
    response = client_for(manager).post(
        reverse("costs:pricing", kwargs={"pk": contract.pk}), formset_data(contract, [row, row])
    )
    assert "Two terms price &quot;platform-fee&quot; at the same time" in response.content.decode()


def test_bad_tiers_are_named(client_for, manager):
    contract = ContractFactory()
    row = {**PER_UNIT_ROW, "volume_kpi": str(kpi("aht").pk), "tiers": "lots: 1"}
    response = client_for(manager).post(
        reverse("costs:pricing", kwargs={"pk": contract.pk}), formset_data(contract, [row])
    )
    assert "&quot;lots: 1&quot; is not" in response.content.decode()


# Exchange rates ---------------------------------------------------------------------------------------


def test_manager_adds_a_dated_rate(client_for, manager):
    client = client_for(manager)
    response = client.post(
        reverse("costs:rates"), {"currency": "usd", "valid_from": "2026-10-01", "rate": "0.92"}
    )
    assert response.status_code == 302
    rate = ExchangeRate.objects.get()
    assert (rate.currency, rate.rate, rate.entered_by) == ("USD", Decimal("0.92"), manager)
    assert "USD" in client.get(reverse("costs:rates")).content.decode()


def test_the_same_day_twice_and_the_company_currency_are_refused(client_for, manager, settings):
    client = client_for(manager)
    client.post(reverse("costs:rates"), {"currency": "USD", "valid_from": "2026-10-01", "rate": "0.92"})
    again = client.post(
        reverse("costs:rates"), {"currency": "USD", "valid_from": "2026-10-01", "rate": "0.95"}
    )
    assert again.status_code == 200 and ExchangeRate.objects.count() == 1
    own = client.post(
        reverse("costs:rates"),
        {"currency": settings.COMPANY_CURRENCY, "valid_from": "2026-10-01", "rate": "1"},
    )
    assert "the company&#x27;s own currency" in own.content.decode()


def test_only_a_manager_may_add_a_rate(qa):
    with pytest.raises(PermissionDenied):
        exchange_rate_add(currency="USD", valid_from=OCT, rate=Decimal("0.9"), by=qa)

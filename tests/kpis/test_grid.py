"""The portfolio grid a manager scans: sorted by the column clicked, filtered, paged, with totals of the
whole filtered portfolio. Expected orders come from each vendor's own scorecard (the Python rules)."""

import re
from decimal import Decimal
from html import unescape

import pytest
from django.http import QueryDict
from django.urls import reverse

from kpis.selectors import vendor_scorecard
from tests.kpis.grid_portfolio import OCT, graded_vendor
from vendors.models import Service, Vendor, VendorStatus

pytestmark = pytest.mark.django_db
URL = reverse("kpis:portfolio")


@pytest.fixture
def portfolio():
    graded_vendor("Alpha", service="customer-support", csat=90, aht=280, fcr=80)
    graded_vendor("Bravo", service="customer-support", csat=70, aht=400, fcr=80)
    graded_vendor("Charlie", status=VendorStatus.ON_WATCH, service="back-office", csat=80, aht=330, fcr=71)
    graded_vendor("Delta")
    graded_vendor("Echo", csat=90, aht=280, fcr=80)
    graded_vendor("Foxtrot", csat=60)
    graded_vendor("Zulu", status=VendorStatus.ARCHIVED, csat=10)


def shown(client, **params):
    response = client.get(URL, {"period": "2025-10", **params})
    assert response.status_code == 200
    return [card.vendor.name for card, _ in response.context["grid"]]


def figure(card, key):
    if key == "vendor":
        return card.vendor.name
    if key.startswith("kpi-"):
        return next(row.actual for row in card.rows if row.kpi.code == key.removeprefix("kpi-"))
    return {"score": card.score, "adherence": card.adherence, "credits": card.service_credits}[key]


def expected(names, key, descending):
    """Empty values last either way; equal values by name."""
    cards = [vendor_scorecard(Vendor.objects.get(name=name), OCT) for name in names]
    present = [card for card in cards if figure(card, key) is not None]
    present.sort(key=lambda card: card.vendor.name)
    present.sort(key=lambda card: figure(card, key), reverse=descending)
    missing = sorted(card.vendor.name for card in cards if figure(card, key) is None)
    return [card.vendor.name for card in present] + missing


CURRENT = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]


def test_worst_score_first_by_default_and_archived_vendors_left_out(portfolio, client_for, manager):
    assert shown(client_for(manager)) == ["Foxtrot", "Bravo", "Charlie", "Alpha", "Echo", "Delta"]


@pytest.mark.parametrize("key", ["vendor", "score", "adherence", "credits", "kpi-csat", "kpi-aht", "kpi-fcr"])
@pytest.mark.parametrize("descending", [False, True])
def test_each_column_sorts_both_ways(portfolio, client_for, manager, key, descending):
    sort = f"-{key}" if descending else key
    assert shown(client_for(manager), sort=sort) == expected(CURRENT, key, descending)


def test_clicking_the_sorted_column_reverses_it_and_keeps_the_filters(portfolio, client_for, manager):
    client = client_for(manager)
    html = client.get(URL, {"period": "2025-10", "breached": "on", "sort": "kpi-csat"}).content.decode()
    header = re.search(r'aria-sort="ascending"><a class="sort-link" href="\?([^"]+)"', html)
    assert header, "the sorted column says so"
    query = QueryDict(unescape(header.group(1)))
    assert query.dict() == {"period": "2025-10", "breached": "on", "sort": "-kpi-csat"}
    assert shown(client, **query.dict()) == ["Bravo", "Foxtrot"]


@pytest.mark.parametrize(
    ("params", "names"),
    [
        ({"service": "customer-support"}, ["Bravo", "Alpha"]),
        ({"status": VendorStatus.ON_WATCH}, ["Charlie"]),
        ({"breached": "on"}, ["Foxtrot", "Bravo"]),
        ({"q": "ech"}, ["Echo"]),
        ({"breached": "on", "service": "customer-support"}, ["Bravo"]),
    ],
)
def test_each_filter(portfolio, client_for, manager, params, names):
    if "service" in params:
        params = {**params, "service": Service.objects.get(code=params["service"]).pk}
    assert shown(client_for(manager), **params) == names


def test_archived_vendors_are_not_offered_nor_shown(portfolio, client_for, manager):
    response = client_for(manager).get(URL, {"period": "2025-10", "status": VendorStatus.ARCHIVED})
    assert "status" in response.context["filter"].errors
    assert "Zulu" not in [card.vendor.name for card, _ in response.context["grid"]]


def test_totals_are_of_the_whole_filtered_portfolio(portfolio, client_for, manager):
    client = client_for(manager)
    everyone = client.get(URL, {"period": "2025-10"}).context["portfolio"]
    assert (everyone.vendors, everyone.with_breaches) == (6, 2)
    # Bravo breaches CSAT and AHT (2 × 400), Foxtrot CSAT (400).
    assert everyone.credits_due == Decimal(1200)
    assert everyone.credits_due == sum(
        vendor_scorecard(Vendor.objects.get(name=name), OCT).service_credits for name in CURRENT
    )
    on_watch = client.get(URL, {"period": "2025-10", "status": VendorStatus.ON_WATCH}).context["portfolio"]
    assert (on_watch.vendors, on_watch.with_breaches, on_watch.credits_due) == (1, 0, 0)


@pytest.fixture
def breached_portfolio():
    """30 vendors breaching CSAT (40 to 69), 3 on target: two pages of 25 when breached only."""
    for number in range(30):
        graded_vendor(f"Vendor {number:02d}", csat=40 + number, aht=280, fcr=80)
    for name in ("Steady A", "Steady B", "Steady C"):
        graded_vendor(name, csat=90, aht=280, fcr=80)


def test_paging_keeps_the_filters_and_the_sort_and_totals_cover_every_page(
    breached_portfolio, client_for, manager
):
    client = client_for(manager)
    first = client.get(URL, {"period": "2025-10", "breached": "on", "sort": "-kpi-csat"})
    assert [card.vendor.name for card, _ in first.context["grid"]] == [
        f"Vendor {number:02d}" for number in range(29, 4, -1)
    ]
    next_link = re.search(r'href="\?([^"]*page=2)">Next', first.content.decode())
    assert next_link, "a second page"
    second = client.get(f"{URL}?{unescape(next_link.group(1))}")
    assert [card.vendor.name for card, _ in second.context["grid"]] == [
        f"Vendor {number:02d}" for number in range(4, -1, -1)
    ]
    totals = second.context["portfolio"]
    assert (totals.vendors, totals.with_breaches, totals.credits_due) == (30, 30, Decimal(12000))


def test_the_columns_are_the_kpis_in_force_and_rows_show_their_values(portfolio, client_for, manager):
    response = client_for(manager).get(URL, {"period": "2025-10", "q": "Bravo"})
    assert [kpi.code for kpi, _ in response.context["columns"]] == ["aht", "csat", "fcr"]
    html = response.content.decode()
    assert 'class="cell cell-breached" title="Customer satisfaction (CSAT): 70.0% (target 85.0%)"' in html
    assert 'class="cell cell-met" title="First call resolution: 80.0% (target 75.0%)"' in html


def test_unreadable_sort_and_page_fall_back_to_the_default(portfolio, client_for, manager):
    assert shown(client_for(manager), sort="-password", page="x") == shown(client_for(manager))


def test_vendor_staff_cannot_open_the_grid(portfolio, client_for, staff_a):
    assert client_for(staff_a).get(URL).status_code == 403

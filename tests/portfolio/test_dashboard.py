"""The dashboard: home page by role, worst first, sorting and filtering, and a fixed number of queries."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from kpis.models import Measurement
from portfolio.filters import SORTS
from portfolio.models import PortfolioSnapshot, VendorHealth
from portfolio.services import refresh_vendor_health
from tests.factories import ServiceFactory, VendorFactory, make_user
from tests.portfolio.builders import PERIOD, TODAY, on_target, sla_for
from tests.reviews.factories import RiskFactory
from vendors.models import Service

pytestmark = pytest.mark.django_db
# session, user, profile, snapshot (charts, totals, heat map and the manager's value tile), page,
# attention, owner and service choices. A filter that leaves vendors out adds the count of the rows it keeps.
DASHBOARD_QUERIES = 8
FILTERED_QUERIES = DASHBOARD_QUERIES + 1


def names(response):
    return [row.vendor.name for row in response.context["page"]]


@pytest.fixture
def portfolio(manager):
    """Three vendors: one breached its SLA, one is on target, one has no SLA yet."""
    other_owner = make_user("lars", Role.MANAGER)
    support = ServiceFactory()
    breached = VendorFactory(name="Bravo Breach", owner=manager)
    breached.services.add(support)
    steady = VendorFactory(name="Alpha Steady", owner=other_owner, status="on_watch")
    new = VendorFactory(name="Charlie New", owner=manager, status="prospect")
    for vendor in (breached, steady):
        sla_for(vendor)
        on_target(vendor)
    Measurement.objects.filter(vendor=breached, kpi__code="csat", period=PERIOD).update(value=70)
    RiskFactory(vendor=steady, owner=manager, likelihood=2, impact=3)
    refresh_vendor_health(today=TODAY)
    return {"breached": breached, "steady": steady, "new": new}


@pytest.mark.parametrize(
    ("persona", "target"),
    [("manager", "/portfolio/"), ("qa", "/portfolio/"), ("staff_a", "/vendors/acme-support/")],
)
def test_home_sends_each_role_to_its_own_page(client_for, request, persona, target):
    response = client_for(request.getfixturevalue(persona)).get("/")
    assert response.status_code == 302
    assert response.url == target


def test_home_without_a_role_says_so(client_for, outsider):
    assert client_for(outsider).get("/").status_code == 403


def test_worst_health_comes_first_and_the_breach_is_red(client_for, manager, portfolio):
    response = client_for(manager).get(reverse("portfolio:dashboard"))
    assert names(response)[0] == "Bravo Breach"
    first = response.context["page"][0]
    assert first.health == "red"
    assert [flag["code"] for flag in first.flags][0] == "sla_breach"
    assert b"as of" in response.content


@pytest.mark.parametrize("key", list(SORTS))
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_column_sorts_both_ways(client_for, manager, portfolio, key, direction):
    response = client_for(manager).get(reverse("portfolio:dashboard"), {"sort": f"{direction}{key}"})
    assert response.status_code == 200
    assert sorted(names(response)) == ["Alpha Steady", "Bravo Breach", "Charlie New"]


def test_sorting_by_name_and_by_top_risk_puts_empty_values_last(client_for, manager, portfolio):
    url = reverse("portfolio:dashboard")
    assert names(client_for(manager).get(url, {"sort": "vendor"}))[0] == "Alpha Steady"
    assert names(client_for(manager).get(url, {"sort": "-vendor"}))[0] == "Charlie New"
    by_risk = names(client_for(manager).get(url, {"sort": "-risk"}))
    assert by_risk[0] == "Alpha Steady"
    assert names(client_for(manager).get(url, {"sort": "risk"}))[0] == "Alpha Steady"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"health": "red"}, ["Bravo Breach"]),
        ({"status": "on_watch"}, ["Alpha Steady"]),
        ({"owner": "lars"}, ["Alpha Steady"]),
        ({"service": "support"}, ["Bravo Breach"]),
        ({"flag": "sla_breach"}, ["Bravo Breach"]),
        ({"q": "charl"}, ["Charlie New"]),
    ],
)
def test_filters(client_for, manager, portfolio, query, expected):
    if "owner" in query:
        query = {"owner": get_user_model().objects.get(username=query["owner"]).pk}
    if "service" in query:
        query = {"service": Service.objects.get().pk}
    assert names(client_for(manager).get(reverse("portfolio:dashboard"), query)) == expected


def test_an_archived_vendor_leaves_the_dashboard_on_the_next_refresh(client_for, manager, portfolio):
    portfolio["steady"].status = "archived"
    portfolio["steady"].save()
    refresh_vendor_health(today=TODAY)
    assert not VendorHealth.objects.filter(vendor=portfolio["steady"]).exists()
    response = client_for(manager).get(reverse("portfolio:dashboard"))
    assert "Alpha Steady" not in names(response)
    assert _tiles(response)["vendors"] == response.context["page"].paginator.count == 2


def test_the_vendor_health_page_lists_every_flag_with_its_evidence(client_for, manager, portfolio):
    vendor = portfolio["breached"]
    response = client_for(manager).get(reverse("portfolio:vendor", kwargs={"slug": vendor.slug}))
    assert b"SLA breach" in response.content
    assert f"/kpis/vendors/{vendor.slug}/?period=2026-10".encode() in response.content
    assert b"loses points for each red flag" in response.content


def test_refresh_now_recomputes_every_vendor(client_for, manager, portfolio):
    VendorHealth.objects.all().delete()
    response = client_for(manager).post(reverse("portfolio:refresh"), follow=True)
    assert VendorHealth.objects.count() == 3
    assert b"Health refreshed for 3 vendors." in response.content


def _grow(count, manager):
    for number in range(count):
        vendor = VendorFactory(name=f"Grown {number:03d}", owner=manager)
        sla_for(vendor)
        on_target(vendor, months=2)
        RiskFactory(vendor=vendor, owner=manager, likelihood=4, impact=4)
    refresh_vendor_health(today=TODAY)


@pytest.mark.parametrize("count", [2, 30])
@pytest.mark.parametrize(
    ("query", "queries"),
    [
        ({}, DASHBOARD_QUERIES),
        ({"sort": "-score", "page": "1"}, DASHBOARD_QUERIES),
        ({"q": "grown"}, FILTERED_QUERIES),
    ],
)
def test_the_dashboard_costs_the_same_queries_at_any_size(
    client_for, manager, django_assert_num_queries, count, query, queries
):
    _grow(count, manager)
    client = client_for(manager)
    with django_assert_num_queries(queries):
        response = client.get(reverse("portfolio:dashboard"), query)
    assert len(response.context["page"]) == min(count, 25)
    assert response.context["page"].paginator.count == count


def _tiles(response):
    totals = response.context["totals"]
    return {name: totals[name] for name in ("vendors", "red", "amber", "green", "flags", "overdue")}


def test_the_tiles_count_the_portfolio_as_of_the_last_refresh(client_for, manager, portfolio):
    url = reverse("portfolio:dashboard")
    response = client_for(manager).get(url)
    rows = VendorHealth.objects.all()
    assert _tiles(response) == {
        "vendors": 3,
        "red": rows.filter(health="red").count(),
        "amber": rows.filter(health="amber").count(),
        "green": rows.filter(health="green").count(),
        "flags": sum(row.flag_count for row in rows),
        "overdue": sum(row.overdue_total for row in rows),
    }
    assert _tiles(response)["red"] == 1
    snapshot = PortfolioSnapshot.objects.get()
    assert (
        f"as of {snapshot.refreshed_at.astimezone(timezone.get_current_timezone()):%-d %b %Y, %H:%M}".encode()
        in (response.content)
    )
    # A second breached vendor counts once the refresh has run, not before.
    later = VendorFactory(name="Delta Late", owner=manager)
    sla_for(later)
    on_target(later)
    Measurement.objects.filter(vendor=later, kpi__code="csat", period=PERIOD).update(value=70)
    assert _tiles(client_for(manager).get(url))["red"] == 1
    refresh_vendor_health(today=TODAY)
    tiles = _tiles(client_for(manager).get(url))
    assert (tiles["vendors"], tiles["red"]) == (4, 2)


def test_the_heat_map_counts_the_live_risks_as_of_the_last_refresh(client_for, manager, portfolio):
    def cell(likelihood, impact):
        grid = client_for(manager).get(reverse("portfolio:dashboard")).context["grid"]
        row = next(row for row in grid if row["impact"] == impact)
        return row["cells"][likelihood - 1]["count"]

    assert cell(2, 3) == 1
    RiskFactory(vendor=portfolio["breached"], owner=manager, likelihood=2, impact=3)
    RiskFactory(vendor=portfolio["breached"], owner=manager, likelihood=2, impact=3, status="closed")
    assert cell(2, 3) == 1
    refresh_vendor_health(today=TODAY)
    assert cell(2, 3) == 2


def test_the_tiles_say_nothing_is_computed_before_the_first_refresh(client_for, manager):
    VendorFactory(name="Echo Early", owner=manager)
    response = client_for(manager).get(reverse("portfolio:dashboard"))
    assert _tiles(response) == {
        "vendors": 0,
        "red": 0,
        "amber": 0,
        "green": 0,
        "flags": None,
        "overdue": None,
    }
    assert b"not computed yet" in response.content


def test_pages_and_filters_count_the_rows_they_show(client_for, manager):
    _grow(27, manager)
    url = reverse("portfolio:dashboard")
    second = client_for(manager).get(url, {"page": 2})
    assert len(second.context["page"]) == 2
    assert b"Page 2 of 2" in second.content
    narrowed = client_for(manager).get(url, {"q": "grown 00"})
    assert names(narrowed) == [f"Grown {n:03d}" for n in range(10)]
    assert narrowed.context["page"].paginator.count == 10
    # A value that is not a choice is ignored: every vendor is listed, and counted.
    ignored = client_for(manager).get(url, {"health": "purple", "page": 2})
    assert ignored.context["page"].paginator.count == 27
    assert len(ignored.context["page"]) == 2


def test_the_row_shows_each_flag_as_an_icon_linking_to_its_evidence(client_for, manager, portfolio):
    response = client_for(manager).get(reverse("portfolio:dashboard"), {"q": "bravo"})
    row = response.content.decode().split('data-testid="row-bravo-breach"')[1].split("</tr>")[0]
    flag = response.context["page"][0].flags[0]
    assert f'href="{flag["links"][0]["url"]}" title="{flag["title"]}: ' in row.replace("&#x27;", "'")
    assert "bi-exclamation-octagon-fill" in row
    steady = client_for(manager).get(reverse("portfolio:dashboard"), {"q": "charlie"}).content.decode()
    assert '<td class="flag-icons"><span class="text-body-tertiary small">none</span></td>' in steady


def test_a_flag_explanation_is_escaped_in_its_icon(client_for, manager, portfolio):
    health = VendorHealth.objects.get(vendor=portfolio["breached"])
    health.flags[0]["explanation"] = '<script>alert("x")</script> & more'
    health.save()
    content = client_for(manager).get(reverse("portfolio:dashboard"), {"q": "bravo"}).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in content
    assert "<script>alert" not in content


def test_the_spend_chart_is_the_managers_qa_sees_no_money(client_for, manager, qa, portfolio):
    assert "Spend against budget" in client_for(manager).get("/portfolio/").content.decode()
    assert "Spend against budget" not in client_for(qa).get("/portfolio/").content.decode()

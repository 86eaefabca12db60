"""Reads of the stored health for the dashboard: a fixed number of queries whatever the portfolio size."""

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone

from bporeg.access import is_internal, is_manager
from costs.value import portfolio_value, value_tile
from portfolio.charts import sparkline
from portfolio.filters import DashboardFilter
from portfolio.models import HEALTH_RANK, Health, PortfolioSnapshot, VendorHealth
from reviews.models import Risk
from reviews.selectors import heat_counts
from vendors.models import Vendor, VendorStatus

SLUG_SLOT = "__slug__"
PAGE_SIZE = 25
ATTENTION = 5
TOTALS = ("vendors", "red", "amber", "green", "flags", "overdue", "open_issues", "overdue_issues")


# The columns the rows show: not the health's twelve-month history (the charts' source, read at
# refresh time) nor the vendor's and its owner's other columns. Each row costs less to load.
ROW_FIELDS = [
    *(field.name for field in VendorHealth._meta.concrete_fields if field.name != "history"),
    "vendor__name",
    "vendor__slug",
    "vendor__status",
    "vendor__owner__username",
    "vendor__owner__first_name",
    "vendor__owner__last_name",
]


def health_rows(user):
    """Every current vendor's health that `user` may see, worst first, with the vendor and its owner."""
    return (
        VendorHealth.objects.visible_to(user)
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor__owner")
        .only(*ROW_FIELDS)
        .annotate(health_rank=HEALTH_RANK)
        .order_by("health_rank", "health_score", "vendor__name")
    )


def _with_links(rows):
    """Each row's links to the vendor's health and KPI trends, reversed once per page, not once per
    row: they differ only by the vendor's slug, which reverse() would write into the path as it is."""
    health, trends = (reverse(name, args=[SLUG_SLOT]) for name in ("portfolio:vendor", "kpis:trends"))
    for row in rows:
        row.health_url = health.replace(SLUG_SLOT, row.vendor.slug)
        row.trends_url = trends.replace(SLUG_SLOT, row.vendor.slug)
    return rows


def _with_sparklines(rows):
    for row in rows:
        row.sparkline = sparkline(row.trend)
    return rows


def _counted(rows):
    return rows.order_by().aggregate(
        vendors=Count("pk"),
        red=Count("pk", filter=Q(health=Health.RED)),
        amber=Count("pk", filter=Q(health=Health.AMBER)),
        green=Count("pk", filter=Q(health=Health.GREEN)),
        flags=Sum("flag_count"),
        overdue=Sum("overdue_total"),
        open_issues=Sum("open_issues"),
        overdue_issues=Sum("overdue_issues"),
    )


def _value_tile(manager, snapshot):
    """From the last refresh; computed now only before the first one."""
    if snapshot is not None and snapshot.value is not None:
        return snapshot.value
    vendors = Vendor.objects.visible_to(manager)
    return value_tile(portfolio_value(vendors=vendors, today=timezone.localdate()))


def dashboard(request):
    rows = health_rows(request.user)
    snapshot = PortfolioSnapshot.objects.filter(pk=1).first()
    # The refresh counted every current vendor and live risk: the rows of anyone who sees the whole
    # portfolio. Anyone else's totals and heat map are counted over their own rows, now.
    whole_portfolio = snapshot is not None and is_internal(request.user)
    totals = {name: getattr(snapshot, name) for name in TOTALS} if whole_portfolio else _counted(rows)
    row_filter = DashboardFilter(request.GET, queryset=rows)
    paginator = Paginator(row_filter.qs, PAGE_SIZE)
    if whole_portfolio and not row_filter.narrows():
        paginator.count = totals["vendors"]
    page = paginator.get_page(request.GET.get("page"))
    _with_links(_with_sparklines(page.object_list))
    return {
        "filter": row_filter,
        "page": page,
        "totals": totals,
        "issues_url": reverse("relationship:issue_list"),
        "attention": _with_links(list(rows.filter(flag_count__gt=0)[:ATTENTION])),
        "snapshot": snapshot,
        "risk_counts": snapshot.risks
        if whole_portfolio
        else heat_counts(Risk.objects.visible_to(request.user)),
        "period": page.object_list[0].period if page.object_list else None,
        # Money is the manager's: QA sees no costs (and the dashboard spends no queries on them).
        "value": _value_tile(request.user, snapshot) if is_manager(request.user) else None,
    }

"""Reads of the stored health for the dashboard: a fixed number of queries whatever the portfolio size."""

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum

from portfolio.charts import sparkline
from portfolio.filters import HEALTH_RANK, DashboardFilter
from portfolio.models import Health, PortfolioSnapshot, VendorHealth
from vendors.models import VendorStatus

PAGE_SIZE = 25
ATTENTION = 5


def health_rows(user):
    """Every current vendor's health that `user` may see, worst first, with the vendor and its owner."""
    return (
        VendorHealth.objects.visible_to(user)
        .exclude(vendor__status=VendorStatus.ARCHIVED)
        .select_related("vendor__owner")
        .annotate(health_rank=HEALTH_RANK)
        .order_by("health_rank", "health_score", "vendor__name")
    )


def _with_sparklines(rows):
    for row in rows:
        row.sparkline = sparkline(row.trend)
    return rows


def dashboard(request):
    rows = health_rows(request.user)
    row_filter = DashboardFilter(request.GET, queryset=rows)
    page = Paginator(row_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    _with_sparklines(page.object_list)
    totals = rows.order_by().aggregate(
        vendors=Count("pk"),
        red=Count("pk", filter=Q(health=Health.RED)),
        amber=Count("pk", filter=Q(health=Health.AMBER)),
        green=Count("pk", filter=Q(health=Health.GREEN)),
        flags=Sum("flag_count"),
        overdue=Sum("overdue_total"),
    )
    attention = list(rows.filter(flag_count__gt=0)[:ATTENTION])
    return {
        "filter": row_filter,
        "page": page,
        "totals": totals,
        "attention": attention,
        "snapshot": PortfolioSnapshot.objects.filter(pk=1).first(),
        "period": page.object_list[0].period if page.object_list else None,
    }

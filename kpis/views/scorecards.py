"""Scorecards: one vendor's month, the portfolio of vendors × KPIs, trends, exports and print."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from bporeg.access import EVERYONE, INTERNAL, is_internal, role_required, staff_vendor_id
from kpis.exports import scorecard_csv, scorecard_xlsx
from kpis.filters import GridFilter
from kpis.grid import KPI_SORT_PREFIX
from kpis.models import KPI
from kpis.selectors import can_submit, default_period, vendor_scorecard, vendor_scorecards, vendor_trends
from kpis.views.periods import period_choices, period_from
from vendors.models import Vendor

PORTFOLIO_PAGE = 25
TREND_MONTHS = (12, 18, 24)


@role_required(*INTERNAL)
def portfolio_view(request):
    """The grid of vendors × KPIs for one period: filtered, sorted and paged in SQL (kpis/grid.py);
    only the page's vendors are built into scorecards."""
    period = period_from(request, default_period(timezone.localdate()))
    kpis = list(KPI.objects.order_by("name"))
    vendors = Vendor.objects.visible_to(request.user).current()
    grid_filter = GridFilter(request.GET, queryset=vendors, kpis=kpis)
    grid = grid_filter.grid(period)
    page = Paginator(grid.vendor_ids, PORTFOLIO_PAGE).get_page(request.GET.get("page"))
    by_id = vendors.in_bulk(page.object_list)
    cards = vendor_scorecards([by_id[pk] for pk in page.object_list], period)
    columns = [kpi for kpi in kpis if kpi.pk in grid.kpi_ids]
    context = {
        "filter": grid_filter,
        "portfolio": grid,
        "page": page,
        "grid": [(card, card.row_per_kpi(columns)) for card in cards],
        "columns": [(kpi, f"{KPI_SORT_PREFIX}{kpi.code}") for kpi in columns],
        "sort": grid.sort,
        "period": period,
        "periods": period_choices(period),
        "keep": [(name, value) for name, value in request.GET.items() if name not in ("period", "page")],
    }
    return render(request, "kpis/portfolio.html", context)


@role_required(*EVERYONE)
def my_scorecard(request):
    """Vendor staff's way in: their own vendor's scorecard (internal people land on the portfolio)."""
    if is_internal(request.user):
        return redirect("kpis:portfolio")
    vendor = get_object_or_404(Vendor, pk=staff_vendor_id(request.user))
    return redirect("kpis:scorecard", slug=vendor.slug)


def _vendor_and_period(request, slug):
    vendor = get_object_or_404(Vendor.objects.visible_to(request.user), slug=slug)
    return vendor, period_from(request, default_period(timezone.localdate()))


@role_required(*EVERYONE)
def scorecard(request, slug):
    vendor, period = _vendor_and_period(request, slug)
    card = vendor_scorecard(vendor, period)
    context = {
        "card": card,
        "vendor": vendor,
        "period": period,
        "periods": period_choices(period),
        "may_submit": can_submit(request.user, vendor),
    }
    return render(request, "kpis/scorecard.html", context)


def _download(content, content_type, vendor, period, extension):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="scorecard-{vendor.slug}-{period:%Y-%m}.{extension}"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(*EVERYONE)
def scorecard_csv_view(request, slug):
    vendor, period = _vendor_and_period(request, slug)
    content = scorecard_csv(vendor_scorecard(vendor, period))
    return _download(content, "text/csv; charset=utf-8", vendor, period, "csv")


@role_required(*EVERYONE)
def scorecard_xlsx_view(request, slug):
    vendor, period = _vendor_and_period(request, slug)
    content = scorecard_xlsx(vendor_scorecard(vendor, period))
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(content, xlsx, vendor, period, "xlsx")


@role_required(*EVERYONE)
def trends(request, slug):
    vendor, period = _vendor_and_period(request, slug)
    try:
        months = int(request.GET.get("months", 12))
    except ValueError:
        months = 12
    months = months if months in TREND_MONTHS else 12
    series = vendor_trends(vendor, period, months)
    charts = [
        {
            "code": kpi.code,
            "name": kpi.name,
            "unit": kpi.unit,
            "labels": [f"{p.period:%b %y}" for p in points],
            "actual": [float(p.actual) if p.actual is not None else None for p in points],
            "target": [float(p.target.target) if p.target else None for p in points],
            "breach": [float(p.target.breach_threshold) if p.target else None for p in points],
            "status": [p.status or "" for p in points],
        }
        for kpi, points in series
    ]
    context = {
        "vendor": vendor,
        "period": period,
        "series": series,
        "charts": charts,
        "months": months,
        "month_options": TREND_MONTHS,
        "month_keep": [("months", months)],
        "periods": period_choices(period),
    }
    return render(request, "kpis/trends.html", context)

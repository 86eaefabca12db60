"""How KPI values read on a page: 85.0%, 4:30, 12.50, with a sign for variances; the grid's sort links."""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from kpis.models import Unit

register = template.Library()
# A KPI that is not in the vendor's SLAs: the same text in every such cell.
NOT_IN_SLA = mark_safe('<span class="text-body-tertiary small">n/a</span>')


def _duration(seconds: Decimal) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, rest = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{rest:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{rest:02d}"


@register.filter
def kpi_value(value, kpi):
    """A value in the KPI's unit; an em dash when there is none."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    unit = kpi.unit
    if unit == Unit.PERCENT:
        return f"{value:.1f}%"
    if unit == Unit.SECONDS:
        return _duration(value)
    if unit == Unit.CURRENCY:
        return f"{value:,.2f}"
    if unit == Unit.COUNT:
        return f"{value:,.0f}"
    return f"{value:.1f}"


@register.filter
def kpi_variance(variance, kpi):
    """A variance with its sign (positive is always good news); percentages in points."""
    if variance is None:
        return "—"
    variance = Decimal(variance)
    sign = "+" if variance > 0 else "−" if variance < 0 else "±"
    if kpi.unit == Unit.PERCENT:
        return f"{sign}{abs(variance):.1f} pts"
    return f"{sign}{kpi_value(abs(variance), kpi)}"


@register.filter
def month(period):
    return f"{period:%B %Y}"


@register.simple_tag(takes_context=True)
def sort_link(context, key):
    """How a column header sorts the grid by `key`: {"query", "arrow", "aria"}. Clicking the column it is
    sorted by reverses the order; the filters stay, paging starts again."""
    query = context["request"].GET.copy()
    current = context["sort"]
    query.pop("page", None)
    query["sort"] = f"-{key}" if current == key else key
    return {
        "query": query.urlencode(),
        "arrow": {key: " ↑", f"-{key}": " ↓"}.get(current, ""),
        "aria": {key: "ascending", f"-{key}": "descending"}.get(current, "none"),
    }


@register.simple_tag
def grid_cell(row):
    """One KPI's cell in the portfolio grid: the value coloured by its status, the target in its title.
    One call per cell rather than a dozen template lookups: a page shows hundreds of cells."""
    if row is None:
        return NOT_IN_SLA
    kpi, actual = row.kpi, kpi_value(row.actual, row.kpi)
    return format_html(
        '<span class="cell cell-{}" title="{}: {} (target {})">{}</span>',
        row.status or "none",
        kpi.name,
        actual,
        kpi_value(row.target.target, kpi),
        actual,
    )

"""How KPI values read on a page: 85.0%, 4:30, 12.50, with a sign for variances."""

from decimal import Decimal

from django import template

from kpis.models import Unit

register = template.Library()


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

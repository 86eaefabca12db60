"""The `?period=YYYY-MM` every scorecard page takes, and the months offered in its picker."""

from datetime import date

from django.utils import timezone

from kpis.periods import last_months, month_start

PICKER_MONTHS = 24


def period_from(request, default):
    """The requested month, or `default` when missing or unreadable; never later than this month."""
    try:
        year, month = request.GET.get("period", "").split("-")
        period = date(int(year), int(month), 1)
    except ValueError:
        return default
    return min(period, month_start(timezone.localdate()))


def period_choices(selected):
    months = last_months(month_start(timezone.localdate()), PICKER_MONTHS)
    if selected not in months:
        months.insert(0, selected)
    return list(reversed(months))

"""Measurement periods. A period is named by its first day; monthly periods start on the 1st."""

from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(period: date) -> date:
    """The last day of the period's month: the day a month's amounts are converted at."""
    return add_months(month_start(period), 1) - timedelta(days=1)


def add_months(period: date, months: int) -> date:
    index = period.year * 12 + period.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def last_months(period: date, count: int) -> list[date]:
    """The `count` monthly periods ending with `period`, oldest first."""
    return [add_months(month_start(period), -offset) for offset in range(count - 1, -1, -1)]

"""Every notation real exports use: percentages, durations, decimal commas, periods."""

import datetime as dt
from decimal import Decimal

import pytest

from kpis.notation import parse_date, parse_number, parse_period, parse_value, parse_volume


@pytest.mark.parametrize(
    ("raw", "unit", "expected"),
    [
        ("85%", "percent", "85"),
        ("85", "percent", "85"),
        ("0.85", "percent", "85"),
        ("0,85", "percent", "85"),
        ("85,5%", "percent", "85.5"),
        ("0.8%", "percent", "0.8"),
        (" 85 % ", "percent", "85"),
        (0.85, "percent", "85"),  # an XLSX cell formatted as a percentage
        ("4:30", "seconds", "270"),
        ("270", "seconds", "270"),
        ("1:04:30", "seconds", "3870"),
        ("4:30,5", "seconds", "270.5"),
        (dt.time(0, 4, 30), "seconds", "270"),
        ("3,25", "currency", "3.25"),
        ("1.234,50", "currency", "1234.5"),
        ("1,234.50", "currency", "1234.5"),
        ("€3.20", "currency", "3.2"),
        ("-12", "score", "-12"),
        ("12 840", "count", "12840"),
    ],
)
def test_accepted_values(raw, unit, expected):
    assert parse_value(raw, unit) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "unit", "reason"),
    [
        ("abc", "percent", "is not a number"),
        ("", "percent", "missing"),
        ("120%", "percent", "not between 0% and 100%"),
        ("4:75", "seconds", "is not a duration"),
        ("4::30", "seconds", "is not a duration"),
        ("-3", "currency", "cannot be negative"),
        ("NaN", "score", "is not a number"),
    ],
)
def test_refused_values_say_why(raw, unit, reason):
    with pytest.raises(ValueError, match=reason):
        parse_value(raw, unit)


@pytest.mark.parametrize(
    "raw",
    [
        "2025-10",
        "2025-10-01",
        "10/2025",
        "10.2025",
        "01.10.2025",
        "Oct 2025",
        "October 2025",
        dt.datetime(2025, 10, 1, 0, 0),
        dt.date(2025, 10, 1),
    ],
)
def test_periods(raw):
    assert parse_period(raw) == dt.date(2025, 10, 1)


def test_bad_period_and_volume():
    with pytest.raises(ValueError, match="is not a period"):
        parse_period("2025-13")
    with pytest.raises(ValueError, match="whole number"):
        parse_volume("12.5")
    assert parse_volume("") is None
    assert parse_volume("12 840") == 12840


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-03", dt.date(2026, 11, 3)),
        ("03.11.2026", dt.date(2026, 11, 3)),
        (dt.date(2026, 11, 3), dt.date(2026, 11, 3)),
    ],
)
def test_a_day_is_read_from_iso_dotted_or_a_date_cell(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2026-10", "3 Nov", "31.02.2026"])
def test_a_month_or_an_impossible_day_is_not_a_date(raw):
    with pytest.raises(ValueError, match="is not a date"):
        parse_date(raw)


@pytest.mark.parametrize(("raw", "expected"), [(1250, "1250"), (3500.5, "3500.5"), ("-450,00", "-450.00")])
def test_number_cells_are_taken_as_they_are(raw, expected):
    assert parse_number(raw) == Decimal(expected)

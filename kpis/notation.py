"""How people write numbers, periods and dates in exports: `85%` or `0.85`, `4:30` or `270`, `4,5`,
`2026-10`, `03.11.2026`. The KPI importer and the invoice importer (costs) read cells through these.

Each parser returns a clean value or raises ValueError with a reason a manager can act on.
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from kpis.models import Unit

FOUR_PLACES = Decimal("0.0001")
LARGEST = Decimal("9999999999")
MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1
    )
}


def parse_number(text) -> Decimal:
    """`4.5`, `4,5` (decimal comma), `1.234,5` and `1,234.5` (thousands separators), or a spreadsheet's
    number cell as it is."""
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        number = Decimal(str(text))
        if not number.is_finite():
            raise ValueError(f"“{text}” is not a number")
        return number
    text = str(text or "")
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if "," in cleaned and "." in cleaned:
        # The separator written last is the decimal one.
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(",") > 1:
        cleaned = cleaned.replace(",", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number") from None
    if not number.is_finite():
        raise ValueError(f"“{text}” is not a number")
    return number


def parse_duration(text: str) -> Decimal:
    """Seconds from `270`, `4:30` (minutes:seconds) or `1:04:30` (hours:minutes:seconds)."""
    if ":" not in text:
        try:
            return parse_number(text)
        except ValueError:
            raise ValueError(f"“{text}” is not a duration (write 4:30 or 270)") from None
    parts = text.strip().split(":")
    if len(parts) > 3 or not all(parts):
        raise ValueError(f"“{text}” is not a duration (write 4:30 or 270)")
    try:
        *whole, seconds = parts
        units = [int(part) for part in whole]
        seconds = parse_number(seconds)
    except ValueError:
        raise ValueError(f"“{text}” is not a duration (write 4:30 or 270)") from None
    if (
        any(unit < 0 for unit in units)
        or seconds < 0
        or seconds >= 60
        or (len(units) == 2 and units[1] >= 60)
    ):
        raise ValueError(f"“{text}” is not a duration (write 4:30 or 270)")
    total = Decimal(0)
    for unit in units:
        total = total * 60 + unit * 60
    return total + seconds


def parse_value(raw, unit: str) -> Decimal:
    """A measurement value in the KPI's unit. Percentages are stored in points (85 for 85%): a bare
    number of 1 or less is a fraction (0.85 is 85%), so less than one percent is written `0.8%`."""
    if isinstance(raw, dt.time):
        value = Decimal(raw.hour * 3600 + raw.minute * 60 + raw.second)
    elif isinstance(raw, dt.timedelta):
        value = Decimal(str(raw.total_seconds()))
    elif isinstance(raw, bool) or raw is None:
        raise ValueError("the value is missing")
    elif isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
        if unit == Unit.PERCENT and abs(value) <= 1:
            value *= 100
    else:
        text = str(raw).strip()
        if not text:
            raise ValueError("the value is missing")
        if unit == Unit.PERCENT:
            if text.endswith("%"):
                value = parse_number(text[:-1])
            else:
                value = parse_number(text)
                if abs(value) <= 1:
                    value *= 100
        elif unit == Unit.SECONDS:
            value = parse_duration(text)
        else:
            value = parse_number(text.lstrip("€$£").rstrip("€$£"))
    return check_range(value, unit)


def check_range(value: Decimal, unit: str) -> Decimal:
    if unit == Unit.PERCENT and not 0 <= value <= 100:
        raise ValueError(f"{value.normalize():f}% is not between 0% and 100%")
    if unit in (Unit.SECONDS, Unit.COUNT, Unit.CURRENCY) and value < 0:
        raise ValueError(f"{value.normalize():f} cannot be negative")
    if abs(value) > LARGEST:
        raise ValueError(f"{value.normalize():f} is too large")
    return value.quantize(FOUR_PLACES)


def parse_volume(raw) -> int | None:
    if raw is None or str(raw).strip() == "":
        return None
    number = parse_number(str(raw))
    if number < 0 or number != number.to_integral_value() or number > 2_147_483_647:
        raise ValueError(f"volume “{raw}” is not a whole number of contacts")
    return int(number)


def parse_period(raw) -> dt.date:
    """`2026-10`, `10/2026`, `Oct 2026`, or a day as `parse_date` reads it (`2026-10-01`, `01.10.2026`,
    a date cell from a spreadsheet)."""
    try:
        return parse_date(raw)
    except ValueError:
        pass
    text = str(raw or "").strip()
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
            return dt.date(int(match[1]), int(match[2]), 1)
        if match := re.fullmatch(r"(\d{1,2})[/.](\d{4})", text):
            return dt.date(int(match[2]), int(match[1]), 1)
        if match := re.fullmatch(r"([A-Za-z]{3})[a-z]*\.?[ -](\d{4})", text):
            return dt.date(int(match[2]), MONTHS[match[1].lower()], 1)
    except (ValueError, KeyError):
        pass
    raise ValueError(f"“{text}” is not a period (write 2026-10 or 2026-10-01)")


def parse_date(raw) -> dt.date:
    """A day: `2026-11-03`, `03.11.2026`, or a date cell from a spreadsheet. A bare month is not a day."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw or "").strip()
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?", text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise ValueError(f"“{text}” is not a date (write 2026-11-03 or 03.11.2026)")

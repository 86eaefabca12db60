"""Amounts in the company's currency: the contract's currency converted at the manager's dated rates.

The rate used for a month is the latest one valid on that month's last day, so an invoice, its budget and
its savings are all converted alike. A missing rate is an error with a sentence, never a silent 1:1.
"""

from bisect import bisect_right
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

CENT = Decimal("0.01")


class MissingRate(LookupError):
    def __init__(self, currency, day):
        super().__init__(
            f"No exchange rate for {currency} on {day:%d %b %Y}: enter one under Setup → Exchange rates."
        )
        self.currency, self.day = currency, day


def company_currency() -> str:
    return settings.COMPANY_CURRENCY


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class Rates:
    """Every exchange rate, loaded in one query, answering `convert(amount, currency, on)` in memory."""

    def __init__(self, rows):
        self._days = defaultdict(list)
        self._rates = defaultdict(list)
        for currency, valid_from, rate in sorted(rows):
            self._days[currency].append(valid_from)
            self._rates[currency].append(rate)

    @classmethod
    def load(cls) -> "Rates":
        from costs.models import ExchangeRate

        return cls(ExchangeRate.objects.values_list("currency", "valid_from", "rate"))

    def rate(self, currency: str, on: date) -> Decimal:
        if currency == company_currency():
            return Decimal(1)
        index = bisect_right(self._days.get(currency, []), on)
        if index == 0:
            raise MissingRate(currency, on)
        return self._rates[currency][index - 1]

    def convert(self, amount: Decimal, currency: str, on: date) -> Decimal:
        return cents(amount * self.rate(currency, on))

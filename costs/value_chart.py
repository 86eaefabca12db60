"""Server-side SVG geometry for a vendor's value chart, in the manner of portfolio/charts.py.

Each month: a bar of the actual cost, the in-house equivalent as a line, and the gap between them
coloured as a saving (or an overspend). No script, no style attribute (strict CSP): the template draws
these coordinates with presentation attributes and the classes of css/costs-value.css.
"""

from decimal import Decimal

from portfolio.charts import CHART_HEIGHT, CHART_WIDTH

LEFT, RIGHT, TOP, BOTTOM = 56, 10, 12, 28


def _money(amount):
    if abs(amount) >= 1_000_000:
        return f"{amount / 1_000_000:.1f}M"
    if abs(amount) >= 1000:
        return f"{amount / 1000:.0f}k"
    return f"{amount:.0f}"


def _title(month, currency):
    parts = [f"{month.period:%b %Y}: actual {month.actual:,.0f} {currency}"]
    if month.in_house is None:
        parts.append("volume not measured")
    else:
        parts.append(f"in house {month.in_house:,.0f}")
        parts.append(f"{'saved' if month.savings >= 0 else 'overspent'} {abs(month.savings):,.0f}")
    return ", ".join(parts)


def value_chart(months, currency):
    """Bars of actual cost, the in-house line and the savings gap, for ValueMonth rows oldest first."""
    if not months:
        return None
    high = max(max(month.actual, month.in_house or 0) for month in months) * Decimal("1.1") or 1
    bottom = CHART_HEIGHT - BOTTOM

    def y(amount):
        return round(bottom - float(amount / high) * (bottom - TOP), 1)

    slot = (CHART_WIDTH - LEFT - RIGHT) / len(months)
    width = round(slot * 0.6, 1)
    bars, gaps, line = [], [], []
    for index, month in enumerate(months):
        x = round(LEFT + slot * (index + 0.5), 1)
        left = round(x - width / 2, 1)
        title = _title(month, currency)
        bars.append(
            {
                "x": left,
                "y": y(month.actual),
                "width": width,
                "height": round(bottom - y(month.actual), 1),
                "title": title,
            }
        )
        if month.in_house is not None:
            line.append({"x": x, "y": y(month.in_house), "title": title})
            top, low = sorted((y(month.in_house), y(month.actual)))
            gaps.append(
                {
                    "x": left,
                    "y": top,
                    "width": width,
                    "height": round(low - top, 1),
                    "saving": month.savings >= 0,
                    "title": title,
                }
            )
    grid = [
        {"y": y(high / Decimal("1.1") * i / 4), "label": _money(high / Decimal("1.1") * i / 4)}
        for i in range(5)
    ]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "gaps": gaps,
        "line": " ".join(f"{dot['x']},{dot['y']}" for dot in line),
        "dots": line,
        "labels": [
            {"x": round(LEFT + slot * (index + 0.5), 1), "text": f"{month.period:%b}"}
            for index, month in enumerate(months)
        ],
        "grid": grid,
        "left": LEFT,
        "right": CHART_WIDTH - RIGHT,
    }

"""Server-side SVG geometry for the sparklines and the portfolio charts.

Inline SVG needs no script and no style attribute (the Content-Security-Policy forbids both inline):
the templates draw these coordinates with presentation attributes and CSS classes.
"""

from datetime import date

SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 88, 26, 3
CHART_WIDTH, CHART_HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 10, 12, 28


def _scale(low, high, top, bottom):
    span = (high - low) or 1
    return lambda value: round(bottom - (value - low) / span * (bottom - top), 1)


def sparkline(values):
    """Points of a small line over the last months' values (gaps skipped), and its last point."""
    known = [(index, value) for index, value in enumerate(values) if value is not None]
    if not known:
        return None
    low, high = min(v for _, v in known), max(v for _, v in known)
    if high - low < 2:  # A nearly flat score should look flat, not like a cliff.
        low, high = low - 1, high + 1
    y = _scale(low, high, SPARK_PAD, SPARK_HEIGHT - SPARK_PAD)
    step = (SPARK_WIDTH - 2 * SPARK_PAD) / max(len(values) - 1, 1)
    points = [(round(SPARK_PAD + index * step, 1), y(value)) for index, value in known]
    first, last = known[0][1], known[-1][1]
    return {
        "points": " ".join(f"{x},{y_}" for x, y_ in points),
        "last": points[-1],
        "direction": "up" if last > first + 0.5 else "down" if last < first - 0.5 else "flat",
        "width": SPARK_WIDTH,
        "height": SPARK_HEIGHT,
        "summary": " → ".join("—" if v is None else f"{v:.0f}" for v in values),
    }


def _label(period):
    return f"{date.fromisoformat(period):%b}"


def _x_positions(count):
    step = (CHART_WIDTH - LEFT - RIGHT) / max(count - 1, 1)
    return [round(LEFT + index * step, 1) for index in range(count)]


def _grid(low, high, y, ticks=4, suffix=""):
    step = (high - low) / ticks
    return [{"y": y(low + i * step), "label": f"{low + i * step:,.0f}{suffix}"} for i in range(ticks + 1)]


def adherence_chart(points):
    """The average SLA adherence line across vendors, with the band of the middle half of them."""
    if not points:
        return None
    low = min(10 * int(min(p["low"] for p in points) // 10), 80)
    y = _scale(low, 100, TOP, CHART_HEIGHT - BOTTOM)
    xs = _x_positions(len(points))
    band = [f"{x},{y(p['high'])}" for x, p in zip(xs, points, strict=True)]
    band += [f"{x},{y(p['low'])}" for x, p in reversed(list(zip(xs, points, strict=True)))]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "line": " ".join(f"{x},{y(p['average'])}" for x, p in zip(xs, points, strict=True)),
        "band": " ".join(band),
        "dots": [
            {"x": x, "y": y(p["average"]), "title": f"{_label(p['period'])}: {p['average']}% on average"}
            for x, p in zip(xs, points, strict=True)
        ],
        "labels": [{"x": x, "text": _label(p["period"])} for x, p in zip(xs, points, strict=True)],
        "grid": _grid(low, 100, y, suffix="%"),
        "left": LEFT,
        "right": CHART_WIDTH - RIGHT,
        "last": points[-1],
    }


def spend_chart(points):
    """Monthly spend as bars (red where above budget) against the budget line."""
    if not points:
        return None
    high = max(max(p["spend"], p["budget"]) for p in points) * 1.1 or 1
    y = _scale(0, high, TOP, CHART_HEIGHT - BOTTOM)
    slot = (CHART_WIDTH - LEFT - RIGHT) / len(points)
    width = round(slot * 0.6, 1)
    xs = [round(LEFT + slot * (index + 0.5), 1) for index in range(len(points))]
    bottom = CHART_HEIGHT - BOTTOM
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": [
            {
                "x": round(x - width / 2, 1),
                "y": y(p["spend"]),
                "width": width,
                "height": round(bottom - y(p["spend"]), 1),
                "over": p["spend"] > p["budget"],
                "title": f"{_label(p['period'])}: spend {p['spend']:,} against a budget of {p['budget']:,}",
            }
            for x, p in zip(xs, points, strict=True)
        ],
        "budget": " ".join(f"{x},{y(p['budget'])}" for x, p in zip(xs, points, strict=True)),
        "labels": [{"x": x, "text": _label(p["period"])} for x, p in zip(xs, points, strict=True)],
        "grid": [
            {"y": g["y"], "label": _short(high / 1.1 * i / 4)} for i, g in enumerate(_grid(0, high / 1.1, y))
        ],
        "left": LEFT,
        "right": CHART_WIDTH - RIGHT,
        "last": points[-1],
    }


def _short(amount):
    if amount >= 1_000_000:
        return f"{amount / 1_000_000:.1f}M"
    if amount >= 1000:
        return f"{amount / 1000:.0f}k"
    return f"{amount:.0f}"

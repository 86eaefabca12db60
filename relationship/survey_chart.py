"""Server-side SVG geometry for a vendor's survey trend, in the manner of portfolio/charts.py.

Two lines on a fixed 1–5 scale, one point per quarter: our rating of the vendor and the vendor's
rating of us. A quarter a side did not answer is a gap in its line, not a zero. No script, no style
attribute (strict CSP): the template draws these coordinates with classes of css/portfolio.css.
"""

from portfolio.charts import CHART_HEIGHT, CHART_WIDTH, LEFT, RIGHT, TOP

BOTTOM = 28
LOW, HIGH = 1, 5


def _y(score):
    bottom = CHART_HEIGHT - BOTTOM
    return round(bottom - (score - LOW) / (HIGH - LOW) * (bottom - TOP), 1)


def _line(xs, quarters, side, who):
    dots = []
    for x, quarter in zip(xs, quarters, strict=True):
        average = getattr(quarter, side).average
        if average is not None:
            dots.append({"x": x, "y": _y(average), "title": f"{quarter.label}: {who} {average:.2f} of 5"})
    return {"points": " ".join(f"{dot['x']},{dot['y']}" for dot in dots), "dots": dots}


def survey_chart(quarters):
    """Both sides' averages per quarter (QuarterResult rows, oldest first), or None before any answer."""
    if not any(q.company.average is not None or q.vendor.average is not None for q in quarters):
        return None
    step = (CHART_WIDTH - LEFT - RIGHT) / max(len(quarters) - 1, 1)
    xs = [round(LEFT + index * step, 1) for index in range(len(quarters))]
    if len(quarters) == 1:
        xs = [round((CHART_WIDTH - RIGHT + LEFT) / 2, 1)]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "company": _line(xs, quarters, "company", "we rated them"),
        "vendor": _line(xs, quarters, "vendor", "they rated us"),
        "labels": [{"x": x, "text": q.label} for x, q in zip(xs, quarters, strict=True)],
        "grid": [{"y": _y(score), "label": str(score)} for score in range(LOW, HIGH + 1)],
        "left": LEFT,
        "right": CHART_WIDTH - RIGHT,
    }

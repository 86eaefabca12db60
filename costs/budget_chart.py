"""The budget page's chart, drawn server-side: cumulative budget, actual and forecast over the year.

Coordinates only; the template draws them with presentation attributes and CSS classes (the
Content-Security-Policy forbids inline script and style).
"""

from portfolio.charts import BOTTOM, CHART_HEIGHT, CHART_WIDTH, LEFT, RIGHT, TOP, _scale, _short


def budget_chart(result):
    months = result.months
    latest = max((i for i, m in enumerate(months) if m.actual is not None), default=None)
    if latest is None and result.budget is None:
        return None
    values = [m.cumulative for m in months]
    values += [m.forecast for m in months if m.forecast is not None]
    values += [m.cumulative_budget for m in months if m.cumulative_budget is not None]
    top = float(max(values)) or 1.0
    y = _scale(0, top * 1.1, TOP, CHART_HEIGHT - BOTTOM)
    step = (CHART_WIDTH - LEFT - RIGHT) / (len(months) - 1)
    x = [round(LEFT + index * step, 1) for index in range(len(months))]

    def line(points):
        return " ".join(f"{px},{y(float(value))}" for px, value in points)

    actual = [(x[i], m.cumulative) for i, m in enumerate(months) if latest is not None and i <= latest]
    forecast = [(x[i], m.forecast) for i, m in enumerate(months) if m.forecast is not None]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": LEFT,
        "right": CHART_WIDTH - RIGHT,
        "budget": line((x[i], m.cumulative_budget) for i, m in enumerate(months) if m.cumulative_budget),
        "actual": line(actual),
        "forecast": line(actual[-1:] + forecast) if forecast else "",
        "dots": [
            {"x": px, "y": y(float(value)), "title": f"{months[i].month:%b}: {value:,.0f} to date"}
            for i, (px, value) in enumerate(actual)
            if months[i].actual is not None
        ],
        "labels": [{"x": x[i], "text": f"{m.month:%b}"} for i, m in enumerate(months)],
        "grid": [{"y": y(top * i / 4), "label": _short(top * i / 4)} for i in range(5)],
    }

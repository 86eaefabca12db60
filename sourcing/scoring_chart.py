"""The comparison's chart: one horizontal bar per candidate's weighted total, on the 1–5 scale.

Server-side SVG geometry like portfolio/charts.py: the template draws these coordinates with
presentation attributes and CSS classes, no script and no style attribute (the CSP forbids both).
Bars run sideways so that thirty candidates and long vendor names still fit.
"""

from sourcing.scoring import TOP_SCORE

WIDTH, LABEL, RIGHT, TOP, ROW, BOTTOM = 560, 170, 40, 8, 24, 24
NAME_LENGTH = 24


def _short(name):
    return name if len(name) <= NAME_LENGTH else name[: NAME_LENGTH - 1] + "…"


def totals_chart(comparison):
    """Bars for the candidates that have a weighted total, best first; None when none has one yet."""
    scored = [result for result in comparison.candidates if result.weighted_total is not None]
    if not scored:
        return None
    span = WIDTH - LABEL - RIGHT
    height = TOP + ROW * len(scored) + BOTTOM

    def x(value):
        return round(LABEL + float(value) / TOP_SCORE * span, 1)

    bars = []
    for index, result in enumerate(scored):
        y = TOP + index * ROW
        name = result.candidate.vendor.name
        bars.append(
            {
                "y": y + 4,
                "width": round(x(result.weighted_total) - LABEL, 1),
                "height": ROW - 8,
                "label": _short(name),
                "label_y": y + ROW / 2,
                "value": result.weighted_total,
                "value_x": x(result.weighted_total) + 4,
                "leader": result.rank == 1,
                "title": f"{name}: {result.weighted_total} of 5 ({result.percent}% of the maximum)",
            }
        )
    return {
        "width": WIDTH,
        "height": height,
        "left": LABEL,
        "bars": bars,
        "grid": [{"x": x(tick), "label": tick} for tick in range(TOP_SCORE + 1)],
        "grid_top": TOP,
        "grid_bottom": height - BOTTOM,
        "axis_y": height - 8,
    }

"""Dashboard helpers: sortable column headers that keep the filters, an icon per red flag, the health
badge and the sparkline."""

from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

FLAG_ICONS = {
    "sla_breach": "exclamation-octagon-fill",
    "critical_risk": "shield-fill-exclamation",
    "lack_of_transparency": "eye-slash-fill",
    "falling_quality": "graph-down-arrow",
    "missed_deadlines": "alarm-fill",
    "poor_feedback": "emoji-frown-fill",
    "high_turnover": "person-dash-fill",
    "cost_overrun": "cash-coin",
    "inconsistent_performance": "activity",
    "communication_breakdown": "chat-square-dots-fill",
    "falling_relationship": "people-fill",
}


@register.filter
def flag_icon(code):
    return FLAG_ICONS.get(code, "flag-fill")


@register.simple_tag(takes_context=True)
def sort_header(context, key, label, numeric=False):
    """A column header that sorts by `key`; clicking it again reverses the order."""
    query = context["request"].GET.copy()
    current = query.get("sort", "")
    query.pop("page", None)
    query["sort"] = f"-{key}" if current == key else key
    arrow = {key: " ↑", f"-{key}": " ↓"}.get(current, "")
    sort = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a class="sort-link" href="?{}">{}{}</a></th>',
        "text-end" if numeric else "",
        sort,
        query.urlencode(),
        label,
        arrow,
    )


FLAG_ICON_HTML = (
    '<a class="flag-{severity}" href="{url}" title="{title}: {explanation}"><i class="bi bi-{icon}"></i>'
    '<span class="visually-hidden">{title}</span></a>'
)


@register.simple_tag
def flag_icons(flags):
    """A row's red flags as icons linking to their first evidence, with the explanation on hover.

    A tag rather than a template loop, and str.format over values escaped by the standard library
    (as Django escapes them, without its lazy-string checks) rather than format_html: the worst rows
    carry up to ten flags each, and this loop was most of the cost of rendering a page of them.
    """
    if not flags:
        return format_html('<span class="text-body-tertiary small">{}</span>', "none")
    # Safe: every value from the flag is escaped; the icon names are this module's own.
    return mark_safe(
        "".join(
            FLAG_ICON_HTML.format(
                severity=escape(flag["severity"]),
                url=escape(flag["links"][0]["url"] if flag["links"] else ""),
                title=escape(flag["title"]),
                explanation=escape(flag["explanation"]),
                icon=flag_icon(flag["code"]),
            )
            for flag in flags
        )
    )


# The health badge and the sparkline are tags, not included templates: a page of the dashboard draws
# them on every row, and an include costs a template render each time.
@register.simple_tag
def health_badge(health):
    """The health dot and score of a VendorHealth, with its colour in words for screen readers."""
    label = health.get_health_display()
    return format_html(
        '<span class="health health-{}" title="Health {}/100 ({})"><span class="health-dot" '
        'aria-hidden="true"></span>{}<span class="visually-hidden"> — {}</span></span>',
        health.health,
        health.health_score,
        label,
        health.health_score,
        label,
    )


@register.simple_tag
def sparkline_svg(line):
    """A `portfolio.charts.sparkline` (a dict) drawn as inline SVG (its coordinates are plain numbers, never
    formatted for a language)."""
    if not line:
        return ""
    return format_html(
        '<svg class="sparkline spark-{direction}" width="{width}" height="{height}" '
        'viewBox="0 0 {width} {height}" role="img" aria-label="Scorecard score, last 6 months: {summary}">'
        "<title>Last 6 months: {summary}</title>"
        '<polyline points="{points}" fill="none" stroke-width="1.6" stroke-linejoin="round" '
        'stroke-linecap="round"/><circle cx="{x}" cy="{y}" r="2.4"/></svg>',
        direction=line["direction"],
        width=str(line["width"]),
        height=str(line["height"]),
        summary=line["summary"],
        points=line["points"],
        x=str(line["last"][0]),
        y=str(line["last"][1]),
    )

"""The red-flag rules and the partnership health score, as plain functions of a vendor's facts.

Each rule returns a `Flag` (what is wrong, in words a manager can act on, and links to the evidence) or
None. Thresholds are settings (README, "Configuration"); the penalties and the colour rule are shown on
the dashboard as written here (`HEALTH_RULE`).
"""

import statistics
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from kpis.models import Status
from kpis.periods import add_months
from kpis.templatetags.kpis_tags import kpi_value
from relationship.surveys import LOW_SCORE, falling_score, quarter_label, quarter_start
from reviews.models import ReviewStatus
from reviews.services import REVIEWED_STATUSES, due_period

RED, AMBER = "red", "amber"


@dataclass
class Flag:
    code: str
    severity: str
    title: str
    explanation: str
    links: list = field(default_factory=list)
    penalty: int = 0

    def as_json(self):
        return asdict(self)


# code: (title, severity, penalty). Order: how the flags of one vendor are listed, worst first.
RULES = {
    "sla_breach": ("SLA breach", RED, 25),
    "critical_issue": ("Critical issue unresolved", RED, 20),
    "critical_risk": ("Critical risk", AMBER, 10),
    "lack_of_transparency": ("Values not submitted", AMBER, 15),
    "falling_quality": ("Falling quality", AMBER, 15),
    "missed_deadlines": ("Missed deadlines", AMBER, 10),
    "poor_feedback": ("Poor customer feedback", AMBER, 10),
    "high_turnover": ("High turnover", AMBER, 10),
    "cost_overrun": ("Cost overrun", AMBER, 10),
    "inconsistent_performance": ("Inconsistent performance", AMBER, 5),
    "communication_breakdown": ("Review not signed off", AMBER, 10),
    "falling_relationship": ("Falling relationship score", AMBER, 10),
    "overdue_issues": ("Overdue issues", AMBER, 10),
}


def _flag(code, explanation, *links):
    title, severity, penalty = RULES[code]
    return Flag(
        code, severity, title, explanation, [{"label": lbl, "url": url} for lbl, url in links], penalty
    )


def _month(day):
    return f"{day:%B %Y}"


def _scorecard_link(f):
    url = reverse("kpis:scorecard", kwargs={"slug": f.vendor.slug}) + f"?period={f.period:%Y-%m}"
    return ("Scorecard", url)


def _trend_link(f, code):
    url = reverse("kpis:trends", kwargs={"slug": f.vendor.slug}) + f"?period={f.period:%Y-%m}#kpi-{code}"
    return ("Trend chart", url)


def _plural(count, word):
    return f"{count} {word}{'' if count == 1 else 's'}"


def sla_breach(f):
    card = f.scorecard(f.period)
    breached = [row for row in card.measured if row.status == Status.BREACHED]
    if not breached:
        return None
    details = ", ".join(
        f"{row.kpi.name} {kpi_value(row.actual, row.kpi)} (breach beyond "
        f"{kpi_value(row.target.breach_threshold, row.kpi)})"
        for row in breached
    )
    credits = f" Service credits due: {card.service_credits:,.0f}." if card.service_credits else ""
    text = (
        f"{_plural(len(breached), 'KPI')} breached the SLA in {_month(f.period)}: {details}.{credits} "
        "Ask the vendor for a root cause and a recovery plan."
    )
    return _flag("sla_breach", text, _scorecard_link(f))


def critical_risk(f):
    risk = f.top_risk
    if risk is None or risk["score"] < settings.PORTFOLIO_RISK_SCORE_FLAG:
        return None
    text = (
        f"Open risk “{risk['title']}” scores {risk['score']} (likelihood × impact, "
        f"flagged from {settings.PORTFOLIO_RISK_SCORE_FLAG}). Check that its mitigation is under way."
    )
    return _flag("critical_risk", text, ("Risk", reverse("reviews:risk_detail", kwargs={"pk": risk["pk"]})))


def lack_of_transparency(f):
    # The QA score comes from our own audits, not from the vendor: it is not theirs to submit.
    expected = {t.kpi_id: t.kpi for t in f.targets_in_force(f.period) if t.kpi.code != "qa-score"}
    missing = [kpi for kpi_id, kpi in expected.items() if (kpi_id, f.period) not in f.values]
    if not missing:
        return None
    names = ", ".join(kpi.name for kpi in sorted(missing, key=lambda kpi: kpi.name))
    text = (
        f"No values for {_month(f.period)} for {len(missing)} of the {len(expected)} KPIs in the SLA "
        f"({names}). Ask the vendor to submit them: until then the scorecard is incomplete."
    )
    url = reverse("kpis:month-values", kwargs={"slug": f.vendor.slug}) + f"?period={f.period:%Y-%m}"
    return _flag("lack_of_transparency", text, ("Values for the month", url))


def falling_quality(f):
    falls = settings.PORTFOLIO_QA_FALLING_PERIODS
    series = f.kpi_series("qa-score", falls + 1)
    values = [value for _, value in series]
    if len(values) < falls + 1 or None in values:
        return None
    if not all(later < earlier for earlier, later in zip(values, values[1:], strict=False)):
        return None
    steps = " → ".join(f"{value:.1f}" for value in values)
    text = (
        f"QA score fell {falls} months in a row, to {_month(f.period)}: {steps}. "
        "Go through the audits with the QA specialist and agree coaching or calibration with the vendor."
    )
    audits = reverse("reviews:audit_list") + f"?vendor={f.vendor.pk}"
    return _flag("falling_quality", text, _trend_link(f, "qa-score"), ("QA audits", audits))


def missed_deadlines(f):
    if f.tasks_overdue + f.actions_overdue < settings.PORTFOLIO_OVERDUE_ITEMS_MIN:
        return None
    parts, links = [], []
    oldest = min(day for day in (f.oldest_task_due, f.oldest_action_due) if day)
    if f.tasks_overdue:
        parts.append(_plural(f.tasks_overdue, "onboarding task"))
        url = reverse("vendors:detail", kwargs={"slug": f.vendor.slug}) + "#onboarding"
        links.append(("Onboarding tasks", url))
    if f.actions_overdue:
        parts.append(_plural(f.actions_overdue, "action item"))
        links.append(("Action items", reverse("reviews:review_list") + f"?vendor={f.vendor.pk}"))
    late = (f.today - oldest).days
    text = (
        f"{' and '.join(parts)} overdue, the oldest {_plural(late, 'day')} late. "
        "Chase the owners or agree new dates."
    )
    return _flag("missed_deadlines", text, *links)


def _below_target(f, codes):
    """[(target, value)] for the KPIs with these codes that missed their target last month."""
    missed = []
    for target in f.targets_in_force(f.period):
        value = f.values.get((target.kpi_id, f.period))
        if target.kpi.code in codes and value is not None and target.kpi.is_better(target.target, value):
            missed.append((target, value))
    return missed


def _against_target(missed):
    return "; ".join(
        f"{t.kpi.name} {kpi_value(value, t.kpi)} against a target of {kpi_value(t.target, t.kpi)}"
        for t, value in missed
    )


def poor_feedback(f):
    missed = _below_target(f, {"csat", "nps"})
    if not missed:
        return None
    text = (
        f"Customers were less satisfied than agreed in {_month(f.period)}: {_against_target(missed)}. "
        "Ask for the survey verbatims and the vendor's top complaint drivers."
    )
    return _flag("poor_feedback", text, _scorecard_link(f))


def high_turnover(f):
    missed = _below_target(f, {"attrition-rate"})
    if not missed:
        return None
    text = (
        f"Agents are leaving faster than agreed: {_against_target(missed)} in {_month(f.period)}. "
        "Ask about hiring, training pipeline and retention: knowledge walks out with them."
    )
    return _flag("high_turnover", text, _scorecard_link(f))


def cost_overrun(f):
    parts, links = [], []
    missed = _below_target(f, {"cost-per-contact"})
    if missed:
        parts.append(_against_target(missed))
        links.append(_scorecard_link(f))
    spend, budget = f.spend(f.period), f.budget(f.period)
    tolerance = Decimal(settings.PORTFOLIO_SPEND_TOLERANCE_PERCENT)
    if spend is not None and budget and spend > budget * (1 + tolerance / 100):
        over = (spend / budget - 1) * 100
        invoiced = f.period in f.invoiced_months
        source = "approved invoices" if invoiced else "cost per contact × contacts handled"
        # No amounts: the flag is read by QA specialists too, who see no money; the links have them.
        parts.append(f"spend ({source}) is {over:.0f}% above the contracts' monthly fee")
        links.append(("Contracts", reverse("vendors:detail", kwargs={"slug": f.vendor.slug}) + "#contracts"))
        if invoiced:
            budget_url = reverse("costs:budget", kwargs={"slug": f.vendor.slug}) + f"?year={f.period.year}"
            links.append(("Budget", budget_url))
    if not parts:
        return None
    text = f"{_month(f.period)}: {'; '.join(parts)}. Check volumes and billing before the next invoice."
    return _flag("cost_overrun", text, *links)


def _variation(values):
    """Coefficient of variation in percent, or None when it means nothing (too few values, mean ≤ 0)."""
    values = [float(v) for v in values if v is not None]
    if len(values) < 3:
        return None
    mean = statistics.fmean(values)
    return statistics.pstdev(values) / mean * 100 if mean > 0 else None


def inconsistent_performance(f):
    months = settings.PORTFOLIO_VARIATION_PERIODS
    limit = settings.PORTFOLIO_VARIATION_MAX_PERCENT
    worst = None
    for kpi in {t.kpi.code: t.kpi for t in f.targets_in_force(f.period)}.values():
        values = [value for _, value in f.kpi_series(kpi.code, months)]
        variation = _variation(values)
        if variation is not None and variation > limit and (worst is None or variation > worst[1]):
            worst = (kpi, variation, [v for v in values if v is not None])
    if worst is None:
        return None
    kpi, variation, values = worst
    text = (
        f"{kpi.name} swung from {kpi_value(min(values), kpi)} to {kpi_value(max(values), kpi)} over the last "
        f"{months} months (variation {variation:.0f}%, flagged above {limit}%). "
        "Ask what drives the swings: staffing, volumes or process changes."
    )
    return _flag("inconsistent_performance", text, _trend_link(f, kpi.code))


def communication_breakdown(f):
    if f.vendor.status not in REVIEWED_STATUSES:
        return None
    grace = settings.PORTFOLIO_REVIEW_GRACE_DAYS
    start, end = due_period(f.today - timedelta(days=grace), f.vendor.review_cadence)
    pk, status = f.reviews.get(start, (None, None))
    if status == ReviewStatus.SIGNED_OFF:
        return None
    days = (f.today - end).days
    label = f"{start:%B %Y}" if start.month == end.month else f"{start:%b}–{end:%b %Y}"
    if pk is None:
        text = f"No review was held for {label}, {days} days after it ended. Schedule it with the vendor."
        link = ("Reviews", reverse("reviews:review_list") + f"?vendor={f.vendor.pk}")
    else:
        state = "still a draft" if status == ReviewStatus.DRAFT else "waiting for the vendor's signature"
        text = (
            f"The {label} review is {state}, {days} days after the period ended. Hold it and get it signed."
        )
        link = ("Review", reverse("reviews:review_detail", kwargs={"pk": pk}))
    return _flag("communication_breakdown", text, link)


def falling_relationship(f):
    """Our quarterly rating of the vendor fell (or is low); only while it is the latest there is: a
    rating two surveys old says little about today."""
    if not f.ratings:
        return None
    (quarter, latest), *earlier = f.ratings
    if quarter < add_months(quarter_start(f.today), -6):
        return None
    before, previous = earlier[0] if earlier else (None, None)
    if not falling_score(previous, latest):
        return None
    if previous is None:
        text = (
            f"We rated the vendor {latest:.2f} out of 5 for {quarter_label(quarter)}, below {LOW_SCORE:.1f}."
        )
    else:
        text = (
            f"Our rating of the vendor went from {previous:.2f} ({quarter_label(before)}) to {latest:.2f} "
            f"out of 5 ({quarter_label(quarter)})."
        )
    text += (
        " Go through the answers with the vendor: which of communication, responsiveness, clarity or "
        "collaboration fell, and why."
    )
    url = reverse("relationship:survey_results", kwargs={"slug": f.vendor.slug})
    return _flag("falling_relationship", text, ("Survey results", url))


def _issues_link(f, show):
    """The vendor's issues in the issue log: the overdue ones, or the open ones (the log's default)."""
    url = reverse("relationship:issue_list") + f"?vendor={f.vendor.pk}"
    if show == "overdue":
        url += "&show=overdue"
    return (f"{show.capitalize()} issues", url)


def critical_issue(f):
    if not (f.issues_overdue_severe or f.issues_executive):
        return None
    parts = []
    if f.issues_overdue_severe:
        verb = "is" if f.issues_overdue_severe == 1 else "are"
        parts.append(f"{_plural(f.issues_overdue_severe, 'critical or high-severity issue')} {verb} overdue")
    if f.issues_executive:
        parts.append(f"{_plural(f.issues_executive, 'open issue')} reached the executive level")
    text = (
        f"{' and '.join(parts)}. Call the vendor's executive contact, agree a solution and a date, and "
        "record the agreement in the issue's thread."
    )
    return _flag("critical_issue", text, _issues_link(f, "overdue"), _issues_link(f, "open"))


def overdue_issues(f):
    if not f.issues_overdue_other:
        return None
    count = f.issues_overdue_other
    text = (
        f"{_plural(count, 'issue')} {'is' if count == 1 else 'are'} past {'its' if count == 1 else 'their'} "
        "response or resolution time. Chase the owners on both sides and agree new dates in the threads."
    )
    return _flag("overdue_issues", text, _issues_link(f, "overdue"))


CHECKS = [
    sla_breach,
    critical_issue,
    critical_risk,
    lack_of_transparency,
    falling_quality,
    missed_deadlines,
    poor_feedback,
    high_turnover,
    cost_overrun,
    inconsistent_performance,
    communication_breakdown,
    falling_relationship,
    overdue_issues,
]


def red_flags(facts) -> list[Flag]:
    return [flag for check in CHECKS if (flag := check(facts)) is not None]


def health_of(score, flags) -> tuple[int, str]:
    """(health score 0–100, colour): the scorecard score (100 with nothing measured yet) minus each
    flag's penalty; red with a red flag or below PORTFOLIO_AMBER_FROM, amber with any other flag or
    below PORTFOLIO_GREEN_FROM, otherwise green."""
    base = Decimal(100) if score is None else score
    value = int(
        max(Decimal(0), min(Decimal(100), base - sum(flag.penalty for flag in flags))).to_integral_value()
    )
    if any(flag.severity == RED for flag in flags) or value < settings.PORTFOLIO_AMBER_FROM:
        return value, RED
    if flags or value < settings.PORTFOLIO_GREEN_FROM:
        return value, AMBER
    return value, "green"


def health_rule():
    """The rule in words, for the page."""
    penalties = ", ".join(f"{title} −{penalty}" for title, _, penalty in RULES.values())
    return {
        "text": (
            "Health starts from last month's scorecard score (weighted attainment of the SLA targets, 0–100; "
            "100 when nothing is measured yet) and loses points for each red flag."
        ),
        "penalties": penalties,
        "colours": (
            "Red: an SLA breach last month, a critical or high-severity issue overdue or an issue at the "
            f"executive level, or health below {settings.PORTFOLIO_AMBER_FROM}. "
            f"Amber: any other flag, or health below {settings.PORTFOLIO_GREEN_FROM}. Green: no flag and "
            f"health {settings.PORTFOLIO_GREEN_FROM} or more."
        ),
    }

"""The KPI library that ships with bporeg: the common measures of BPO work."""

# code, name, unit, direction, aggregation, description
STANDARD_KPIS = [
    (
        "fcr",
        "First call resolution",
        "percent",
        "higher",
        "weighted",
        "Share of contacts resolved at the first contact, without a callback or transfer.",
    ),
    (
        "aht",
        "Average handling time",
        "seconds",
        "lower",
        "weighted",
        "Talk, hold and after-contact work per contact, in seconds.",
    ),
    (
        "csat",
        "Customer satisfaction (CSAT)",
        "percent",
        "higher",
        "weighted",
        "Share of surveyed customers who rated the contact satisfied or better.",
    ),
    (
        "nps",
        "Net promoter score",
        "score",
        "higher",
        "average",
        "Promoters minus detractors, from -100 to 100.",
    ),
    (
        "service-level",
        "Service level",
        "percent",
        "higher",
        "weighted",
        "Share of calls answered within the agreed number of seconds (for example 80% in 20 s).",
    ),
    (
        "abandonment-rate",
        "Abandonment rate",
        "percent",
        "lower",
        "weighted",
        "Share of contacts abandoned by the customer before being answered.",
    ),
    (
        "error-rate",
        "Error rate",
        "percent",
        "lower",
        "weighted",
        "Share of processed items (tickets, records, documents) with an error.",
    ),
    ("qa-score", "QA score", "percent", "higher", "average", "Average score of the period's quality audits."),
    (
        "attrition-rate",
        "Attrition rate",
        "percent",
        "lower",
        "last",
        "Monthly share of the vendor's agents on the account who left.",
    ),
    (
        "schedule-adherence",
        "Schedule adherence",
        "percent",
        "higher",
        "average",
        "Share of scheduled time agents were available as planned.",
    ),
    (
        "cost-per-contact",
        "Cost per contact",
        "currency",
        "lower",
        "weighted",
        "Total vendor cost of the period divided by contacts handled.",
    ),
    ("sla-adherence", "SLA adherence", "percent", "higher", "last", "Share of SLA KPIs met in the period."),
]


def install_standard_kpis():
    """Make sure the shipped KPIs exist (migration 0002 adds them; a flushed database loses them)."""
    from kpis.models import KPI

    KPI.objects.bulk_create(
        [
            KPI(
                code=code,
                name=name,
                unit=unit,
                direction=direction,
                aggregation=aggregation,
                description=description,
            )
            for code, name, unit, direction, aggregation, description in STANDARD_KPIS
        ],
        ignore_conflicts=True,
    )

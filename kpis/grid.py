"""The portfolio grid's figures, worked out in PostgreSQL for every vendor of the portfolio at once.

The grid sorts and filters a whole portfolio by figures that exist only once each KPI is judged
against its target: breaches, the weighted score, SLA adherence, service credits, a KPI's value.
Building every vendor's scorecard in Python for that took over a second at 1,000 vendors. Here one
query gives the filtered vendors in order with their totals; only the page's vendors are then built
into scorecards (`selectors.vendor_scorecards`).

Each rule below mirrors its Python original, which stays the reference for every other page:
the monthly roll-up (`selectors.roll_up`), judging and attainment (`SLATarget.judge`, `.attainment`),
the score, adherence and capped service credits (`selectors.Scorecard`). tests/kpis/test_grid_sql.py
checks that both give the same answers. Decimal's quantize rounds a tie to the even digit, so the SQL
does too.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import connection

from kpis.models import Aggregation, Direction, Status
from kpis.periods import add_months

# Sort keys of the grid's columns, besides one per KPI ("kpi-<code>"); each ends with the vendor's
# name so that pages are stable.
ORDERS = {
    "vendor": "v.name",
    "score": "f.score",
    "adherence": "f.adherence",
    "credits": "f.credits",
}
KPI_SORT_PREFIX = "kpi-"
DEFAULT_SORT = "score"  # worst score first


def _half_even(expression, places):
    """`round(expression, places)` as Decimal.quantize does it: a tie goes to the even digit."""
    scale = 10**places
    scaled = f"(({expression}) * {scale})"
    return (
        f"CASE WHEN {scaled} - floor({scaled}) = 0.5 "
        f"THEN round((floor({scaled}) + abs(mod(floor({scaled}), 2))) / {scale}, {places}) "
        f"ELSE round({expression}, {places}) END"
    )


def _worse(value, threshold):
    """SQL: is `value` worse than `threshold` for the KPI's direction (KPI.is_better, reversed)?"""
    return (
        f"(k.direction = '{Direction.HIGHER_IS_BETTER}' AND {value} < {threshold} "
        f"OR k.direction <> '{Direction.HIGHER_IS_BETTER}' AND {value} > {threshold})"
    )


FIGURES = f"""
WITH portfolio (id) AS ({{vendors}}),
rolled AS (
    SELECT vendor_id, kpi_id, count(*) AS n, sum(value) AS total, max(period) AS last_period,
           sum(coalesce(volume, 0)) AS volume, sum(value * coalesce(volume, 0)) AS volume_total
    FROM kpis_measurement
    WHERE period >= %s AND period < %s AND vendor_id IN (SELECT id FROM portfolio)
    GROUP BY vendor_id, kpi_id
),
months AS (
    SELECT r.vendor_id, r.kpi_id, CASE
        WHEN r.n = 1 OR k.aggregation = '{Aggregation.SUM}' THEN r.total
        WHEN k.aggregation = '{Aggregation.LAST}' THEN (
            SELECT value FROM kpis_measurement
            WHERE vendor_id = r.vendor_id AND kpi_id = r.kpi_id AND period = r.last_period)
        WHEN k.aggregation = '{Aggregation.WEIGHTED}' AND r.volume > 0
            THEN {_half_even("r.volume_total / r.volume", 4)}
        ELSE {_half_even("r.total / r.n", 4)}
    END AS value
    FROM rolled r JOIN kpis_kpi k ON k.id = r.kpi_id
),
cells AS (
    SELECT s.vendor_id, t.sla_id, t.kpi_id, t.weight, t.service_credit_percent, v.value,
           CASE
               WHEN v.value IS NULL THEN NULL
               WHEN {_worse("v.value", "t.breach_threshold")} THEN '{Status.BREACHED}'
               WHEN {_worse("v.value", "t.warning_threshold")} THEN '{Status.WARNING}'
               ELSE '{Status.MET}'
           END AS status,
           greatest(0, least(1, CASE WHEN k.direction = '{Direction.HIGHER_IS_BETTER}'
               THEN coalesce(v.value / nullif(t.target, 0), 1)
               ELSE coalesce(t.target / nullif(v.value, 0), 1)
           END)) AS attainment
    FROM kpis_slatarget t
    JOIN kpis_sla s ON s.id = t.sla_id
    JOIN kpis_kpi k ON k.id = t.kpi_id
    LEFT JOIN months v ON v.vendor_id = s.vendor_id AND v.kpi_id = t.kpi_id
    WHERE t.effective_from <= %s AND (t.effective_to IS NULL OR t.effective_to > %s)
      AND s.vendor_id IN (SELECT id FROM portfolio)
),
slas AS (
    SELECT vendor_id, sla_id,
           count(*) FILTER (WHERE status = '{Status.BREACHED}') AS breaches,
           count(*) FILTER (WHERE status = '{Status.MET}') AS met,
           count(value) AS measured,
           sum(weight * attainment) FILTER (WHERE value IS NOT NULL) AS achieved,
           sum(weight) FILTER (WHERE value IS NOT NULL) AS measured_weight,
           coalesce(sum(service_credit_percent) FILTER (WHERE status = '{Status.BREACHED}'), 0)
               AS credit_percent,
           max(value) FILTER (WHERE kpi_id = %s) AS kpi_value
    FROM cells
    GROUP BY vendor_id, sla_id
),
tallies AS (
    SELECT slas.vendor_id, sum(breaches) AS breaches, sum(met) AS met, sum(measured) AS measured,
           sum(achieved) / sum(measured_weight) * 100 AS exact_score,
           sum(least(c.monthly_fee * credit_percent, c.monthly_fee * s.service_credit_cap_percent)) / 100
               AS exact_credits,
           max(kpi_value) AS kpi_value
    FROM slas JOIN kpis_sla s ON s.id = slas.sla_id JOIN vendors_contract c ON c.id = s.contract_id
    GROUP BY slas.vendor_id
),
figures AS (
    SELECT p.id AS vendor_id, coalesce(t.breaches, 0) AS breaches, t.kpi_value,
           {_half_even("t.exact_score", 1)} AS score,
           {_half_even("t.met / nullif(t.measured, 0) * 100", 1)} AS adherence,
           coalesce({_half_even("t.exact_credits", 2)}, 0) AS credits
    FROM (SELECT DISTINCT id FROM portfolio) p LEFT JOIN tallies t ON t.vendor_id = p.id
    WHERE NOT %s OR t.breaches > 0
)
"""

SUMMARY = """
SELECT count(*), count(*) FILTER (WHERE f.breaches > 0), coalesce(sum(f.credits), 0),
       array_agg(f.vendor_id ORDER BY {order} {direction} NULLS LAST, v.name),
       (SELECT array_agg(DISTINCT t.kpi_id) FROM kpis_slatarget t JOIN kpis_sla s ON s.id = t.sla_id
        WHERE t.effective_from <= %s AND (t.effective_to IS NULL OR t.effective_to > %s)
          AND s.vendor_id IN (SELECT vendor_id FROM figures))
FROM figures f JOIN vendors_vendor v ON v.id = f.vendor_id
"""


@dataclass(frozen=True)
class PortfolioGrid:
    """The filtered vendors in the chosen order, and the totals of all of them (not of one page)."""

    vendor_ids: list  # in the grid's order: what the Paginator pages
    with_breaches: int
    credits_due: Decimal
    kpi_ids: frozenset  # the KPIs with a target in force for one of the vendors: the grid's columns
    sort: str

    @property
    def vendors(self):
        return len(self.vendor_ids)


def figures_sql(vendors, period, *, sort_kpi=None, breached_only=False) -> tuple[str, list]:
    """The FIGURES clause for these vendors and period, with its parameters: a query is this followed by
    a SELECT from `figures` (one row per vendor: breaches, score, adherence, credits, kpi_value)."""
    vendor_sql, vendor_params = vendors.order_by().values("pk").query.sql_with_params()
    params = [
        *vendor_params,
        period,
        add_months(period, 1),
        period,
        period,
        sort_kpi.pk if sort_kpi else None,
        breached_only,
    ]
    return FIGURES.format(vendors=vendor_sql), params


def portfolio_grid(vendors, period, *, kpis, breached_only=False, sort=DEFAULT_SORT) -> PortfolioGrid:
    """One query, whatever the size of the portfolio.

    `vendors` is a queryset of the vendors to show, already scoped to the user and filtered; `sort` a
    key of ORDERS or "kpi-<code>" of one of `kpis`, with "-" in front for the reverse order.
    """
    key = sort.lstrip("-")
    by_code = {kpi.code: kpi for kpi in kpis}
    sort_kpi = by_code.get(key.removeprefix(KPI_SORT_PREFIX)) if key.startswith(KPI_SORT_PREFIX) else None
    order = "f.kpi_value" if sort_kpi else ORDERS.get(key, ORDERS[DEFAULT_SORT])
    figures, params = figures_sql(vendors, period, sort_kpi=sort_kpi, breached_only=breached_only)
    summary = SUMMARY.format(order=order, direction="DESC" if sort.startswith("-") else "ASC")
    with connection.cursor() as cursor:
        cursor.execute(figures + summary, [*params, period, period])
        _, with_breaches, credits_due, vendor_ids, kpi_ids = cursor.fetchone()
    return PortfolioGrid(vendor_ids or [], with_breaches, credits_due, frozenset(kpi_ids or ()), sort)

"""Reconciliation benchmark: one month of every vendor's invoices reconciled, beside the portfolio refresh.

    python bench/costs_bench.py [--vendors 1000] [--lines 10]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bporeg_costs_bench;
dropped and rebuilt). The demo portfolio (seed_demo, 24 months) gets, for each vendor's first contract,
a fixed fee on `lines - 2` categories and a tiered per-unit price on the handled contacts, and an
invoice for each of the 24 months with one line per term and a service-credit line (every 7th vendor's
invoices carry a hidden fee). It times `reconcile_month` for one month of all vendors and for ten of
them (the query count must be the same), next to `refresh_vendor_health` for every vendor.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bporeg_costs_bench"
TODAY = "2026-11-15"
MONTHS = 24
# Aims: the month costs a fixed number of queries whatever the number of vendors, and takes no longer
# than the portfolio refresh of the same vendors.
VERSUS_REFRESH_AIM = 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=10)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.vendors, args.lines)))
        return
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    name, server = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0]
    for command in (["dropdb", "--if-exists", name], ["createdb", name]):
        subprocess.run([command[0], "--maintenance-db", f"{server}/postgres", *command[1:]], check=True)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "CELERY_BROKER_URL": "memory://"}
    command = [
        sys.executable,
        __file__,
        "--worker",
        "--vendors",
        str(args.vendors),
        "--lines",
        str(args.lines),
    ]
    output = subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.PIPE, text=True).stdout
    report(json.loads(output.strip().splitlines()[-1]))


def worker(vendors, lines):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bporeg.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command(
        "seed_demo", "--vendors", str(vendors), "--months", str(MONTHS), "--today", TODAY, verbosity=0
    )
    result = {"vendors": vendors, "seed_demo_s": time.perf_counter() - started}
    started = time.perf_counter()
    result.update(build_invoices(lines))
    result["build_s"] = time.perf_counter() - started
    result.update(timings())
    return result


def build_invoices(lines):
    """Price terms and 24 months of invoices for every vendor's first contract, in SQL."""
    from django.db import connection

    fixed = lines - 2
    first = f"{TODAY[:8]}01"
    with connection.cursor() as cursor:
        # Whatever the demo's own invoices are, the bench measures its own.
        cursor.execute(
            "TRUNCATE costs_disputemessage, costs_dispute, costs_discrepancydecision, costs_invoiceline, "
            "costs_invoice, costs_pricetier, costs_priceterm CASCADE"
        )
        cursor.execute(
            """
            CREATE TEMP TABLE bench_contract AS
            SELECT DISTINCT ON (c.vendor_id) c.id, c.vendor_id, c.monthly_fee, c.currency
            FROM vendors_contract c ORDER BY c.vendor_id, c.start_date, c.id
            """
        )
        cursor.execute(
            """
            INSERT INTO costs_priceterm (contract_id, kind, category, label, unit_price, unit_name,
                                         effective_from)
            SELECT c.id, 'fixed_fee', 'fee-' || n, 'Fee ' || n, round(c.monthly_fee / %s, 2), '',
                   %s::date - interval '36 months'
            FROM bench_contract c CROSS JOIN generate_series(1, %s) n
            """,
            [fixed, first, fixed],
        )
        cursor.execute(
            """
            INSERT INTO costs_priceterm (contract_id, kind, category, label, unit_price, unit_name,
                                         volume_kpi_id, effective_from)
            SELECT c.id, 'per_unit', 'contacts', 'Contacts handled', 1.00, 'contact', k.id,
                   %s::date - interval '36 months'
            FROM bench_contract c CROSS JOIN kpis_kpi k WHERE k.code = 'aht'
            """,
            [first],
        )
        cursor.execute(
            """
            INSERT INTO costs_pricetier (term_id, from_units, unit_price)
            SELECT t.id, s.from_units, s.price FROM costs_priceterm t
            CROSS JOIN (VALUES (5000, 0.80), (20000, 0.60)) AS s (from_units, price)
            WHERE t.kind = 'per_unit'
            """
        )
        cursor.execute(
            """
            INSERT INTO costs_invoice (vendor_id, contract_id, number, period, issued_on, currency, total,
                                       document, status, source, entered_by_id, entered_at)
            SELECT c.vendor_id, c.id, 'B-' || c.vendor_id || '-' || m, p.period, p.period + 35, c.currency,
                   0, '', 'received', 'import', (SELECT id FROM auth_user WHERE username = 'manager'), now()
            FROM bench_contract c CROSS JOIN generate_series(1, %s) m
            CROSS JOIN LATERAL (SELECT (%s::date - make_interval(months => m))::date AS period) p
            """,
            [MONTHS, first],
        )
        cursor.execute(
            """
            INSERT INTO costs_invoiceline (invoice_id, category, description, quantity, unit_price, amount,
                                           position)
            SELECT i.id, t.category, t.label, 1, t.unit_price, t.unit_price, 0
            FROM costs_invoice i
            JOIN costs_priceterm t ON t.contract_id = i.contract_id AND t.kind = 'fixed_fee'
            UNION ALL
            SELECT i.id, 'contacts', 'Contacts handled', 8000, 0.90, 7400, 1 FROM costs_invoice i
            UNION ALL
            SELECT i.id, 'service-credit', 'Service credits', 1, -100, -100, 2 FROM costs_invoice i
            UNION ALL
            SELECT i.id, 'admin-fee', 'Administration', 1, 250, 250, 3 FROM costs_invoice i
            WHERE i.vendor_id % 7 = 0
            """
        )
        cursor.execute(
            """
            UPDATE costs_invoice i SET total = s.total
            FROM (SELECT invoice_id, sum(amount) AS total FROM costs_invoiceline GROUP BY invoice_id) s
            WHERE s.invoice_id = i.id
            """
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*), (SELECT count(*) FROM costs_invoiceline) FROM costs_invoice")
        invoices, invoice_lines = cursor.fetchone()
    return {"invoices": invoices, "lines": invoice_lines}


def timed(function):
    """(value, seconds, queries). Queries are counted as they run: the seed's thousands have filled
    Django's query log, whose length no longer moves."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        value = function()
        elapsed = time.perf_counter() - started
    return value, elapsed, count


def timings():
    from datetime import date

    from costs.reconciliation import reconcile_month
    from kpis.periods import add_months
    from portfolio.services import refresh_vendor_health
    from vendors.models import Vendor

    today = date.fromisoformat(TODAY)
    month = add_months(today.replace(day=1), -1)
    reconcile_month(month)  # warm: imports, the first connection's catalogue lookups
    rows, month_s, month_queries = timed(lambda: reconcile_month(month))
    ten = list(Vendor.objects.order_by("pk").values_list("pk", flat=True)[:10])
    _, ten_s, ten_queries = timed(lambda: reconcile_month(month, vendor_ids=ten))
    _, refresh_s, refresh_queries = timed(lambda: refresh_vendor_health(today=today))
    return {
        "month": month.isoformat(),
        "month_vendors": len(rows),
        "month_discrepancies": sum(row.discrepancy_count for row in rows),
        "month_s": month_s,
        "month_queries": month_queries,
        "ten_s": ten_s,
        "ten_queries": ten_queries,
        "refresh_s": refresh_s,
        "refresh_queries": refresh_queries,
    }


def verdict(ok):
    return "pass" if ok else "FAIL"


def row(label, seconds, queries, note=""):
    print(f"  {label:<42} {seconds * 1000:8.0f} ms  {queries:3d} queries  {note}")


def report(r):
    print(f"\nReconciliation of one month, all vendors — {r['vendors']:,} vendors × {MONTHS} months")
    print(f"{r['invoices']:,} invoices, {r['lines']:,} lines", end=" ")
    print(f"(seed {r['seed_demo_s']:.0f} s, invoices built in {r['build_s']:.0f} s)\n")
    note = f"({r['month_discrepancies']:,} discrepancies)"
    row(
        f"reconcile_month {r['month']}, {r['month_vendors']:,} vendors",
        r["month_s"],
        r["month_queries"],
        note,
    )
    row(f"reconcile_month {r['month']}, 10 vendors", r["ten_s"], r["ten_queries"])
    row("portfolio refresh_vendor_health, all vendors", r["refresh_s"], r["refresh_queries"])
    fixed = r["month_queries"] == r["ten_queries"]
    ratio = r["month_s"] / r["refresh_s"]
    queries = f"{r['ten_queries']} vs {r['month_queries']}"
    print(f"\n  queries, 10 vendors vs all: {queries}  aim: equal  {verdict(fixed)}")
    aim = f"aim: ≤ {VERSUS_REFRESH_AIM}×"
    print(f"  reconcile / portfolio refresh: {ratio:.2f}×  {aim}  {verdict(ratio <= VERSUS_REFRESH_AIM)}")


if __name__ == "__main__":
    main()

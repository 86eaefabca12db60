"""KPI benchmark: import speed against PostgreSQL COPY (and against PostgreSQL's own floor for the same
write), and page times at 10 and 1,000 vendors.

    python bench/kpis_bench.py [--vendors 1000] [--small 10] [--runs 15] [--skip-import]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bporeg_bench; a
second database with the suffix _small is used for the small portfolio). Both databases are dropped
and rebuilt: demo vendors (seed_demo), then every vendor's SLA topped up to all 12 library KPIs and
24 months of values, i.e. vendors × 12 × 24 measurements. `--skip-import` leaves out the import
benchmark and reports the page times only (a quicker run while working on the pages).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bporeg_bench"
TODAY = "2026-11-15"
MONTHS = 24
IMPORT_ROWS = 100_000
# The grid at the large portfolio: at most this long, and at most this many times its small-portfolio time.
GRID_AIM_MS = 150
GRID_AIM_GROWTH = 3


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vendors", type=int, default=1000)
    parser.add_argument("--small", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-import", action="store_true", help="page times only")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--import-rows", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.vendors, args.runs, args.import_rows)))
        return
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    small = run_worker(f"{url}_small", args.small, args.runs, 0)
    large = run_worker(url, args.vendors, args.runs, 0 if args.skip_import else IMPORT_ROWS)
    if args.skip_import:
        report_pages(small, large)
    else:
        report(small, large)


def run_worker(url, vendors, runs, import_rows):
    name = url.rsplit("/", 1)[1]
    base = url.rsplit("/", 1)[0]
    for command in (["dropdb", "--if-exists", name], ["createdb", name]):
        subprocess.run([*command[:1], "--maintenance-db", f"{base}/postgres", *command[1:]], check=True)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver",
        "CELERY_BROKER_URL": "memory://",
    }
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "--worker",
            "--vendors",
            str(vendors),
            "--runs",
            str(runs),
            "--import-rows",
            str(import_rows),
        ],
        check=True,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def worker(vendors, runs, import_rows):
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
    result["measurements"] = top_up()
    result["top_up_s"] = time.perf_counter() - started
    if import_rows:
        result.update(import_benchmark(import_rows))
        # The import leaves 200,000 dead row versions behind; autovacuum clears them within a minute
        # in production, so the pages are timed on the table as it is then, not in that minute.
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE kpis_measurement")
    result.update(page_times(runs))
    return result


def top_up():
    """Every vendor's SLA gets all 12 library KPIs and every KPI a value for each of the 24 months."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO kpis_slatarget (sla_id, kpi_id, target, warning_threshold, breach_threshold, weight,
                                        frequency, service_credit_percent, effective_from)
            SELECT sla.id, kpi.id,
                   CASE WHEN kpi.direction = 'higher' THEN 80 ELSE 20 END,
                   CASE WHEN kpi.direction = 'higher' THEN 75 ELSE 25 END,
                   CASE WHEN kpi.direction = 'higher' THEN 70 ELSE 30 END,
                   1, 'monthly', 2, %s::date - interval '24 months'
            FROM kpis_sla sla CROSS JOIN kpis_kpi kpi
            WHERE NOT EXISTS (SELECT 1 FROM kpis_slatarget t WHERE t.sla_id = sla.id AND t.kpi_id = kpi.id)
            """,
            [TODAY[:8] + "01"],
        )
        cursor.execute(
            """
            INSERT INTO kpis_measurement (vendor_id, kpi_id, period, value, source, updated_at)
            SELECT v.id, kpi.id, (%s::date - make_interval(months => m))::date,
                   round((60 + random() * 35)::numeric, 1), 'import', now()
            FROM vendors_vendor v CROSS JOIN kpis_kpi kpi CROSS JOIN generate_series(1, %s) m
            ON CONFLICT ON CONSTRAINT measurement_one_per_period DO NOTHING
            """,
            [TODAY[:8] + "01", MONTHS],
        )
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM kpis_measurement")
        return cursor.fetchone()[0]


def import_csv(rows):
    """A contact-center style export: `;`, BOM, decimal commas, 85,5% and m:ss durations."""
    lines = ["\ufeffVendor;KPI;Period;Value;Volume"]
    for slug, code, unit, period, value in rows:
        if unit == "percent":
            text = f"{value:.1f}%".replace(".", ",")
        elif unit == "seconds":
            text = f"{int(value) // 60}:{int(value) % 60:02d}"
        else:
            text = f"{value:.2f}".replace(".", ",")
        lines.append(f"{slug};{code};{period:%Y-%m};{text};1200")
    return ("\n".join(lines) + "\n").encode("utf-8")


def run_import(content, user, today):
    """The app's importer, step by step as its pages run it: parse and store (upload), preview, confirm."""
    from alerts.models import Alert
    from kpis.importer import parse_upload, preview
    from kpis.models import MeasurementImport
    from kpis.services import confirm_import, stage_import

    timings = {}
    started = time.perf_counter()
    parsed = parse_upload("export.csv", content, user=user, today=today)
    timings["parse_s"] = time.perf_counter() - started
    assert not parsed.errors, parsed.errors[:3]
    started = time.perf_counter()
    stored = stage_import(uploaded_by=user, file_name="export.csv", entries=parsed.entries)
    timings["store_s"] = time.perf_counter() - started
    started = time.perf_counter()
    changes = preview(MeasurementImport.objects.get(pk=stored.pk))
    timings["preview_s"] = time.perf_counter() - started
    timings["preview_counts"] = dict(changes.counts)
    alerts_before = Alert.objects.count()
    started = time.perf_counter()
    result = confirm_import(measurement_import=MeasurementImport.objects.get(pk=stored.pk), user=user)
    timings["write_s"] = time.perf_counter() - started
    timings["result"] = {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
    timings["alerts"] = Alert.objects.count() - alerts_before
    timings["total_s"] = sum(timings[k] for k in ("parse_s", "store_s", "preview_s", "write_s"))
    return timings


def import_benchmark(count):
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.urls import reverse

    from kpis.importer import parse_upload
    from kpis.models import KPI, Measurement
    from kpis.periods import add_months
    from vendors.models import Vendor

    today = date.fromisoformat(TODAY)
    kpis = list(KPI.objects.order_by("code"))
    vendors = list(Vendor.objects.order_by("pk").values_list("pk", "slug"))
    periods = [add_months(today.replace(day=1), -m) for m in range(1, MONTHS + 1)]
    combos = ((vendor, kpi, period) for period in periods for vendor in vendors for kpi in kpis)
    rows = []
    for (_, slug), kpi, period in combos:
        value = 70 + (len(rows) % 250) / 10 if kpi.unit != "seconds" else 240 + len(rows) % 120
        rows.append((slug, kpi.code, kpi.unit, period, value))
        if len(rows) == count:
            break
    user = get_user_model().objects.get(username="manager")
    timings = {"import_rows": len(rows)}
    reverse("kpis:import")  # a running site has loaded its URLs before anyone imports (alert links)
    # First as new values (the months are emptied first: a monthly import of fresh data), then the
    # same file with every value changed (a corrected re-import: updates plus history).
    oldest = min(row[3] for row in rows)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM kpis_measurement WHERE period >= %s", [oldest])
        cursor.execute("VACUUM ANALYZE kpis_measurement")
    # PostgreSQL's floor is measured on the very table the "all new" import then meets.
    fresh = parse_upload("export.csv", import_csv(rows), user=user, today=today)
    timings["floor_s"] = write_floor(fresh.entries, user.pk)
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE kpis_measurement, {Measurement.history.model._meta.db_table}")
    for scenario, shift in (("new", 0), ("changed", 1)):
        content = import_csv([(*row[:4], row[4] + shift) for row in rows])
        timings["import_file_mb"] = len(content) / 2**20
        timings[scenario] = run_import(content, user, today)
    parsed = parse_upload("export.csv", content, user=user, today=today)
    # The same rows, ids already resolved, COPY'd into an empty copy of the table with its indexes.
    lines = "".join(
        f"{e.vendor_id}\t{e.kpi_id}\t{e.period}\t{e.value}\t{e.volume}\timport\t2026-11-15 00:00:00+00\n"
        for e in parsed.entries
    ).encode()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copy_target (LIKE kpis_measurement INCLUDING ALL)")
        started = time.perf_counter()
        with cursor.copy(
            "COPY copy_target (vendor_id, kpi_id, period, value, volume, source, updated_at) FROM STDIN"
        ) as copy:
            copy.write(lines)
        timings["copy_s"] = time.perf_counter() - started
        cursor.execute("DROP TABLE copy_target")
    return timings


def write_floor(entries, user_id):
    """PostgreSQL's own cost of the write the importer must do, with nothing of the app's around it.

    The same rows COPY'd into the real measurement table (where their periods are empty) and its
    history table (write-ahead log, every index), then the foreign keys checked as the commit would
    (SET CONSTRAINTS ALL IMMEDIATE); no upsert, no alert rules, no Python per row. Rolled back.
    """
    from django.db import connection, transaction

    from kpis.models import Measurement

    stamp = "2026-11-15 00:00:00+00"
    rows = [
        f"{e.vendor_id}\t{e.kpi_id}\t{e.period}\t{e.value}\t{e.volume}\timport\t{user_id}\t{stamp}"
        for e in entries
    ]
    measurements = "".join(f"{row}\n" for row in rows).encode()
    history = "".join(f"{i}\t{row}\t{stamp}\t+\t{user_id}\n" for i, row in enumerate(rows, 10**9)).encode()
    columns = "vendor_id, kpi_id, period, value, volume, source, entered_by_id, updated_at"
    history_table = Measurement.history.model._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        with cursor.copy(f"COPY kpis_measurement ({columns}) FROM STDIN") as copy:
            copy.write(measurements)
        with cursor.copy(
            f"COPY {history_table} (id, {columns}, history_date, history_type, history_user_id) FROM STDIN"
        ) as copy:
            copy.write(history)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def page_times(runs):
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from vendors.models import Vendor

    client = Client()
    client.force_login(get_user_model().objects.get(username="manager"))
    vendor = Vendor.objects.order_by("name").first()
    pages = {
        "grid": "/kpis/?period=2026-10",
        # What a manager narrowing the portfolio down does: breached only, worst CSAT first, page 2.
        "grid_filtered": "/kpis/?period=2026-10&breached=on&sort=kpi-csat&page=2",
        "scorecard": f"/kpis/vendors/{vendor.slug}/?period=2026-10",
        "trends": f"/kpis/vendors/{vendor.slug}/trends/?period=2026-10&months=24",
    }
    result = {}
    for name, url in pages.items():
        client.get(url)  # warm up
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            timings.append(time.perf_counter() - started)
            assert response.status_code == 200
        result[f"{name}_ms"] = statistics.median(timings) * 1000
        result[f"{name}_queries"] = len(queries)
    return result


def report(small, large):
    print(f"\nKPI benchmark — PostgreSQL, {MONTHS} months, 12 KPIs per vendor\n")
    for data in (small, large):
        print(
            f"  {data['vendors']:>5} vendors: {data['measurements']:>7,} measurements "
            f"(seed_demo {data['seed_demo_s']:.1f} s, top-up to 12 KPIs {data['top_up_s']:.1f} s)"
        )
    _import_report(large)
    report_pages(small, large)


def report_pages(small, large):
    print(f"\nMedian server time (in-process test client), {small['vendors']} vs {large['vendors']} vendors:")
    for name in ("grid", "grid_filtered", "scorecard", "trends"):
        print(
            f"  {name:<14} {small[f'{name}_ms']:8.1f} ms ({small[f'{name}_queries']} queries)   "
            f"{large[f'{name}_ms']:8.1f} ms ({large[f'{name}_queries']} queries)"
        )
    print(f"\nKPI grid (vendors × KPIs), aims ≤ {GRID_AIM_MS} ms and ≤ {GRID_AIM_GROWTH}× growth:")
    for name, label in (("grid", "worst score first"), ("grid_filtered", "breached, by CSAT, page 2")):
        time_ms, growth = large[f"{name}_ms"], large[f"{name}_ms"] / small[f"{name}_ms"]
        verdict = "pass" if time_ms <= GRID_AIM_MS and growth <= GRID_AIM_GROWTH else "FAIL"
        print(
            f"  {label:<26} {time_ms:8.1f} ms at {large['vendors']} (aim ≤ {GRID_AIM_MS})   "
            f"{growth:5.2f}× the {small['vendors']}-vendor time (aim ≤ {GRID_AIM_GROWTH}×)   {verdict}"
        )


IMPORT_AIMS = (("total_s", "ratio importer / COPY", 3), ("write_s", "ratio write step / COPY", 2))


def _import_report(large):
    print(
        f"\nImport of a {large['import_rows']:,}-row CSV ({large['import_file_mb']:.1f} MB) "
        f"beside {large['measurements'] - large['import_rows']:,} other measurements:"
    )
    print(f"  {'':<36}{'all new':>10}{'all changed':>14}{'aim':>8}")
    new, changed = large["new"], large["changed"]
    for key, label in (
        ("parse_s", "upload: parse + validate every row"),
        ("store_s", "upload: store the rows (COPY)"),
        ("preview_s", "preview (new/changed, in SQL)"),
        ("write_s", "confirm: upsert, history, alerts"),
        ("total_s", "app importer, total"),
    ):
        print(f"  {label:<36}{new[key]:>8.2f} s{changed[key]:>12.2f} s")
    print(f"  {'raw PostgreSQL COPY':<36}{large['copy_s']:>8.2f} s   (same rows, ids resolved, empty table)")
    print(
        f"  {'PostgreSQL floor for the write':<36}{large['floor_s']:>8.2f} s   "
        "(COPY into the measurement and history tables, foreign keys checked)"
    )
    for key, label, aim in IMPORT_AIMS:
        ratios = [data[key] / large["copy_s"] for data in (new, changed)]
        verdict = "met" if max(ratios) <= aim else "NOT met"
        print(f"  {label:<36}{ratios[0]:>8.1f} x{ratios[1]:>12.1f} x{f'≤ {aim} x':>10}  {verdict}")
    print(
        f"  {'floor / COPY':<36}{large['floor_s'] / large['copy_s']:>8.1f} x   (what PostgreSQL itself needs)"
    )
    for key, label in (("total_s", "importer / floor"), ("write_s", "write step / floor")):
        print(f"  {label:<36}{new[key] / large['floor_s']:>8.1f} x{changed[key] / large['floor_s']:>12.1f} x")
    print(
        f"  {'SLA alerts raised':<36}{new['alerts']:>10,}{changed['alerts']:>14,}"
        "   (one per vendor, recipient and channel)"
    )
    print(f"  results: new {new['result']}, changed {changed['result']}")


if __name__ == "__main__":
    main()

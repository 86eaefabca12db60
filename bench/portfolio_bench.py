"""Portfolio dashboard benchmark: median response time over HTTP from gunicorn at 10 and 1,000 vendors
× 24 months, next to Django's admin change list of vendors on the same data, in the same run.

    python bench/portfolio_bench.py [--sizes 10 1000] [--runs 40]

Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/bporeg_portfolio_bench;
one database per size, with the size as suffix, dropped and rebuilt with `seed_demo`). For each size it
times `refresh_vendor_health` for every vendor (what the beat job runs) and counts its queries. Then
it serves every size at once, one gunicorn each (one sync worker, DEBUG off, static files collected),
and loads both pages of every size from this process with http.client over loopback, in turn: a few
warm-up rounds, then `--runs` rounds.
It prints the dashboard's growth from the smallest to the largest size and its ratio to the admin list
next to issue 11's aims, with pass or FAIL.
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bporeg_portfolio_bench"
TODAY = "2026-11-15"
MONTHS = 24
WARM_UP = 5
PAGES = {"dashboard": ("/portfolio/", "manager"), "admin": ("/admin/vendors/vendor/", "admin")}
# Issue 11's aims at the largest size: the dashboard barely grows with the portfolio, and costs at most
# half of Django's admin change list of the same vendors.
GROWTH_AIM = 1.3
VERSUS_ADMIN_AIM = 0.5


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--setup", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        print(json.dumps(setup(args.setup)))
        return
    base = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    static_root = tempfile.mkdtemp(prefix="bporeg-bench-static-")
    results = measure(base, args.sizes, args.runs, static_root)
    report(results, args.runs)


def environment(url, static_root):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-used-anywhere-else-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": static_root,
        "CELERY_BROKER_URL": "memory://",
        "LOG_LEVEL": "WARNING",
    }


def build(url, size, static_root):
    """Drop and rebuild one size's database; returns its figures and the two users' cookies."""
    name, server = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0]
    for command in (["dropdb", "--if-exists", name], ["createdb", name]):
        subprocess.run([command[0], "--maintenance-db", f"{server}/postgres", *command[1:]], check=True)
    env = environment(url, static_root)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    output = subprocess.run(
        [sys.executable, __file__, "--setup", str(size)],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
    ).stdout
    return json.loads(output.decode().strip().splitlines()[-1])


def measure(base, sizes, runs, static_root):
    """Build every size, serve them all at once (one gunicorn each) and load every size's pages in turn:
    a change in the machine's load then falls on all sizes alike, not on whichever ran last."""
    results = [build(f"{base}_{size}", size, static_root) for size in sizes]
    servers = []
    try:
        for size, result in zip(sizes, results, strict=True):
            result["port"] = free_port()
            servers.append(
                subprocess.Popen(
                    [gunicorn(), "bporeg.wsgi", "-b", f"127.0.0.1:{result['port']}", "-w", "1"],
                    cwd=ROOT,
                    env=environment(f"{base}_{size}", static_root),
                )
            )
        for result in results:
            wait_for(result["port"])
        timings = [{page: [] for page in PAGES} for _ in results]
        for round_ in range(WARM_UP + runs):
            for result, timing in zip(results, timings, strict=True):
                for page, (path, who) in PAGES.items():
                    elapsed = get(result["port"], path, result["cookies"][who])
                    if round_ >= WARM_UP:
                        timing[page].append(elapsed)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    for result, timing in zip(results, timings, strict=True):
        result.update({f"{page}_ms": statistics.median(values) * 1000 for page, values in timing.items()})
    return results


def gunicorn():
    return str(Path(sys.executable).parent / "gunicorn")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def get(port, path, cookie):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    assert response.status == 200, (path, response.status, body[:300])
    return elapsed


def setup(size):
    """In the bench database: migrate, seed, time a full refresh, and log the two users in."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bporeg.settings")
    import django

    django.setup()
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portfolio.services import refresh_vendor_health

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", "--vendors", str(size), "--months", str(MONTHS), "--today", TODAY, verbosity=0)
    result = {"vendors": size, "seed_s": time.perf_counter() - started}
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM kpis_measurement")
        result["measurements"] = cursor.fetchone()[0]
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        refresh_vendor_health(today=date.fromisoformat(TODAY))
        result["refresh_s"] = time.perf_counter() - started
    result["refresh_queries"] = len(queries)
    User = get_user_model()
    admin = User.objects.filter(username="admin").first() or User.objects.create_superuser("admin", "", None)
    cookies = {}
    for who, user in (("manager", User.objects.get(username="manager")), ("admin", admin)):
        client = Client()
        client.force_login(user)
        cookies[who] = f"sessionid={client.cookies['sessionid'].value}"
    result["cookies"] = cookies
    with CaptureQueriesContext(connection) as queries:
        Client(HTTP_HOST="127.0.0.1", headers={"Cookie": cookies["manager"]}).get(PAGES["dashboard"][0])
    result["dashboard_queries"] = len(queries)
    return result


def report(results, runs):
    print(f"\nPortfolio dashboard vs Django admin change list — gunicorn (1 sync worker), {MONTHS} months")
    print(f"median of {runs} GETs each over HTTP on loopback, after {WARM_UP} warm-ups\n")
    columns = (
        ("vendors", 7),
        ("measurements", 13),
        ("refresh all", 12),
        ("queries", 8),
        ("dashboard", 11),
        ("queries", 8),
        ("admin list", 11),
    )
    print("  " + " ".join(f"{label:>{width}}" for label, width in columns))
    for r in results:
        print(
            f"  {r['vendors']:>7} {r['measurements']:>13,} {r['refresh_s']:>10.2f} s"
            f" {r['refresh_queries']:>8} {r['dashboard_ms']:>8.1f} ms {r['dashboard_queries']:>8}"
            f" {r['admin_ms']:>8.1f} ms"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        figures = [
            (
                f"dashboard at {large['vendors']:,} ÷ at {small['vendors']:,} vendors",
                large["dashboard_ms"] / small["dashboard_ms"],
                GROWTH_AIM,
            ),
            (
                f"dashboard ÷ admin list at {large['vendors']:,} vendors",
                large["dashboard_ms"] / large["admin_ms"],
                VERSUS_ADMIN_AIM,
            ),
        ]
        print(f"\n  {'':<40} {'measured':>9} {'aim':>7}")
        for label, value, aim in figures:
            verdict = "pass" if value <= aim else "FAIL"
            print(f"  {label:<40} {value:>8.2f}× {'≤ ' + f'{aim:.1f}×':>7}  {verdict}")


if __name__ == "__main__":
    main()

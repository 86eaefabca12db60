#!/usr/bin/env python3
"""bporeg's two commands, with nothing but Python 3.11+ installed:

    python3 dev.py up     install into .venv, migrate, load demo data, run web + Celery worker + beat
    python3 dev.py test   install into .venv (with test tools) and run the whole test suite

Configuration comes from the environment (see README). Without DATABASE_URL / CELERY_BROKER_URL,
`up` uses embedded defaults that need no server: SQLite for data and a SQLite file as Celery's broker.
"""

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
PY = BIN / "python"
CHROMIUM = "/usr/bin/chromium"


def run(*args, **kwargs):
    print("+", " ".join(str(a) for a in args), flush=True)
    return subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def install(extras: str) -> None:
    if not PY.exists():
        run(sys.executable, "-m", "venv", VENV)
    spec = (ROOT / "pyproject.toml").read_bytes() + extras.encode()
    stamp = VENV / ".installed"
    digest = hashlib.sha256(spec).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".")
    stamp.write_text(digest)


def reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=2
        ):
            return True
    except OSError:
        return False


def up() -> None:
    install("")
    env = os.environ.copy()
    env.setdefault("DEBUG", "true")
    (ROOT / "var").mkdir(exist_ok=True)
    print(
        "Database:", env.get("DATABASE_URL", "embedded SQLite file var/bporeg.sqlite3 (DATABASE_URL unset)")
    )
    print(
        "Broker:  ",
        env.get(
            "CELERY_BROKER_URL", "embedded SQLite file var/celery-broker.sqlite3 (CELERY_BROKER_URL unset)"
        ),
    )
    manage = [str(PY), "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input"], check=True, cwd=ROOT, env=env)
    subprocess.run([*manage, "seed_demo"], check=True, cwd=ROOT, env=env)
    port = env.get("PORT", "8000")
    processes = [
        subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}"], cwd=ROOT, env=env),
        subprocess.Popen(
            [str(BIN / "celery"), "-A", "bporeg", "worker", "-l", "info", "--concurrency", "2"],
            cwd=ROOT,
            env=env,
        ),
        subprocess.Popen([str(BIN / "celery"), "-A", "bporeg", "beat", "-l", "info"], cwd=ROOT, env=env),
    ]
    # `kill` or a closing terminal stops the children too, not only Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(
        f"\nbporeg runs at http://127.0.0.1:{port}/ — log in as 'manager' with password 'demo'. "
        "Ctrl-C stops web, worker and beat.\n",
        flush=True,
    )
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in processes:
            p.wait()


def ensure_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        run("apt-get", "update", "-qq")
        run(
            "apt-get",
            "install",
            "-y",
            "-qq",
            "chromium",
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    else:
        sys.exit(f"Browser tests need Debian's Chromium at {CHROMIUM}: sudo apt-get install chromium")


def test(pytest_args: list[str]) -> None:
    install("dev")
    ensure_chromium()
    env = os.environ.copy()
    env.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bporeg")
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    env.setdefault("DEBUG", "true")  # pytest-django turns DEBUG off while tests run
    env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's event loop beside the live server
    for name, url, port in (
        ("PostgreSQL", env["DATABASE_URL"], 5432),
        ("Redis", env["CELERY_BROKER_URL"], 6379),
    ):
        if not reachable(url, port):
            sys.exit(f"{name} is not reachable at {url}; start it (see README, Tests) and run again.")
    started = time.monotonic()
    run(BIN / "ruff", "check", ".")
    run(PY, "manage.py", "makemigrations", "--check", "--dry-run", env=env)
    result = subprocess.run([str(BIN / "pytest"), *pytest_args], cwd=ROOT, env=env)
    print(f"Test command took {time.monotonic() - started:.0f} s.")
    sys.exit(result.returncode)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["help"]
    if command == "up":
        up()
    elif command == "test":
        test(rest)
    else:
        sys.exit(__doc__)

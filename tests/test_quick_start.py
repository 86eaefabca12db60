"""The README's first command runs on the embedded defaults, with no server at all: SQLite for the data
(and for Celery's broker). Every migration and the demo seed must work there as well as on PostgreSQL,
where the rest of the suite runs: a PostgreSQL-only function in a migration once broke `dev.py up` while
every other test stayed green."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERS = ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE")


def manage(*command, var_dir):
    env = {name: value for name, value in os.environ.items() if name not in SERVERS}
    env |= {"DEBUG": "true", "BPOREG_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_quick_start_migrates_and_seeds_the_embedded_sqlite_database(tmp_path):
    migrated = manage("migrate", "--no-input", var_dir=tmp_path)
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    assert (tmp_path / "bporeg.sqlite3").is_file()

    seeded = manage("seed_demo", var_dir=tmp_path)
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    # The logins the README promises are printed.
    assert "manager" in seeded.stdout and "staff-northwind-contact" in seeded.stdout

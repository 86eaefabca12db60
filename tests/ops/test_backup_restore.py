"""ops/backup and ops/restore, run as an operator runs them: a real portfolio is dumped with its
uploads, restored into a fresh database and an empty uploads folder, and every vendor, measurement and
upload record is found there again, each file with the same bytes."""

import os
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection, models
from psycopg import sql

from bporeg.uploads import sample_bytes
from kpis.models import Measurement, Source
from kpis.services import Entry, record_measurements
from tests.factories import (
    CertificationFactory,
    ContractFactory,
    OnboardingPlanFactory,
    OnboardingTaskFactory,
    VendorFactory,
)
from tests.kpis.factories import kpi
from vendors.models import TaskEvidence, Vendor

# pg_dump runs in another process: it sees only committed rows.
pytestmark = pytest.mark.django_db(transaction=True)

OPS = Path(__file__).resolve().parents[2] / "ops"


def database_url(name):
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def server():
    db = connection.settings_dict
    return psycopg.connect(
        dbname="postgres",
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def fresh_database_name():
    name = f"bporeg_backup_restored_{uuid.uuid4().hex[:12]}"
    yield name
    with server() as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def run(script, *args, database, media_root):
    env = {"DATABASE_URL": database_url(database), "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [sys.executable, str(OPS / script), *map(str, args)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def build_portfolio(manager, staff_a, vendor_a, vendor_b):
    vendors = [vendor_a, vendor_b, VendorFactory(name="Cobalt Back Office")]
    entries = [
        Entry(vendor.pk, kpi(code).pk, date(2026, month, 1), Decimal(value), volume)
        for vendor, code, month, value, volume in [
            (vendors[0], "csat", 9, "87.25", 1200),
            (vendors[0], "csat", 10, "84.50", 1310),
            (vendors[1], "csat", 10, "91.00", None),
            (vendors[2], "fcr", 10, "72.125", 530),
        ]
    ]
    record_measurements(entries=entries, source=Source.MANUAL, entered_by=manager)
    plan = OnboardingPlanFactory(vendor=vendor_a, created_by=manager)
    evidence = TaskEvidence(task=OnboardingTaskFactory(plan=plan), uploaded_by=staff_a)
    evidence.file.save("training-plan.docx", ContentFile(sample_bytes("docx")))
    ContractFactory(vendor=vendor_b).signed_document.save("msa.pdf", ContentFile(sample_bytes("pdf")))
    CertificationFactory(vendor=vendor_a).evidence.save("iso.png", ContentFile(sample_bytes("png")))


def upload_records():
    """Every stored file of every model, as (table, column, primary key, file name)."""
    records = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                rows = model.objects.exclude(**{field.name: ""}).values_list("pk", field.name)
                records |= {(model._meta.db_table, field.column, pk, name) for pk, name in rows}
    return records


def restored_rows(name, query):
    db = connection.settings_dict
    with psycopg.connect(dbname=name, host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"]) as restored:
        return set(restored.execute(query).fetchall())


def restored_uploads(name, records):
    found = set()
    for table, column, _pk, _name in records:
        query = sql.SQL("SELECT {}, {}, id, {} FROM {} WHERE {} <> ''").format(
            sql.Literal(table),
            sql.Literal(column),
            sql.Identifier(column),
            sql.Identifier(table),
            sql.Identifier(column),
        )
        found |= restored_rows(name, query.as_string())
    return found


def test_a_backup_restores_every_vendor_measurement_and_upload(
    tmp_path, settings, fresh_database_name, manager, staff_a, vendor_a, vendor_b
):
    build_portfolio(manager, staff_a, vendor_a, vendor_b)
    vendors = set(Vendor.objects.values_list("id", "name", "slug", "status"))
    measurements = set(Measurement.objects.values_list("vendor_id", "kpi_id", "period", "value", "volume"))
    uploads = upload_records()
    assert len(vendors) == 3
    assert len(measurements) == 4
    assert len(uploads) == 3

    backed_up = run(
        "backup",
        tmp_path / "backups",
        database=connection.settings_dict["NAME"],
        media_root=settings.MEDIA_ROOT,
    )
    assert backed_up.returncode == 0, backed_up.stderr
    folder = Path(backed_up.stdout.strip().splitlines()[-1])
    assert (folder / "database.dump").is_file()
    assert "(3 files)" in backed_up.stdout

    new_media_root = tmp_path / "restored-uploads"
    restored = run("restore", folder, database=fresh_database_name, media_root=new_media_root)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"created database {fresh_database_name}" in restored.stdout
    assert "migrations: all applied; 3 vendors, 4 measurements" in restored.stdout

    assert restored_rows(fresh_database_name, "SELECT id, name, slug, status FROM vendors_vendor") == vendors
    assert (
        restored_rows(
            fresh_database_name, "SELECT vendor_id, kpi_id, period, value, volume FROM kpis_measurement"
        )
        == measurements
    )
    assert restored_uploads(fresh_database_name, uploads) == uploads
    for *_, name in uploads:
        assert (new_media_root / name).read_bytes() == (Path(settings.MEDIA_ROOT) / name).read_bytes()

    again = run("restore", folder, "--force", database=fresh_database_name, media_root=new_media_root)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"dropped database {fresh_database_name} (--force)" in again.stdout
    assert "migrations: all applied; 3 vendors, 4 measurements" in again.stdout


def test_restore_refuses_a_database_that_has_tables(tmp_path, settings, vendor_a):
    settings.MEDIA_ROOT.mkdir(parents=True)
    name = connection.settings_dict["NAME"]
    backed_up = run("backup", tmp_path / "backups", database=name, media_root=settings.MEDIA_ROOT)
    folder = Path(backed_up.stdout.strip().splitlines()[-1])

    refused = run("restore", folder, database=name, media_root=tmp_path / "empty")

    assert refused.returncode == 1
    assert f"database {name} already has" in refused.stderr
    assert "or --force" in refused.stderr
    assert Vendor.objects.get() == vendor_a


def test_a_failed_dump_leaves_no_backup_folder(tmp_path, settings):
    failed = run(
        "backup", tmp_path / "backups", database="bporeg_backup_missing", media_root=settings.MEDIA_ROOT
    )

    assert failed.returncode == 1
    assert "pg_dump failed" in failed.stderr
    assert list((tmp_path / "backups").iterdir()) == []


def test_a_damaged_dump_is_refused_before_force_drops_anything(tmp_path, settings, vendor_a):
    settings.MEDIA_ROOT.mkdir(parents=True)
    name = connection.settings_dict["NAME"]
    backed_up = run("backup", tmp_path / "backups", database=name, media_root=settings.MEDIA_ROOT)
    folder = Path(backed_up.stdout.strip().splitlines()[-1])
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-4096])  # cut short, as by a full disk

    refused = run("restore", folder, "--force", database=name, media_root=tmp_path / "empty")

    assert refused.returncode == 1
    assert "is not a whole pg_dump archive" in refused.stderr
    assert "dropped database" not in refused.stdout
    assert Vendor.objects.get() == vendor_a


def test_a_backup_is_readable_by_its_owner_only(tmp_path, settings):
    settings.MEDIA_ROOT.mkdir(parents=True)
    backed_up = run(
        "backup",
        tmp_path / "backups",
        database=connection.settings_dict["NAME"],
        media_root=settings.MEDIA_ROOT,
    )
    folder = Path(backed_up.stdout.strip().splitlines()[-1])
    # Password hashes, API tokens and sessions are in the dump.
    assert folder.stat().st_mode & 0o077 == 0
    assert (folder / "database.dump").stat().st_mode & 0o077 == 0

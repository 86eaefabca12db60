"""What `backup` and `restore` read from bporeg's own settings: the database to dump or fill, and where
the uploads live. Reading the settings (rather than parsing DATABASE_URL again here) means the tools
see exactly the database and folder that bporeg itself uses."""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def load_settings():
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bporeg.settings")
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(
            "bporeg's database is not PostgreSQL (no DATABASE_URL?): the development SQLite "
            "database is the file var/bporeg.sqlite3, copy it with the rest of var/."
        )
    return settings


def libpq_env(database, name=None):
    """The environment for pg_dump, pg_restore and psql: a password never appears on a command line."""
    env = dict(os.environ)
    values = {
        "PGHOST": database.get("HOST"),
        "PGPORT": database.get("PORT"),
        "PGUSER": database.get("USER"),
        "PGPASSWORD": database.get("PASSWORD"),
        "PGDATABASE": name or database["NAME"],
    }
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def bucket_name():
    """The uploads' bucket when they are in object storage, else empty (they are under MEDIA_ROOT)."""
    return os.environ.get("AWS_STORAGE_BUCKET_NAME", "")

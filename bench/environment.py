"""Process environment for harness runs: data dir, database and settings, set before Django starts.

The product's settings read ``PASAR_DATA_DIR`` and ``DATABASE_URL`` at import, so they are
fixed here once per process; the gunicorn server under test gets the same variables.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = "bench.settings"
# Variables that would change what the server under test does; a run sets them all itself.
_OWNED = ("PASAR_DEBUG", "PASAR_STATIC_FINDERS", "PASAR_STATICFILES_STORAGE", "PASAR_SERVE_MEDIA")


def configure(*, data_dir: str | Path | None, database_url: str | None) -> Path:
    """Point this process at a data dir and database (SQLite unless ``database_url``) and set Django up."""
    path = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="pasar-bench-"))
    path.mkdir(parents=True, exist_ok=True)
    os.environ.update(server_environment(path.resolve(), database_url))
    for name in _OWNED:
        os.environ.pop(name, None)
    if not database_url:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    return path.resolve()


def server_environment(data_dir: Path, database_url: str | None) -> dict[str, str]:
    """What the harness process and the gunicorn server share."""
    env = {
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "PASAR_DATA_DIR": str(data_dir),
        "PASAR_LOG_LEVEL": "WARNING",
        "PASAR_SECRET_KEY": "bench-only-secret-key-for-the-server-under-test-0123456789",
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p),
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def database_label() -> str:
    """``sqlite 3.40.1 (/tmp/.../pasar.sqlite3)`` or ``postgresql 15.x (dbname)``, for reports."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        import sqlite3

        return f"sqlite {sqlite3.sqlite_version} ({connection.settings_dict['NAME']})"
    version = connection.pg_version if hasattr(connection, "pg_version") else ""
    major, minor = divmod(int(version or 0), 10000)
    return f"{connection.vendor} {major}.{minor} ({connection.settings_dict['NAME']})"


def backend() -> str:
    from django.db import connection

    return "postgresql" if connection.vendor == "postgresql" else "sqlite"

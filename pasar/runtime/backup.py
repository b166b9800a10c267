"""Backups that restore: one archive holding the database and the uploaded files.

``pasar backup`` writes ``pasar-backup-YYYYmmdd-HHMMSS.tar.gz`` with

- ``manifest.json``: engine, time, applied migrations and the row count of every table;
- ``database.sqlite3`` (SQLite's online backup API: consistent while the app keeps writing) or
  ``database.dump`` (``pg_dump --format=custom``, one consistent snapshot);
- the uploaded files (``media/``, and every other folder in ``PASAR_BACKUP_FILE_DIRS``).

``pasar restore ARCHIVE`` puts it back into an empty database of the same engine (it refuses a
database that holds data unless ``--force``) and checks every table's row count against the manifest.
Moving between engines is not a restore: use ``dumpdata``/``loaddata``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.tasks import task
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


FORMAT = 1
PREFIX = "pasar-backup-"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.dump"


@dataclass(frozen=True)
class Restored:
    archive: Path
    tables: int
    rows: int


def _tables() -> list[Any]:
    """Every concrete model whose table lives in this database (ours, Django's, the task queue's)."""
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed and not m._meta.proxy]


def row_counts() -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    return {m._meta.db_table: m._default_manager.count() for m in _tables() if m._meta.db_table in existing}


def _migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _file_dirs() -> dict[str, Path]:
    return {name: Path(path) for name, path in settings.PASAR_BACKUP_FILE_DIRS.items()}


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return env, args


def _dump_database(folder: Path) -> str:
    if connection.vendor == "sqlite":
        target = folder / SQLITE_NAME
        source = sqlite3.connect(str(connection.settings_dict["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return SQLITE_NAME
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / PG_NAME)]
        _run(command + args, env)
        return PG_NAME
    raise BackupError(f"backups support SQLite and PostgreSQL, not {connection.vendor}")


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)  # noqa: S603 - fixed tools
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)") from exc
    except subprocess.CalledProcessError as exc:
        raise BackupError(f"{command[0]} failed: {exc.stderr.strip()[-500:]}") from exc


def backup(destination: Path | None = None, *, files: bool = True, now: datetime | None = None) -> Path:
    """Write one archive into ``destination`` (default ``PASAR_BACKUP_DIR``); its path."""
    destination = Path(destination or settings.PASAR_BACKUP_DIR)
    destination.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    archive = destination / f"{PREFIX}{stamp}.tar.gz"
    with tempfile.TemporaryDirectory(dir=destination, prefix=".backup-") as work:
        folder = Path(work)
        # Counts first, then the dump: a row written in between is in the dump, and restore only
        # checks that no table came back with fewer rows than the manifest says.
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "engine": connection.vendor,
            "migrations": _migrations(),
            "rows": row_counts(),
        }
        database_file = _dump_database(folder)
        manifest["database_file"] = database_file
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = archive.with_suffix(".partial")
        with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
            tar.add(folder / "manifest.json", arcname="manifest.json")
            tar.add(folder / database_file, arcname=database_file)
            if files:
                for name, path in _file_dirs().items():
                    if path.is_dir():
                        tar.add(path, arcname=f"files/{name}")
        partial.rename(archive)  # a half-written archive never carries the final name
    return archive


def prune(folder: Path | None = None, *, keep: int | None = None) -> list[Path]:
    """Delete all but the ``keep`` newest archives in ``folder``; the deleted paths."""
    folder = Path(folder or settings.PASAR_BACKUP_DIR)
    keep = settings.PASAR_BACKUP_KEEP if keep is None else keep
    archives = sorted(folder.glob(f"{PREFIX}*.tar.gz"))
    old = archives[:-keep] if keep > 0 else archives
    for path in old:
        path.unlink()
    return old


def _has_data() -> bool:
    counts = row_counts()
    ignored = {"django_migrations", "django_content_type", "auth_permission", "django_session"}
    return any(rows for table, rows in counts.items() if table not in ignored)


def restore(archive: Path, *, force: bool = False) -> Restored:
    """Put ``archive`` back into this installation's database and file folders."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no backup at {archive}")
    with tempfile.TemporaryDirectory(prefix="pasar-restore-") as work:
        folder = Path(work)
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(folder, filter="data")  # refuses absolute paths, links out, devices
        manifest = json.loads((folder / "manifest.json").read_text())
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        if manifest["engine"] != connection.vendor:
            raise BackupError(
                f"this backup is of a {manifest['engine']} database; this installation runs {connection.vendor}"
            )
        if not force and connection.introspection.table_names() and _has_data():
            raise BackupError("the database already holds data: restore into an empty one, or pass --force")
        _restore_database(folder / manifest["database_file"])
        _restore_files(folder / "files")
    return _verify(archive, manifest["rows"])


def _restore_database(dump: Path) -> None:
    if connection.vendor == "sqlite":
        target = Path(str(connection.settings_dict["NAME"]))
        connections.close_all()
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        restored = sqlite3.connect(str(dump))
        live = sqlite3.connect(str(target))
        try:
            with live:
                restored.backup(live)  # page by page into the live file, WAL mode kept by the next connection
        finally:
            live.close()
            restored.close()
        return
    env, args = _pg_env_and_args()
    connections.close_all()
    command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    _run([*command, *args, str(dump)], env)


def _restore_files(folder: Path) -> None:
    for name, target in _file_dirs().items():
        source = folder / name
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, target, dirs_exist_ok=True)


def _verify(archive: Path, expected: dict[str, int]) -> Restored:
    actual = row_counts()
    short = {t: (n, actual.get(t, 0)) for t, n in expected.items() if actual.get(t, 0) < n}
    if short:
        listing = ", ".join(f"{t} {got}/{want}" for t, (want, got) in sorted(short.items()))
        raise BackupError(f"restore incomplete: {listing}")
    return Restored(archive=archive, tables=len(expected), rows=sum(expected.values()))


@task()
def backup_nightly() -> dict[str, object]:
    """The scheduler's nightly backup (``runtime.backup`` job) with retention."""
    archive = backup()
    removed = prune()
    return {"archive": str(archive), "bytes": archive.stat().st_size, "pruned": [p.name for p in removed]}

"""Backup → restore round trips into an empty database of each engine, checked row by row.

The restore runs in a separate process pointed at a new, empty database (as an operator restoring
onto a fresh machine would), so these tests run on the real clock.
"""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from pasar.orders.models import Order
from pasar.payments.models import Entry, Posting
from pasar.runtime import backup

pytestmark = [pytest.mark.wall_clock, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def market_history(settings, tmp_path):
    """Demo markets with two days of delivered orders posted to the ledger, and an uploaded photo."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    settings.PASAR_BACKUP_FILE_DIRS = {"media": media}
    call_command("load_demo", history_days=2, stdout=StringIO())
    (media / "products").mkdir(parents=True)
    (media / "products" / "tomat.webp").write_bytes(b"RIFF-photo-bytes")
    orders = sorted(Order.objects.values_list("pk", "goods_total"))
    entries = sorted(Entry.objects.values_list("pk", flat=True))
    assert orders
    assert entries
    return {"orders": orders, "entries": entries, "postings": Posting.objects.count()}


def pasar(args, env, cwd):
    command = [sys.executable, "-m", "pasar.cli", *args]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "PASAR_", "DJANGO_"))}
    return subprocess.run(  # noqa: S603 - our own interpreter and command
        command,
        env={**base, "DJANGO_SETTINGS_MODULE": "pasar.settings", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_sqlite_backup_restores_into_an_empty_installation_with_every_order_and_ledger_entry(market_history, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has its own")
    archive = backup.backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "database.sqlite3", "files/media/products/tomat.webp"} <= names

    fresh = tmp_path / "fresh"
    done = pasar(["restore", str(archive)], {"PASAR_DATA_DIR": str(fresh)}, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout

    restored = sqlite3.connect(fresh / "pasar.sqlite3")
    assert sorted(restored.execute("SELECT id, goods_total FROM orders_order")) == market_history["orders"]
    assert sorted(r[0] for r in restored.execute("SELECT id FROM payments_entry")) == market_history["entries"]
    (unbalanced,) = restored.execute(
        "SELECT COUNT(*) FROM (SELECT entry_id FROM payments_posting GROUP BY entry_id HAVING SUM(amount) != 0)"
    ).fetchone()
    assert unbalanced == 0
    assert (fresh / "media" / "products" / "tomat.webp").read_bytes() == b"RIFF-photo-bytes"

    again = pasar(["restore", str(archive)], {"PASAR_DATA_DIR": str(fresh)}, tmp_path)
    assert again.returncode != 0
    assert "already holds data" in again.stderr  # a restore never overwrites a live market by accident


def test_postgres_backup_restores_into_an_empty_database(market_history, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL round trip; SQLite has its own")
    archive = backup.backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest = json.loads(member.read())
    assert manifest["engine"] == "postgresql"
    assert manifest["rows"]["orders_order"] == len(market_history["orders"])

    db = connection.settings_dict
    name = f"pasar_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
        env = {"DATABASE_URL": url, "PASAR_DATA_DIR": str(tmp_path / "fresh")}
        done = pasar(["restore", str(archive)], env, tmp_path)
        assert done.returncode == 0, done.stderr
        import psycopg

        with psycopg.connect(url) as restored:
            orders = sorted(restored.execute("SELECT id, goods_total FROM orders_order").fetchall())
            entries = sorted(r[0] for r in restored.execute("SELECT id FROM payments_entry"))
            row = restored.execute(
                "SELECT COUNT(*) FROM (SELECT entry_id FROM payments_posting GROUP BY entry_id"
                " HAVING SUM(amount) != 0) AS t"
            ).fetchone()
            assert row is not None
            unbalanced = row[0]
        assert orders == market_history["orders"]
        assert entries == market_history["entries"]
        assert unbalanced == 0
        assert (tmp_path / "fresh" / "media" / "products" / "tomat.webp").exists()
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_refuses_another_engines_backup_and_a_missing_file(tmp_path, settings):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "manifest.json").write_text(json.dumps({"format": 1, "engine": other, "rows": {}}))
    archive = tmp_path / "pasar-backup-x.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(folder / "manifest.json", arcname="manifest.json")
    with pytest.raises(backup.BackupError, match=f"backup is of a {other} database"):
        backup.restore(archive)
    with pytest.raises(backup.BackupError, match="no backup at"):
        backup.restore(tmp_path / "nothing.tar.gz")


def test_prune_keeps_the_newest_archives(tmp_path):
    for stamp in ("20261201-020000", "20261202-020000", "20261203-020000"):
        (tmp_path / f"pasar-backup-{stamp}.tar.gz").write_bytes(b"x")
    (tmp_path / "notes.txt").write_text("kept")
    removed = backup.prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["pasar-backup-20261201-020000.tar.gz"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt",
        "pasar-backup-20261202-020000.tar.gz",
        "pasar-backup-20261203-020000.tar.gz",
    ]


def test_the_nightly_job_enqueues_a_backup_only_when_enabled(settings, tmp_path):
    from pasar.runtime import schedule
    from pasar.runtime.periodic import Run

    settings.PASAR_BACKUP_DIR = tmp_path
    settings.PASAR_BACKUP_FILE_DIRS = {}
    settings.PASAR_BACKUP_NIGHTLY = False
    from django.utils import timezone

    run = Run(due_at=timezone.now(), previous=None)
    assert schedule.nightly_backup(run) is None
    assert list(tmp_path.iterdir()) == []
    settings.PASAR_BACKUP_NIGHTLY = True
    assert str(schedule.nightly_backup(run)).startswith("enqueued")  # tests run tasks at once
    assert len(list(Path(tmp_path).glob("pasar-backup-*.tar.gz"))) == 1

"""`pasar messages --json [--data-dir DIR]`: every recorded message, with `to` in E.164 and the rendered text."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from pasar.notifications.records import message_record

pytestmark = pytest.mark.django_db


def test_messages_json_prints_the_outbox(capsys, settings):
    settings.PASAR_WHATSAPP_PROVIDER = "fake"
    message_record(
        key="a", channel="whatsapp", to="+6281234500001", text="Daftar belanja Anda", category="service", sender="x"
    )
    message_record(
        key="b", channel="whatsapp", to="+6281234500002", text="Pesanan baru A1", category="utility",
        kind="template", template="pesanan_baru_lapak", params=["A1"],
    )  # fmt: skip
    call_command("messages", "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [r["to"] for r in rows] == ["+6281234500001", "+6281234500002"]
    assert rows[0]["text"] == "Daftar belanja Anda"
    assert rows[1]["template"] == "pesanan_baru_lapak"
    assert {"to", "text", "template", "status", "created_at"} <= rows[0].keys()
    assert rows[0]["status"] == "queued"


def pasar(*args, cwd):
    env = {k: v for k, v in os.environ.items() if k not in {"PASAR_DATA_DIR", "DATABASE_URL", "PASAR_TEST_DB_NAME"}}
    command = [sys.executable, "-m", "pasar.cli", *args]
    return subprocess.run(  # noqa: S603 - the test's own interpreter and a fixed command
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=180, check=False
    )


def test_the_console_script_reads_the_data_dir(tmp_path):
    migrated = pasar("migrate", "--verbosity", "0", cwd=tmp_path)
    assert migrated.returncode == 0, migrated.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    # From another folder, --data-dir names the demo's folder (./var by default).
    printed = pasar("messages", "--json", "--data-dir", str(tmp_path / "var"), cwd=elsewhere)
    assert printed.returncode == 0, printed.stderr
    assert json.loads(printed.stdout) == []
    assert not (elsewhere / "var").exists()

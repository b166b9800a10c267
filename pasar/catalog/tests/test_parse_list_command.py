"""``pasar parse-list``: a list on standard input → a JSON array on standard output."""

import io
import json
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

KEYS = ["raw", "item", "quantity", "unit", "note"]
PASAR = Path(sys.executable).parent / "pasar"


def _run(data: bytes) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(PASAR), "parse-list"], input=data, capture_output=True, timeout=60, check=False)


def test_the_console_command_prints_one_object_per_item_in_order():
    done = _run("bawang merah 1/4\ncabe rawit 5rb, telor sekilo\nayam 1 ekor potong 8 🐔\nsabun\n".encode())

    assert done.returncode == 0, done.stderr
    items = json.loads(done.stdout.decode("utf-8"))
    assert [list(item) for item in items] == [KEYS] * 5
    assert items[0] == {"raw": "bawang merah 1/4", "item": "bawang merah", "quantity": 0.25, "unit": "kg", "note": ""}
    assert items[1] == {"raw": "cabe rawit 5rb", "item": "cabai rawit merah", "quantity": 5000, "unit": "rupiah",
                        "note": ""}  # fmt: skip
    assert items[2]["raw"] == "telor sekilo"
    assert items[3]["note"] == "potong 8 🐔"  # UTF-8, not \\u escapes
    assert "🐔".encode() in done.stdout
    assert items[4] == {"raw": "sabun", "item": None, "quantity": None, "unit": None, "note": ""}


def test_empty_input_prints_an_empty_array():
    done = _run(b"")

    assert (done.returncode, done.stdout.strip()) == (0, b"[]")


def test_bytes_that_are_not_utf8_do_not_crash_it():
    done = _run(b"tempe 2 papan\n\xff\xfe garam\n")

    assert done.returncode == 0, done.stderr
    assert [item["item"] for item in json.loads(done.stdout)] == ["tempe", "garam"]


def test_a_ten_thousand_line_paste_is_not_limited():
    done = _run(("kangkung 2 ikat\n" * 10_000).encode())

    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)) == 10_000


def test_the_management_command_is_the_same(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("tempe 2 papan; kangkung goceng"))
    out = io.StringIO()

    call_command("parse_list", stdout=out)

    assert json.loads(out.getvalue()) == [
        {"raw": "tempe 2 papan", "item": "tempe", "quantity": 2, "unit": "papan", "note": ""},
        {"raw": "kangkung goceng", "item": "kangkung", "quantity": 5000, "unit": "rupiah", "note": ""},
    ]

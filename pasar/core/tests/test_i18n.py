"""Bahasa Indonesia is the first language: every UI string must have its translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

PASAR = Path(__file__).resolve().parents[2]
PO_FILE = PASAR / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _catalog():
    with PO_FILE.open("rb") as handle:
        return read_po(handle)


def test_every_indonesian_message_is_translated():
    missing = [m.id for m in _catalog() if m.id and (not m.string or m.fuzzy or m.string == ("",))]
    assert missing == []


def test_compiled_catalog_matches_the_po_file():
    """The committed .mo serves what the .po says (run `make messages` after editing it)."""
    stale = []
    with translation.override("id"):
        for message in _catalog():
            if not message.id or message.pluralizable or message.context:
                continue
            if translation.gettext(message.id) != message.string:
                stale.append(message.id)
    assert stale == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_po_file_lists_every_string_in_the_code(tmp_path):
    """A string added to a template or module without running `make messages` fails here."""
    workdir = tmp_path / "pasar"
    shutil.copytree(PASAR, workdir, ignore=shutil.ignore_patterns("__pycache__", "tests", "testing", "locale"))
    (workdir / "locale").mkdir()
    django_admin = Path(sys.executable).with_name("django-admin")
    subprocess.run(
        [str(django_admin), "makemessages", "-l", "id", "--no-location", "--no-wrap"],
        cwd=workdir,
        check=True,
        capture_output=True,
        env={"PATH": f"{django_admin.parent}:/usr/bin:/bin"},
    )
    with (workdir / "locale" / "id" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    have = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog() if m.id}
    assert sorted(wanted - have) == []

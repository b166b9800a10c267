"""Fill pasar/locale/id/LC_MESSAGES/django.po from dicts of translations, keeping existing ones.

Usage: uv run python scripts/fill_translations.py FILE.py [...]  (each file defines dicts of msgid → msgstr;
a plural msgid is a (singular, plural) tuple; Indonesian has one plural form). Prints what is still missing.
Then run `make messages` to compile.
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "pasar" / "locale" / "id" / "LC_MESSAGES" / "django.po"


def main(paths: list[str]) -> int:
    table: dict[object, str] = {}
    for path in paths:
        for name, value in runpy.run_path(path).items():
            if not name.startswith("_") and isinstance(value, dict):
                table.update({k: v for k, v in value.items() if isinstance(v, str)})
    po = polib.pofile(str(PO), wrapwidth=0)
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "id"
    missing = []
    for entry in po:
        key = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
        if key in table:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: table[key]}
            else:
                entry.msgstr = table[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.translated():
            missing.append(key)
    po.save()
    for key in missing:
        print("MISSING:", repr(key))
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Reading the trader lists ("data pedagang") that dinas keep in spreadsheets.

Pure functions, no database: ``read_table`` turns an uploaded file's bytes into raw rows
(or one file-level problem), ``check_rows`` checks each row against what the caller says
the market already holds. Nothing here raises on bad input: every refusal is a value, so
the upload page can always explain what is wrong.
"""

import csv
import functools
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pasar.core.money import format_number
from pasar.core.phone import normalize_phone
from pasar.core.spreadsheet import is_formula

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# Blank but formatted rows still cost parsing time; past this many rows read, stop anyway.
MAX_ROWS_SCANNED = 4 * MAX_ROWS
MAX_UNPACKED_BYTES = 20 * MAX_BYTES  # an .xlsx is a zip: refuse zip bombs before opening it
MAX_UNSIZED_SHEET_BYTES = 10 * 1024 * 1024
MAX_COLUMNS = 30
HEADER_SEARCH_ROWS = 10  # dinas sheets often carry a title line or two above the header
KEEP_CHARS = 130  # longer than any field, so "too long" can still be reported

# Column key → accepted headers ("|"-separated), as ``_key`` normalises them (lowercase, punctuation to spaces).
HEADERS: dict[str, str] = {
    "name": "nama|nama pedagang|nama lengkap|pedagang|nama pemilik",
    "phone": "telepon|no hp|hp|whatsapp|no telepon|no telp|telp|nomor hp|nomor telepon|no wa|wa|no hp wa"
    "|nomor whatsapp|no whatsapp|handphone|no handphone",
    "block": "blok",
    "row": "los",
    "number": "nomor|no kios|no los|nomor lapak|no lapak|nomor kios|nomor los|no tempat|nomor tempat|no petak",
    "category": "kategori|jenis dagangan|dagangan|jenis usaha|komoditas",
    "kind": "jenis lapak|jenis tempat|tipe lapak|jenis kios",
    "stall_name": "nama lapak|nama kios|nama toko|nama usaha",
}
REQUIRED = ("name", "phone", "number", "category")
COLUMN_LABELS = {"name": "nama", "phone": "telepon", "number": "nomor", "category": "kategori"}
_BY_HEADER = {alias: key for key, aliases in HEADERS.items() for alias in aliases.split("|")}

# Category slug → words people write for it (used only if the slug exists).
CATEGORY_WORDS: dict[str, str] = {
    "sayur": "sayur|sayuran|sayur mayur",
    "bumbu": "bumbu|rempah|bumbu dapur",
    "buah": "buah|buahan|buah buahan",
    "daging": "daging|ayam|telur|unggas",
    "ikan": "ikan|seafood|hasil laut",
    "sembako": "sembako|beras|kelontong",
    "tahu-tempe": "tahu|tempe|tahu tempe",
    "jajanan": "jajanan|kue|jajan pasar",
    "pakaian": "pakaian|konveksi|baju|kain|sandang",
    "perabot": "perabot|perabotan|alat rumah tangga",
}
CATEGORY_ALIASES = {word: slug for slug, words in CATEGORY_WORDS.items() for word in words.split("|")}
KINDS = ("lapak", "kios", "los")

PROBLEMS = {
    "name_missing": gettext_lazy("Name is missing."),
    "phone_invalid": gettext_lazy("Phone number is missing or not a valid Indonesian number."),
    "phone_duplicate": gettext_lazy("Same phone number as row %(line)s."),
    "number_missing": gettext_lazy("Stall number is missing."),
    "stall_duplicate": gettext_lazy("Same stall (block, los, number) as row %(line)s."),
    "stall_taken": gettext_lazy("This stall is already registered in the market."),
    "category_missing": gettext_lazy("Category is missing."),
    "category_unknown": gettext_lazy("Unknown category “%(value)s”."),
    "kind_unknown": gettext_lazy("Unknown stall type “%(value)s” (use lapak, kios or los)."),
    "too_long": gettext_lazy("“%(value)s” is too long."),
    "formula_text": gettext_lazy(
        "“%(value)s” starts with %(sign)s, so a spreadsheet would run it as a formula: remove the sign."
    ),
}
NOTES = {"phone_known": gettext_lazy("This phone already has an account: the stall is added to it, no new PIN.")}
MAX_LENGTHS = {"name": 120, "block": 10, "row": 10, "number": 10, "stall_name": 120}
# Text columns stored as typed (the phone is normalised to +62…, so it is never a formula).
TEXT_COLUMNS = ("name", "block", "row", "number", "category", "kind", "stall_name")


@dataclass(frozen=True)
class FileProblem:
    """Why a whole file is refused; ``message`` is translated for display."""

    code: str
    message: str


@dataclass
class ImportRow:
    """One data row as read (``line`` is the row number in the sheet) and what is wrong with it."""

    line: int
    name: str = ""
    phone: str = ""
    block: str = ""
    row: str = ""
    number: str = ""
    category: str = ""
    kind: str = ""
    stall_name: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def location(self) -> tuple[str, str, str]:
        return (self.block.strip().upper(), self.row.strip().upper(), self.number.strip().upper())

    def reasons(self) -> list[str]:
        return [str(PROBLEMS[p["code"]]) % p for p in self.problems if p.get("code") in PROBLEMS]

    def remarks(self) -> list[str]:
        return [str(NOTES[n]) for n in self.notes if n in NOTES]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "ImportRow":
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)

    def raw(self) -> "ImportRow":
        """The row as read, without the verdict (to check it again later)."""
        return ImportRow(**{**self.as_dict(), "problems": [], "notes": []})


@dataclass
class Table:
    rows: list[ImportRow] = field(default_factory=list)
    problem: FileProblem | None = None


@dataclass(frozen=True)
class MarketState:
    """What the database says at checking time, passed in so this module stays pure."""

    categories: Mapping[str, str]  # slug → name
    taken: frozenset[tuple[str, str, str]] = frozenset()  # (block, row, number), upper-cased
    known_phones: frozenset[str] = frozenset()  # E.164 numbers that already have an account


# phonenumbers takes ~0.1 ms a call; a 5,000-row list asks for each number three times.
e164 = functools.lru_cache(maxsize=MAX_ROWS)(normalize_phone)


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _text(value: object) -> str:
    """A cell as text; whole floats lose their ``.0`` (Excel stores 12 and 81234567890 as floats)."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e16 else str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return " ".join(str(value).split())[:KEEP_CHARS]


def _problem(code: str, **params: object) -> FileProblem:
    messages = {
        "file_type": _("Upload an Excel file (.xlsx) or a CSV file."),
        "xls_old": _("Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV and upload again."),
        "file_too_large": _("The file is larger than 5 MB."),
        "unreadable": _("This file cannot be read as a spreadsheet."),
        "encoding": _("The CSV file is not UTF-8 text: in Excel save it as “CSV UTF-8”."),
        "empty": _("The sheet is empty."),
        "no_header": _(
            "No header row found: the first row must name the columns (nama, telepon, blok, los, nomor, kategori)."
        ),
        "columns_missing": _("Columns missing: %(columns)s."),
        "no_rows": _("The sheet has a header but no trader rows."),
        "formula": _(
            "Cell %(cell)s contains a formula: remove formulas (copy the sheet, paste values only) and upload again."
        ),
        "too_many_rows": _("The file has more than %(max)s rows: split the file and upload the parts one by one."),
    }
    return FileProblem(code, messages[code] % params if params else messages[code])


class _Refused(Exception):  # noqa: N818 - internal control flow, never leaves this module
    def __init__(self, problem: FileProblem) -> None:
        self.problem = problem


def _csv_cells(data: bytes) -> Iterator[tuple[int, list[object]]]:
    if b"\x00" in data[:4096]:
        raise _Refused(_problem("unreadable"))
    sample = data[:65536].decode("utf-8", "ignore")
    counts = {d: sample.count(d) for d in (";", ",", "\t")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    text = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    try:
        for line, cells in enumerate(csv.reader(text, delimiter=delimiter), start=1):
            yield line, list(cells[:MAX_COLUMNS])
    except UnicodeDecodeError as exc:
        raise _Refused(_problem("encoding")) from exc
    except csv.Error as exc:
        raise _Refused(_problem("unreadable")) from exc


def _check_archive(data: bytes) -> None:
    """Refuse zip bombs, and big sheets that openpyxl would scan end to end before the first row.

    A sheet without a ``<dimension>`` element (some exporters omit it) makes openpyxl's read-only
    mode parse the whole sheet to size it; past ``MAX_UNSIZED_SHEET_BYTES`` such a sheet cannot
    hold only 5,000 rows of a trader list (2 KB a row), so it is refused as too long unread.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
            raise _Refused(_problem("file_too_large"))
        for info in infos:
            if info.filename.startswith("xl/worksheets/") and info.file_size > MAX_UNSIZED_SHEET_BYTES:
                with archive.open(info) as sheet:
                    head = sheet.read(65536).split(b"sheetData", 1)[0]
                if not re.search(rb"<(\w+:)?dimension\b", head):
                    raise _Refused(_problem("too_many_rows", max=format_number(MAX_ROWS)))


def _xlsx_cells(data: bytes) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook  # imported here: only uploads of .xlsx pay for it
    from openpyxl.utils import get_column_letter

    try:
        _check_archive(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except _Refused:
        raise
    except Exception as exc:  # openpyxl and zipfile raise many kinds on damaged files
        raise _Refused(_problem("unreadable")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None or not hasattr(sheet, "iter_rows"):
            return
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for line, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
                values: list[object] = []
                for column, cell in enumerate(cells, start=1):
                    if getattr(cell, "data_type", None) == "f":
                        raise _Refused(_problem("formula", cell=f"{get_column_letter(column)}{line}"))
                    values.append(getattr(cell, "value", None))
                yield line, values
    except _Refused:
        raise
    except Exception as exc:
        raise _Refused(_problem("unreadable")) from exc
    finally:
        workbook.close()


def _cells_for(filename: str, data: bytes) -> Iterator[tuple[int, list[object]]]:
    name = filename.lower().strip()
    if name.endswith(".xls"):
        raise _Refused(_problem("xls_old"))
    if len(data) > MAX_BYTES:
        raise _Refused(_problem("file_too_large"))
    if name.endswith(".csv"):
        return _csv_cells(data)
    if name.endswith(".xlsx"):
        return _xlsx_cells(data)
    raise _Refused(_problem("file_type"))


def _header(cells: list[str]) -> dict[int, str]:
    """Column index → column key for a header row (first occurrence of a key wins)."""
    columns: dict[int, str] = {}
    for index, value in enumerate(cells):
        key = _BY_HEADER.get(_key(value))
        if key and key not in columns.values():
            columns[index] = key
    return columns


def _rows(source: Iterable[tuple[int, list[object]]]) -> Table:
    columns: dict[int, str] | None = None
    seen_content = 0
    rows: list[ImportRow] = []
    for scanned, (line, cells) in enumerate(source, start=1):
        if scanned > MAX_ROWS_SCANNED:
            return Table(problem=_problem("too_many_rows", max=format_number(MAX_ROWS)))
        values = [_text(c) for c in cells]
        if not any(values):
            continue
        seen_content += 1
        if columns is None:
            found = _header(values)
            if len(found) >= 2:
                missing = [COLUMN_LABELS[k] for k in REQUIRED if k not in found.values()]
                if missing:
                    return Table(problem=_problem("columns_missing", columns=", ".join(missing)))
                columns = found
            elif seen_content >= HEADER_SEARCH_ROWS:
                return Table(problem=_problem("no_header"))
            continue
        if len(rows) >= MAX_ROWS:
            return Table(problem=_problem("too_many_rows", max=format_number(MAX_ROWS)))
        row = ImportRow(line=line)
        for index, key in columns.items():
            if index < len(values):
                setattr(row, key, values[index])
        rows.append(row)
    if seen_content == 0:
        return Table(problem=_problem("empty"))
    if columns is None:
        return Table(problem=_problem("no_header"))
    if not rows:
        return Table(problem=_problem("no_rows"))
    return Table(rows=rows)


def read_table(filename: str, data: bytes) -> Table:
    """Rows of a trader list (.csv or .xlsx), or the one problem that refuses the whole file.

    Rows are counted while streaming, so a huge sheet is refused after ``MAX_ROWS`` rows
    without reading the rest.
    """
    try:
        return _rows(_cells_for(filename, data))
    except _Refused as refused:
        return Table(problem=refused.problem)


def category_slug(text: str, categories: Mapping[str, str]) -> str | None:
    """Match a category by slug, name or a common word for it, ignoring case and punctuation."""
    wanted = _key(text)
    if not wanted:
        return None
    for slug, name in categories.items():
        if wanted in (_key(slug), _key(name)):
            return slug
    alias = CATEGORY_ALIASES.get(wanted)
    return alias if alias in categories else None


def stall_kind(text: str) -> str | None:
    """``lapak``/``kios``/``los`` written any case; None for anything else (empty included)."""
    kind = _key(text)
    return kind if kind in KINDS else None


def check_rows(rows: Iterable[ImportRow], *, state: MarketState) -> list[ImportRow]:
    """Each row again with its problems: bad values, duplicates inside the file, stalls already taken."""
    checked: list[ImportRow] = []
    phones: dict[str, int] = {}
    stalls: dict[tuple[str, str, str], int] = {}
    for source in rows:
        row = source.raw()
        problems = row.problems
        if not row.name.strip():
            problems.append({"code": "name_missing"})
        phone = e164(row.phone)
        if phone is None:
            problems.append({"code": "phone_invalid"})
        elif phone in phones:
            problems.append({"code": "phone_duplicate", "line": phones[phone]})
        else:
            phones[phone] = row.line
            if phone in state.known_phones:
                row.notes.append("phone_known")
        if not row.number.strip():
            problems.append({"code": "number_missing"})
        elif row.location in stalls:
            problems.append({"code": "stall_duplicate", "line": stalls[row.location]})
        else:
            stalls[row.location] = row.line
            if row.location in state.taken:
                problems.append({"code": "stall_taken"})
        if not row.category.strip():
            problems.append({"code": "category_missing"})
        elif category_slug(row.category, state.categories) is None:
            problems.append({"code": "category_unknown", "value": row.category})
        if row.kind.strip() and stall_kind(row.kind) is None:
            problems.append({"code": "kind_unknown", "value": row.kind})
        for key, limit in MAX_LENGTHS.items():
            value = getattr(row, key)
            if len(value.strip()) > limit:
                problems.append({"code": "too_long", "value": value[:20] + "…"})
        for key in TEXT_COLUMNS:  # CSV/formula injection: such a cell would run in the dinas's exports
            value = getattr(row, key).strip()
            if is_formula(value):
                problems.append({"code": "formula_text", "value": value[:20], "sign": value[0]})
        checked.append(row)
    return checked


def phones_of(rows: Iterable[ImportRow]) -> set[str]:
    """The valid E.164 phones in ``rows`` (to ask the database which already have an account)."""
    return {p for p in (e164(r.phone) for r in rows) if p}

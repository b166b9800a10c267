"""Reading reference-price files (CSV) in the formats of Bapanas, PIHPS and a plain HET/HAP list.

Pure functions, no database: ``read_prices`` turns the bytes into raw rows (or one file-level problem),
``check_rows`` gives each row its verdict against the commodity vocabulary passed in. A price of 0 is
"no data" in Bapanas and PIHPS files: such a row is noted and skipped, never stored as a zero price.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pasar.core.money import MAX_PRICE, format_number, parse_rupiah
from pasar.core.numbers import parse_whole

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

# Per kind: column key → accepted headers (normalised: lower case, punctuation to spaces), and required keys.
HEADERS: dict[str, dict[str, str]] = {
    "bapanas": {
        "date": "timestamp|tanggal|date",
        "code": "id|id komoditas|kode",
        "commodity": "komoditas|nama komoditas|commodity",
        "unit": "satuan|unit",
        "price": "harga|harga rp|price",
    },
    "pihps": {
        "date": "tanggal|date",
        "commodity": "komoditas|commodity",
        "price": "harga rp|harga|price",
        "province": "provinsi|province",
        "unit": "satuan|unit",
    },
    "het": {
        "commodity": "komoditas|commodity|nama komoditas",
        "price": "het|hap|harga|harga acuan|harga eceran tertinggi|ceiling",
        "date": "berlaku mulai|mulai|tanggal|berlaku|tanggal berlaku|valid from",
        "until": "berlaku sampai|sampai|hingga|valid until",
        "unit": "satuan|unit",
    },
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "bapanas": ("date", "commodity", "price"),
    "pihps": ("date", "commodity", "price", "province"),
    "het": ("commodity", "price", "date"),
}
COLUMN_LABELS = {
    "date": "tanggal", "commodity": "komoditas", "price": "harga", "province": "provinsi", "until": "sampai",
}  # fmt: skip

# PIHPS names its items differently; each maps to the vocabulary's commodity (catalog/vocabulary.py).
PIHPS_ALIASES = {
    "telur ayam": "Telur Ayam Ras",
    "telur ayam ras segar": "Telur Ayam Ras",
    "daging ayam": "Daging Ayam Ras",
    "daging ayam ras segar": "Daging Ayam Ras",
    "daging sapi": "Daging Sapi Murni",
    "daging sapi kualitas 1": "Daging Sapi Murni",
    "bawang merah ukuran sedang": "Bawang Merah",
    "bawang putih": "Bawang Putih Bonggol",
    "bawang putih ukuran sedang": "Bawang Putih Bonggol",
    "gula pasir": "Gula Konsumsi",
    "gula pasir lokal": "Gula Konsumsi",
    "beras kualitas medium i": "Beras Medium",
    "beras kualitas super i": "Beras Premium",
    "minyak goreng kemasan bermerk 1": "Minyak Goreng Kemasan",
}
UNIT_WORDS = {"kg": "kg", "kilogram": "kg", "liter": "liter", "ltr": "liter", "l": "liter", "butir": "butir",
              "ikat": "ikat", "ekor": "ekor", "papan": "papan", "bungkus": "bungkus", "buah": "buah", "biji": "biji",
              "batang": "batang", "sisir": "sisir"}  # fmt: skip
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "mei": 5, "may": 5, "jun": 6, "jul": 7, "agu": 8, "agt": 8,
          "aug": 8, "sep": 9, "okt": 10, "oct": 10, "nov": 11, "des": 12, "dec": 12}  # fmt: skip
PROVINCE_ALIASES = {"di yogyakarta": "daerah istimewa yogyakarta", "dki jakarta": "daerah khusus ibukota jakarta"}

PROBLEMS = {
    "date_invalid": gettext_lazy("“%(value)s” is not a date (use 2025-09-13 or 13-09-2025)."),
    "range_invalid": gettext_lazy("The end date is before the start date."),
    "commodity_missing": gettext_lazy("Commodity is missing."),
    "commodity_unknown": gettext_lazy("Unknown commodity “%(value)s”."),
    "price_missing": gettext_lazy("Price is missing."),
    "price_not_number": gettext_lazy("“%(value)s” is not a price in rupiah."),
    "price_zero": gettext_lazy("A ceiling price of 0 is not a price."),
    "price_too_large": gettext_lazy("The price is larger than Rp100.000.000."),
    "unit_unknown": gettext_lazy("Unknown unit “%(value)s”."),
    "duplicate": gettext_lazy("Same commodity and day as row %(line)s."),
}
NOTES = {
    "no_data": gettext_lazy("Price 0 means “no data”: this row is skipped."),
    "other_province": gettext_lazy("Another province: this row is skipped."),
    "unit_differs": gettext_lazy("Priced per %(unit)s, the stalls per %(usual)s: kept, but not compared."),
}


@dataclass(frozen=True)
class FileProblem:
    code: str
    message: str


@dataclass
class PriceRow:
    """One data row as read (raw text), and after checking: what it means and what is wrong with it."""

    line: int
    date: str = ""
    until: str = ""
    commodity: str = ""
    code: str = ""
    unit: str = ""
    price: str = ""
    province: str = ""
    commodity_id: int | None = None
    unit_code: str = ""
    price_value: int | None = None
    day: str = ""  # ISO dates once checked
    until_day: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def usable(self) -> bool:
        """Valid and not skipped: this row becomes a reference price."""
        return self.ok and not any(n["code"] in ("no_data", "other_province") for n in self.notes)

    @property
    def valid_from(self) -> dt.date:
        return dt.date.fromisoformat(self.day)

    @property
    def valid_until(self) -> dt.date | None:
        return dt.date.fromisoformat(self.until_day) if self.until_day else None

    def reasons(self) -> list[str]:
        return [str(PROBLEMS[p["code"]]) % p for p in self.problems]

    def remarks(self) -> list[str]:
        return [str(NOTES[n["code"]]) % n for n in self.notes]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "PriceRow":
        raw = ("line", "date", "until", "commodity", "code", "unit", "price", "province")
        return cls(**{k: data[k] for k in raw if k in data})


@dataclass
class Table:
    rows: list[PriceRow] = field(default_factory=list)
    problem: FileProblem | None = None


@dataclass(frozen=True)
class Vocabulary:
    """Commodity id and unit by Bapanas id and by every normalised name, synonym and PIHPS alias."""

    by_code: Mapping[int, tuple[int, str]]
    by_name: Mapping[str, tuple[int, str]]

    @classmethod
    def build(cls, commodities: Iterable[tuple[int, str, str, int | None, str]]) -> "Vocabulary":
        by_code: dict[int, tuple[int, str]] = {}
        by_name: dict[str, tuple[int, str]] = {}
        for pk, name, unit, bapanas_id, synonyms in commodities:
            if bapanas_id is not None:
                by_code[bapanas_id] = (pk, unit)
            for word in [s for s in synonyms.split(",") if s.strip()]:
                by_name.setdefault(key(word), (pk, unit))
            by_name[key(name)] = (pk, unit)  # the name wins over another commodity's synonym
        for alias, name in PIHPS_ALIASES.items():
            if key(name) in by_name:
                by_name.setdefault(alias, by_name[key(name)])
        return cls(by_code, by_name)

    def find(self, *, name: str, code: str) -> tuple[int, str] | None:
        number = parse_whole(code)
        if number is not None and number in self.by_code:
            return self.by_code[number]
        # Bapanas writes "Tepung Terigu (Curah)" and "(Impor)": brackets are only qualifiers.
        return self.by_name.get(key(name)) or self.by_name.get(key(re.sub(r"\(.*?\)", " ", name)))


def key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def _problem(code: str, **params: object) -> FileProblem:
    messages = {
        "file_type": _("Upload a CSV file."),
        "file_too_large": _("The file is larger than 5 MB."),
        "encoding": _("The CSV file is not UTF-8 text: in Excel save it as “CSV UTF-8”."),
        "unreadable": _("This file cannot be read as a CSV table."),
        "empty": _("The file is empty."),
        "columns_missing": _("Columns missing: %(columns)s. The first row must name the columns."),
        "no_rows": _("The file has a header but no price rows."),
        "too_many_rows": _("The file has more than %(max)s rows: split it and upload the parts one by one."),
    }
    return FileProblem(code, messages[code] % params if params else messages[code])


def read_prices(*, kind: str, filename: str, data: bytes) -> Table:
    """The rows of a reference-price CSV for ``kind``, or the one problem that refuses the whole file."""
    if not filename.lower().strip().endswith(".csv"):
        return Table(problem=_problem("file_type"))
    if len(data) > MAX_BYTES:
        return Table(problem=_problem("file_too_large"))
    if b"\x00" in data[:4096]:
        return Table(problem=_problem("unreadable"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Table(problem=_problem("encoding"))
    sample = text[:65536]
    delimiter = max((";", ",", "\t"), key=sample.count)
    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        return Table(problem=_problem("unreadable"))
    return _rows(kind, lines)


def _rows(kind: str, lines: Sequence[list[str]]) -> Table:
    content = [(n, cells) for n, cells in enumerate(lines, start=1) if any(c.strip() for c in cells)]
    if not content:
        return Table(problem=_problem("empty"))
    aliases = {alias: k for k, words in HEADERS[kind].items() for alias in words.split("|")}
    header_line, header = content[0]
    columns: dict[int, str] = {}
    for index, cell in enumerate(header):
        found = aliases.get(key(cell))
        if found and found not in columns.values():
            columns[index] = found
    missing = [COLUMN_LABELS[k] for k in REQUIRED[kind] if k not in columns.values()]
    if missing:
        return Table(problem=_problem("columns_missing", columns=", ".join(missing)))
    if len(content) - 1 > MAX_ROWS:
        return Table(problem=_problem("too_many_rows", max=format_number(MAX_ROWS)))
    rows = []
    for line, cells in content[1:]:
        row = PriceRow(line=line)
        for index, column in columns.items():
            if index < len(cells):
                setattr(row, column, " ".join(cells[index].split())[:120])
        rows.append(row)
    if not rows:
        return Table(problem=_problem("no_rows"))
    return Table(rows=rows)


def parse_day(text: str) -> dt.date | None:
    """2025-09-13, 13-9-2025, 13/09/2025, "20 Jul 20", "20 Juli 2020"; None for anything else."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if match := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text):
        day, month, year = (int(g) for g in match.groups())
    elif match := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{2}|\d{4})", text):
        month = MONTHS.get(match.group(2).lower(), 0)
        day, year = int(match.group(1)), int(match.group(3))
        year += 2000 if year < 100 else 0
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_price(text: str) -> int | None:
    """Whole rupiah: 16000, 25900.0 (PIHPS writes floats), 12.500, Rp 12.500; None if not a number.

    One or two zero decimals are a float's; three digits after a dot are thousands (45.000 = 45,000).
    """
    text = text.strip()
    if re.fullmatch(r"\d+(\.0{1,2})?", text):
        return int(text.split(".")[0])
    return parse_rupiah(text)


def parse_unit(text: str) -> str | None:
    """ "Rp./Kg", "Rp/kg", "Rp./Liter", "kg" → the unit code; "" for empty, None if unknown."""
    words = key(text).split()
    if words and words[0] == "rp":
        words = words[1:]
    if not words:
        return ""
    return UNIT_WORDS.get(" ".join(words))


def _province_key(name: str) -> str:
    found = key(name).removeprefix("provinsi ").strip()
    return PROVINCE_ALIASES.get(found, found)


def check_rows(rows: Iterable[PriceRow], *, vocabulary: Vocabulary, kind: str, province: str) -> list[PriceRow]:
    """Each row again with its verdict: bad values are problems; 0 prices and other provinces are notes."""
    checked = []
    seen: dict[tuple[int, str], int] = {}
    for source in rows:
        row = PriceRow.from_dict(source.as_dict())
        _check_row(row, vocabulary=vocabulary, kind=kind, province=province)
        if row.usable and row.commodity_id is not None:
            slot = (row.commodity_id, row.day)
            if slot in seen:
                row.problems.append({"code": "duplicate", "line": seen[slot]})
            else:
                seen[slot] = row.line
        checked.append(row)
    return checked


def _check_row(row: PriceRow, *, vocabulary: Vocabulary, kind: str, province: str) -> None:
    problems, notes = row.problems, row.notes
    day = parse_day(row.date)
    if day is None:
        problems.append({"code": "date_invalid", "value": row.date[:20]})
    else:
        row.day = day.isoformat()
        row.until_day = row.day if kind != "het" else ""
    if kind == "het" and row.until.strip():
        until = parse_day(row.until)
        if until is None:
            problems.append({"code": "date_invalid", "value": row.until[:20]})
        elif day is not None and until < day:
            problems.append({"code": "range_invalid"})
        else:
            row.until_day = until.isoformat()
    if not row.price.strip():
        problems.append({"code": "price_missing"})
        return
    price = parse_price(row.price)
    if price is None:
        problems.append({"code": "price_not_number", "value": row.price[:20]})
        return
    if price == 0:
        if kind == "het":
            problems.append({"code": "price_zero"})
        else:
            notes.append({"code": "no_data"})
        return
    if price > MAX_PRICE:
        problems.append({"code": "price_too_large"})
        return
    row.price_value = price
    if kind == "pihps" and _province_key(row.province) != _province_key(province):
        notes.append({"code": "other_province"})
        return
    _check_commodity(row, vocabulary)


def _check_commodity(row: PriceRow, vocabulary: Vocabulary) -> None:
    if not row.commodity.strip() and not row.code.strip():
        row.problems.append({"code": "commodity_missing"})
        return
    found = vocabulary.find(name=row.commodity, code=row.code)
    if found is None:
        row.problems.append({"code": "commodity_unknown", "value": (row.commodity or row.code)[:40]})
        return
    row.commodity_id, usual = found
    unit = parse_unit(row.unit)
    if unit is None:
        row.problems.append({"code": "unit_unknown", "value": row.unit[:20]})
        return
    row.unit_code = unit or usual
    if row.unit_code != usual:
        row.notes.append({"code": "unit_differs", "unit": row.unit_code, "usual": usual})

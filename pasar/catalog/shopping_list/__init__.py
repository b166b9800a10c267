"""The shopping-list parser: text as a buyer would message it → one ``ParsedItem`` per item.

    bawang merah 1/4          → bawang merah, 0.25 kg
    cabe rawit 5rb            → cabai rawit merah, 5000 rupiah (flag "money")
    ayam 1 ekor potong 8      → daging ayam ras, 1 ekor, note "potong 8"
    kangkung 2 ikat yg seger  → kangkung, 2 ikat, note "yg seger"

Pure Python (no database, no Django settings), so ``pasar parse-list`` starts fast and the
orders app can parse a pasted list before touching any product. Nothing the buyer wrote is
dropped: an unknown item keeps its words as ``text`` and is flagged, an odd quantity is kept
and flagged.
"""

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal

from pasar.catalog.shopping_list import chatter, items, packs, quantities
from pasar.catalog.shopping_list.quantities import RUPIAH, UNITS, Quantity
from pasar.catalog.shopping_list.tokens import Token, tokenize
from pasar.catalog.vocabulary import CommodityDef
from pasar.core.errors import DomainError

__all__ = [
    "MAX_LINES",
    "UNITS",
    "ListTooLong",
    "ParsedItem",
    "commodity_for",
    "parse_item",
    "parse_list",
    "split_items",
]

MAX_LINES = 200

# Item separators: line breaks, semicolons, "dan"/"&"/"serta"/" + " between words, and commas
# except a decimal comma between digits ("1,5 kg").
_SEPARATOR = re.compile(r"[\r\n;\u2028\u2029]+|(?<![0-9]),|,(?![0-9])|\s+(?:dan|serta)\s+|&|\s\+\s", re.IGNORECASE)
# List markers at the start of an item: "- ", "• ", "* ", "1. ", "2) ".
_MARKER = re.compile(r"^(?:[-*•·▪►>+–—]+\s*|[0-9]{1,2}[.)]\s+)")
# Absurd above these (per unit): a household or a warung does not buy a tonne of chillies.
_LIMITS = {"kg": 100, "g": 100_000, "l": 100, "ml": 100_000, RUPIAH: 10_000_000}
_COUNT_LIMIT = 1000
_MIN_RUPIAH = 100
# Weighed commodities people count by the piece: a bare whole number is pieces ("telor 10",
# "7 bawang merah", "ayam 1"), not kilograms. Bulk goods (beras, gula, daging) stay in kg.
_PIECES = {
    "butir": ("telur ayam ras", "kemiri"),
    "ekor": ("daging ayam ras", "ikan bandeng", "ikan kembung", "ikan tongkol", "ikan lele", "ikan nila", "ikan mas"),
    "siung": ("bawang merah", "bawang putih bonggol"),
    "potong": ("dada ayam", "paha ayam", "sayap ayam"),
    "buah": (
        "ceker ayam", "ati ampela", "cabai hijau",
        "cabai merah besar", "cabai merah keriting", "cabai rawit merah", "cabai rawit hijau", "tomat", "kentang",
        "wortel", "mentimun", "terong", "bawang bombay", "kubis", "sawi putih", "semangka", "labu siam",
        "jeruk nipis", "jeruk", "apel", "mangga", "salak",
    ),
}  # fmt: skip
_BARE_COUNT_UNIT = {name: unit for unit, names in _PIECES.items() for name in names}
_VOCAB_UNIT = {"liter": "l", "gram": "g", "ons": "g"}
# Words that start a note when no commodity was recognised ("kecap manis yg besar").
_NOTE_START = frozenset({"yg", "yang", "buat", "utk", "untuk", "harga", "isi", "ukuran", "uk", "merk", "merek"})


class ListTooLong(DomainError):
    def __init__(self, count: int, limit: int) -> None:
        # Imported here: the parser itself needs no Django, so ``pasar parse-list`` starts fast.
        from django.utils.translation import gettext as _

        super().__init__(
            _("The list has %(count)s items; at most %(limit)s can be read at once. Please split it.")
            % {"count": count, "limit": limit},
            code="list_too_long",
            field="text",
        )
        self.count = count
        self.limit = limit


@dataclass(frozen=True)
class ParsedItem:
    """One item of a list. ``flags`` name what a person should look at: ``unknown_item`` (words kept in
    ``text``), ``no_item``, ``no_quantity``, ``absurd_quantity``, ``money`` (unit ``rupiah``: buy that
    many rupiah worth), ``range`` (upper bound taken, the range in ``note``), ``unit_unknown`` (a kitchen
    measure such as "2 ruas": the number is kept, the unit is None and the word is in ``note``)."""

    raw: str  # the item as the buyer wrote it (stripped, list marker removed)
    item: str | None  # lower-cased CommodityDef.name, or None
    quantity: Decimal | None
    unit: str | None  # one of UNITS
    note: str  # the buyer's other words: "potong 8", "yg seger", "4-5"
    text: str  # what to look for: the item, else the buyer's words naming it
    flags: tuple[str, ...] = ()
    chatter: bool = False

    def as_json(self) -> dict[str, object]:
        """The ``pasar parse-list`` contract: raw, item, quantity, unit, note; a chatter line adds
        ``"chatter": true`` (its item is null)."""
        data: dict[str, object] = {"raw": self.raw, "item": self.item, "quantity": _json_number(self.quantity),
                                   "unit": self.unit, "note": self.note}  # fmt: skip
        if self.chatter:
            data["chatter"] = True
        return data


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 4))


# The item names of the parse-list contract: what a shopping list means. The vocabulary follows the
# Bapanas panel names, which carry grades and kinds nobody writes on a list ("telur" is "telur ayam",
# not "telur ayam ras"; a plain "beras" is "beras", whatever grade the panel calls its default).
ITEM_NAMES: dict[str, str] = {
    "telur ayam ras": "telur ayam",
    "bawang putih bonggol": "bawang putih",
    "daging ayam ras": "daging ayam",
    "daging sapi murni": "daging sapi",
    "daging kerbau segar": "daging kerbau",
    "gula konsumsi": "gula pasir",
    "garam konsumsi": "garam",
    "minyak goreng curah": "minyak goreng",
    "tepung terigu curah": "tepung terigu",
    "beras medium": "beras",
    "kedelai biji kering": "kedelai",
}
_VOCABULARY_NAMES = {item: name for name, item in ITEM_NAMES.items()}


def item_name(commodity: CommodityDef) -> str:
    """The contract's ``item`` for a vocabulary entry (Telur Ayam Ras → ``"telur ayam"``)."""
    name = commodity.name.lower()
    return ITEM_NAMES.get(name, name)


def commodity_for(item: str | None) -> CommodityDef | None:
    """The vocabulary entry of a parsed ``item`` name (``"bawang merah"`` → Bawang Merah, ``"telur ayam"`` →
    Telur Ayam Ras)."""
    if not item:
        return None
    name = item.lower()
    return items.by_name().get(_VOCABULARY_NAMES.get(name, name))


def _is_blank(piece: str) -> bool:
    """Nothing to keep: whitespace and punctuation only (emoji are kept and flagged)."""
    return all(unicodedata.category(c)[0] in "PZC" for c in piece)


def split_items(text: str) -> list[str]:
    """The items of a pasted list, each stripped of whitespace and list markers, in order. A heading
    in front of an item on the same line ("belanjaan hari ini: bawang merah 1/4") is a piece of its own."""
    pieces = []
    for piece in _SEPARATOR.split(text or ""):
        for part in _heading_split(_MARKER.sub("", piece.strip()).strip()):
            part = _MARKER.sub("", part).strip()
            if part and not _is_blank(part):
                pieces.append(part)
    return pieces


def _heading_split(piece: str) -> list[str]:
    head, colon, rest = piece.partition(":")
    if not colon or not rest.strip() or not head.strip():
        return [piece]
    tokens = tokenize(head)
    words = [t.norm for t in tokens if t.kind == "word"]
    if any(t.kind == "num" for t in tokens) or not words or words[0] in chatter.LEADS or items.find(words):
        return [piece]  # "alamat: Jl. Kenanga 12" is chat as a whole
    if not chatter.is_chatter(tokenize(head), has_item=False, measured=False):
        return [piece]
    return [head + colon, rest]


def _quantities(tokens: list[Token], raw: str) -> list[Quantity]:
    """The line's quantities, left to right: the first, and the second when the first is a pack size
    ("aqua 600ml 2 botol"). A number word that belongs to a name ("jeruk limo") is not one."""
    found: list[Quantity] = []
    i = 0
    while i < len(tokens) and (not found or (len(found) == 1 and found[0].unit in packs.SIZE_UNITS)):
        quantity = quantities.scan(tokens, i, raw)
        if quantity is None or _inside_name(tokens, quantity):
            i += 1
            continue
        found.append(quantity)
        i = quantity.end
    return found


def _inside_name(tokens: list[Token], quantity: Quantity) -> bool:
    first = tokens[quantity.start]
    if first.kind != "word" or quantity.start == 0 or tokens[quantity.start - 1].kind != "word":
        return False
    return (tokens[quantity.start - 1].norm, first.norm) in items.phrase_pairs()


def _runs(tokens: list[Token], quantity: Quantity | None) -> list[list[int]]:
    """Token indexes outside the quantity, in runs the quantity or brackets break."""
    runs: list[list[int]] = [[]]
    for i, token in enumerate(tokens):
        if (quantity is not None and quantity.start <= i < quantity.end) or token.text in "()[]{}:=@":
            runs.append([])
        else:
            runs[-1].append(i)
    return [run for run in runs if run]


def _span_text(raw: str, tokens: list[Token], indexes: list[int]) -> str:
    """The buyer's own text for these tokens, contiguous groups joined by one space."""
    groups: list[list[int]] = []
    for i in indexes:
        if groups and groups[-1][-1] == i - 1:
            groups[-1].append(i)
        else:
            groups.append([i])
    parts = [raw[tokens[g[0]].start : tokens[g[-1]].end] for g in groups]
    text = " ".join(" ".join(parts).split())
    return text.strip(" ,.;:-–—=/\\|")


def _identify(tokens: list[Token], runs: list[list[int]]) -> tuple[CommodityDef | None, list[int]]:
    """The commodity and the token indexes naming it; else the first run's words as free text.
    Exact words are tried in every run before typo correction in any ("aqua 600ml 2 botol" must not
    become carrots because "botol" is one letter from "bortol")."""
    blocked = False
    for correct in (False, True):
        for run in runs:
            words = [i for i in run if tokens[i].kind == "word"]
            match = items.find([tokens[i].norm for i in words], correct=correct)
            if match is not None and match.commodity is not None:
                return match.commodity, words[match.start : match.end]
            blocked = blocked or match is not None
        if blocked:
            break  # "jeruk limau": a known phrase of another product, not a typo to correct
    for run in runs:
        named: list[int] = []
        for i in run:
            if tokens[i].kind == "word" and tokens[i].norm in _NOTE_START and named:
                break
            if tokens[i].kind == "word" and tokens[i].norm not in items.FILLERS or named:
                named.append(i)
        if any(tokens[i].kind == "word" for i in named):
            while named and tokens[named[-1]].kind != "word":
                named.pop()
            return None, named
    return None, []


def _default_unit(commodity: CommodityDef | None, value: Decimal) -> str | None:
    """The unit of a bare number: pieces for a few counted-by-eye goods, else the usual unit."""
    if commodity is None:
        return None
    whole = value == value.to_integral_value()
    if whole and commodity.name.lower() in _BARE_COUNT_UNIT:
        return _BARE_COUNT_UNIT[commodity.name.lower()]
    return _VOCAB_UNIT.get(commodity.unit, commodity.unit)


def _flags(item: str | None, text: str, quantity: Quantity | None, unit: str | None) -> tuple[str, ...]:
    flags = []
    if item is None:
        flags.append("unknown_item" if text else "no_item")
    if quantity is None:
        flags.append("no_quantity")
        return tuple(flags)
    if quantity.money:
        flags.append("money")
    if quantity.note:
        flags.append("range")
    if unit is None and quantity.kept_word:
        flags.append("unit_unknown")
    value = quantity.value
    limit = _LIMITS.get(unit or "", _COUNT_LIMIT)
    if value <= 0 or value > limit or (unit == RUPIAH and value < _MIN_RUPIAH):
        flags.append("absurd_quantity")
    return tuple(flags)


def parse_item(raw: str) -> ParsedItem:
    """One item: commodity, quantity, unit and the buyer's other words as the note."""
    raw = raw.strip()
    tokens = tokenize(raw)
    found = _quantities(tokens, raw)
    quantity = found[0] if found else None
    runs = _runs(tokens, quantity)
    commodity, named = _identify(tokens, runs)
    if quantity is None and len(named) == 1 and tokens[named[0]].norm in chatter.ADDRESS:
        commodity = None  # "Punten teh": Sundanese for "sister", not tea, when nothing is measured
    if quantity is not None:
        # "aqua 600ml 2 botol": the count is the quantity, the pack size goes to the note;
        # "kecap sachet 10": the unit came before the number.
        refined = packs.counted(tokens, found, commodity, raw) or packs.unit_before(tokens, quantity, named)
        if refined is not quantity:
            quantity, runs = refined, _runs(tokens, refined)
    used = set(named) - packs.brand_tokens(tokens, named)  # a brand names the item and stays in the note
    if quantity is not None and quantity.size:
        used.update(range(quantity.size_start, quantity.size_end))
    leftover = [i for run in runs for i in run if i not in used]
    text = _span_text(raw, tokens, named)
    note_parts = [_span_text(raw, tokens, leftover)]
    unit = None
    if quantity is not None:
        before = [i for i in leftover if i < quantity.start]
        after = [i for i in leftover if i >= quantity.end]
        middle = [quantity.size, quantity.note, quantity.kept_word]
        note_parts = [_span_text(raw, tokens, before), *middle, _span_text(raw, tokens, after)]
        unit = quantity.unit
        if unit is None and not quantity.kept_word:
            unit = _default_unit(commodity, quantity.value)
    note = " ".join(p for p in note_parts if p)
    item = item_name(commodity) if commodity else None
    measured = quantity is not None and (quantity.money or quantity.unit is not None or bool(quantity.kept_word))
    if chatter.is_chatter(tokens, has_item=commodity is not None, measured=measured):
        return ParsedItem(raw=raw, item=None, quantity=None, unit=None, note="", text=text,
                          flags=_flags(None, text, None, None), chatter=True)  # fmt: skip
    return ParsedItem(
        raw=raw,
        item=item,
        quantity=quantity.value if quantity else None,
        unit=unit,
        note=note,
        text=item or text,
        flags=_flags(item, text, quantity, unit),
    )


def parse_list(text: str, *, max_items: int | None = MAX_LINES) -> list[ParsedItem]:
    """Every item of a pasted list, in order; ``ListTooLong`` past ``max_items`` (None: no limit)."""
    pieces = split_items(text)
    if max_items is not None and len(pieces) > max_items:
        raise ListTooLong(len(pieces), max_items)
    parsed: list[ParsedItem] = []
    for piece in pieces:
        item = parse_item(piece)
        if parsed and parsed[-1].item and "unknown_item" in item.flags:
            item = _with_previous_head(item, parsed[-1].item)
        parsed.append(item)
    return parsed


def _with_previous_head(item: ParsedItem, previous: str) -> ParsedItem:
    """A bare variety word borrows the head noun of the item before it when that names a commodity:
    "bawang merah dan putih" → "putih" is bawang putih, "ikan lele dan nila" → ikan nila."""
    head = previous.split()[0]
    borrowed = parse_item(f"{head} {item.raw}")
    # The variety word must be what made the match: "tempe dan sabun" is not "tempe sabun".
    if borrowed.item in {None, previous} or borrowed.note != item.note:
        return item
    return replace(borrowed, raw=item.raw)

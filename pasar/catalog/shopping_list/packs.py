"""Packaged goods on a list: pack size against count, a unit written before its number, brands.

- "aqua 600ml 2 botol": 2 botol, note "aqua 600 ml" (600 ml is the size of each bottle);
- "indomie goreng 5": 5 bungkus, note "indomie goreng";
- "kecap sachet 10": 10 sachet;
- "aqua galon 1": 1 pcs, note "aqua galon".
"""

import re
from dataclasses import replace
from functools import cache

from pasar.catalog.search import normalize
from pasar.catalog.shopping_list.quantities import UNIT_WORDS, Quantity
from pasar.catalog.shopping_list.tokens import Token
from pasar.catalog.vocabulary import BRANDS, CommodityDef

# A pack size: mass or volume. A count: what a shop hands over one by one.
SIZE_UNITS = frozenset({"kg", "g", "l", "ml"})
COUNT_UNITS = frozenset({"botol", "bungkus", "sachet", "pcs", "buah", "biji", "butir", "papan", "ikat", "lembar"})
_GLUE = re.compile(r"(?<=[0-9])(?=[^\W\d_])")


def counted(tokens: list[Token], found: list[Quantity], commodity: CommodityDef | None, raw: str) -> Quantity | None:
    """The count when the first quantity is a pack size and a count follows ("aqua 600ml 2 botol",
    "indomie 75 gr 5"); None otherwise. Weighed goods keep their weight ("ayam 1 kg potong 4")."""
    if len(found) < 2 or (commodity is not None and commodity.weighed):
        return None
    size, later = found[0], found[1]
    if size.unit not in SIZE_UNITS or size.money or later.money or later.note:
        return None
    explicit_count = later.unit in COUNT_UNITS
    bare_count = (
        later.unit is None
        and not later.kept_word
        and commodity is not None
        and commodity.unit in COUNT_UNITS
        and later.value == later.value.to_integral_value()
    )
    if not (explicit_count or bare_count):
        return None
    text = raw[tokens[size.start].start : tokens[size.end - 1].end]
    return replace(later, size=" ".join(_GLUE.sub(" ", text).split()), size_start=size.start, size_end=size.end)


def unit_before(tokens: list[Token], quantity: Quantity, named: list[int]) -> Quantity:
    """A bare number right after a unit word takes that unit: "kecap sachet 10", "aqua galon 1",
    "telur kilo 1". Not when the word is part of the item's name ("ayam potong 2")."""
    i = quantity.start - 1
    if quantity.unit is not None or quantity.kept_word or quantity.money or i < 0:
        return quantity
    while i > 0 and i in named and tokens[i].norm not in UNIT_WORDS:
        i -= 1  # "galon aqua 1": the unit word in front of the item's name
    skipped = i != quantity.start - 1
    word = tokens[i].norm if tokens[i].kind == "word" else ""
    unit = UNIT_WORDS.get(word)
    if unit is None or (unit.unit is None and not unit.keep_word):
        return quantity
    if i in named and not (unit.keep_word and i == named[-1]):
        return quantity  # "ayam potong 2" is broiler chicken; "air galon 2" is still two galon
    if i > 0 and tokens[i - 1].kind == "num":
        return quantity  # "2 ikat 3": the unit belongs to the number before it
    if skipped and unit.unit is None:
        return quantity
    if skipped:  # the unit word stays where it is, in the note, with the name between
        return replace(
            quantity, value=quantity.value * unit.factor, unit=unit.unit, explicit_unit=unit.unit is not None
        )
    kept = word if unit.keep_word else ""
    return replace(
        quantity, value=quantity.value * unit.factor, unit=unit.unit, start=i, explicit_unit=unit.unit is not None,
        kept_word=kept,
    )  # fmt: skip


@cache
def _brands() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Brand phrases (normalised words) by their first word."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for brand in BRANDS:
        words = tuple(normalize(brand).split())
        table.setdefault(words[0], []).append(words)
    return {first: tuple(phrases) for first, phrases in table.items()}


def brand_tokens(tokens: list[Token], named: list[int]) -> set[int]:
    """The tokens of ``named`` that spell a brand: they name the item and are kept in the note too."""
    brands = _brands()
    words = [tokens[i].norm for i in named]
    out: set[int] = set()
    for start, word in enumerate(words):
        for brand in brands.get(word, ()):
            if tuple(words[start : start + len(brand)]) == brand:
                out.update(named[start : start + len(brand)])
    return out

"""Quantities as Indonesian buyers write them: numbers, fractions, number words, ``se-`` words,
ranges, units and their abbreviations, and money amounts ("5rb", "Rp 5.000", "goceng").

``scan`` reads one quantity starting at a token; the item parser takes the first one in the
line as the item's quantity and leaves any later one ("potong 8") in the note.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from pasar.catalog.shopping_list.tokens import Token

# Canonical units of the parse-list contract.
UNITS = (
    "kg",
    "g",
    "l",
    "ml",
    "butir",
    "ekor",
    "ikat",
    "papan",
    "bungkus",
    "buah",
    "biji",
    "sisir",
    "siung",
    "potong",
    "lembar",
    "batang",
    "botol",
    "sachet",
    "pcs",
    "rupiah",
)
RUPIAH = "rupiah"


@dataclass(frozen=True)
class UnitWord:
    unit: str | None  # canonical unit; None for kitchen measures and "lusin"
    factor: Decimal = Decimal(1)
    keep_word: bool = False  # the word goes to the note ("kaleng", "ruas")


def _split(words: str) -> list[str]:
    return words.split()


def _units() -> dict[str, UnitWord]:
    table: dict[str, UnitWord] = {}
    spelled = {
        "kg": "kg kilo kilogram kgs kilogr kilos",
        "g": "g gr gram grm grs gms gm grams gramm",
        "l": "l lt ltr liter litre liters ltrs",
        "ml": "ml cc mililiter mili",
        "butir": "butir btr btir butr bhtr",
        "ekor": "ekor ekr",
        "ikat": "ikat ikt iket ikatan",
        "papan": "papan ppn",
        "bungkus": "bungkus bks bgks bngks bngkus bungkis pak pack pax pck kantong kantung plastik pouch refill reffil",
        "buah": "buah bh bua buwah bonggol kepala",
        "biji": "biji bj bji bijik",
        "sisir": "sisir ssr",
        "siung": "siung siong sihung",
        "potong": "potong ptg ptng potongan keping iris irisan",
        "lembar": "lembar lbr lmbr lmbar lb helai hlai lembaran slice",
        "batang": "batang btg btng btang tangkai lonjor",
        "botol": "botol btl",
        "sachet": "sachet saset sct sachets",
        "pcs": "pcs pc piece pieces",
    }
    for unit, words in spelled.items():
        for word in _split(words):
            table[word] = UnitWord(unit)
    table["ons"] = UnitWord("g", Decimal(100))
    # Containers: counted as pieces, the container named in the note.
    for word in _split(
        "kotak dus box kaleng kardus krat tray karton cup gelas gls toples renteng karung galon peti tabung ember "
        "slop rak blok balok batok sak"
    ):
        table[word] = UnitWord("pcs", keep_word=True)
    # Kitchen measures (recipe lines pasted as lists): no unit a stall sells by.
    for word in _split(
        "sdm sdt sendok sdk cm ruas jari jempol genggam gengam mangkok mangkuk cangkir tandan porsi jumput "
        "pasang piring bagian tusuk tetes centong kuntum"
    ):
        table[word] = UnitWord(None, keep_word=True)
    table["lusin"] = UnitWord(None, Decimal(12))
    return table


UNIT_WORDS = _units()
_MONEY_SUFFIX = {"rb": 1000, "ribu": 1000, "rebu": 1000, "ewu": 1000, "ewon": 1000, "rbu": 1000, "ribuan": 1000,
                 "rban": 1000, "rbuan": 1000,
                 "k": 1000, "rbn": 1000, "jt": 1_000_000, "juta": 1_000_000, "jeti": 1_000_000}  # fmt: skip
_MONEY_SLANG = {"cepek": 100, "nopek": 200, "gopek": 500, "seceng": 1000, "ceceng": 1000, "goceng": 5000,
                "ceban": 10000, "noban": 20000, "goban": 50000, "sejuta": 1_000_000, "seribu": 1000,
                "sewu": 1000, "sarebu": 1000, "sarewu": 1000, "sayuta": 1_000_000}  # fmt: skip
_RUPIAH_PREFIX = {"rp", "idr", "rupiah"}
_MONEY_TRAILERS = {"an", "perak", "rupiah"}
_RANGE_WORDS = {"sampai", "sd", "hingga", "ampe", "smp", "sampe"}
_RANGE_PUNCT = {"-", "–", "—", "~"}

_ONES = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
         "sembilan": 9,
         # Javanese (ngoko, and the forms before a measure word: "rong kilo", "limang ewu").
         "siji": 1, "loro": 2, "telu": 3, "papat": 4, "limo": 5, "enem": 6, "pitu": 7, "wolu": 8, "songo": 9,
         "sanga": 9, "rong": 2, "telung": 3, "patang": 4, "limang": 5, "nem": 6, "pitung": 7, "wolung": 8,
         "sangang": 9,
         # Sundanese.
         "hiji": 1, "tilu": 3, "opat": 4, "genep": 6, "dalapan": 8, "salapan": 9}  # fmt: skip
# Words that mean "one" only in front of a measure word: "sak ons", "sa kilo", "sa-iket".
ONE_BEFORE_UNIT = frozenset({"se", "sa", "sak", "sag", "satu", "siji", "hiji"})
_SE_NUMBERS = {"sepuluh": Decimal(10), "sebelas": Decimal(11), "seratus": Decimal(100), "selusin": Decimal(12),
               "sapuluh": Decimal(10), "sewelas": Decimal(11), "satus": Decimal(100), "saratus": Decimal(100),
               "salusin": Decimal(12), "selawe": Decimal(25), "seket": Decimal(50)}  # fmt: skip
_HALF = {"setengah", "stengah", "stgh", "setgh", "stgah", "sthg", "satengah", "saparo", "separo", "separuh", "sepalih",
         "sapalih"}  # fmt: skip
_SE_FRACTIONS = {
    "setengah": Decimal("0.5"),
    "stengah": Decimal("0.5"),
    "stgh": Decimal("0.5"),
    "setgh": Decimal("0.5"),
    "stgah": Decimal("0.5"),
    "sthg": Decimal("0.5"),
    "seperempat": Decimal("0.25"),
    "seprapat": Decimal("0.25"),
    "seperapat": Decimal("0.25"),
    "sprapat": Decimal("0.25"),
    "sepertiga": Decimal(1) / Decimal(3),
    "satengah": Decimal("0.5"),
    "separo": Decimal("0.5"),
    "saparo": Decimal("0.5"),
    "separuh": Decimal("0.5"),
    "sepalih": Decimal("0.5"),
    "sapalih": Decimal("0.5"),
    "saprapat": Decimal("0.25"),
    "saparapat": Decimal("0.25"),
    "seprapatan": Decimal("0.25"),
}
# Every word that is part of a quantity, so typo correction leaves them alone.
QUANTITY_WORDS = frozenset(
    {*_MONEY_SUFFIX, *_MONEY_SLANG, *_RUPIAH_PREFIX, *_MONEY_TRAILERS, *_RANGE_WORDS, *_ONES, *_SE_NUMBERS, *_HALF}
    | {*_SE_FRACTIONS, "belas", "puluh", "ratus", "perempat", "prapat", "pertiga"}
    | {"se" + word for word in UNIT_WORDS}
    | {"sa" + word for word in UNIT_WORDS if len(word) > 1}
    | ONE_BEFORE_UNIT
)
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_EN_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3}){2,}")
MAX_DIGITS = 15


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    unit: str | None
    start: int  # first token index
    end: int  # one past the last token index
    money: bool = False
    explicit_unit: bool = False
    note: str = ""  # the range as written ("4-5")
    kept_word: str = ""  # a container or kitchen-measure word ("kaleng", "ruas")
    size: str = ""  # the pack size of a counted item ("600 ml" of "aqua 600ml 2 botol"), for the note
    size_start: int = 0  # its tokens
    size_end: int = 0


def number_value(text: str) -> Decimal | None:
    """``1,5`` and ``1.5`` are one and a half; ``5.000`` is five thousand; ``1/4`` a quarter."""
    if sum(c.isdigit() for c in text) > MAX_DIGITS:
        return None
    if "/" in text:
        top, bottom = text.split("/", 1)
        if not (top.isascii() and top.isdigit() and bottom.isascii() and bottom.isdigit()) or int(bottom) == 0:
            return None
        return Decimal(top) / Decimal(bottom)
    if _THOUSANDS.fullmatch(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if _EN_THOUSANDS.fullmatch(text):
        return Decimal(text.replace(",", ""))
    if text.count(",") + text.count(".") > 1:
        return None
    return Decimal(text.replace(",", "."))


def _word(tokens: list[Token], i: int) -> str:
    return tokens[i].norm if i < len(tokens) and tokens[i].kind == "word" else ""


def _glued(tokens: list[Token], i: int) -> bool:
    """Token ``i`` directly follows token ``i - 1`` with no space ("5rb", "2kg")."""
    return 0 < i < len(tokens) and tokens[i - 1].end == tokens[i].start


def _word_number(tokens: list[Token], i: int) -> tuple[Decimal, int] | None:
    """``dua``, ``dua belas``, ``dua puluh lima``, ``tiga perempat``, ``sepuluh``, ``setengah``."""
    word = _word(tokens, i)
    if word in _SE_FRACTIONS:
        return _SE_FRACTIONS[word], i + 1
    if word in _SE_NUMBERS:
        return _SE_NUMBERS[word], i + 1
    if word not in _ONES:
        return None
    value, j = Decimal(_ONES[word]), i + 1
    nxt = _word(tokens, j)
    if nxt == "ratus":  # "lima ratus gram", "dua ratus lima puluh"
        rest = (
            _word_number(tokens, j + 1) if _word(tokens, j + 1) in _ONES or _word(tokens, j + 1) == "sepuluh" else None
        )
        return (value * 100 + rest[0], rest[1]) if rest else (value * 100, j + 1)
    if nxt == "belas":
        return value + 10, j + 1
    if nxt == "puluh":
        value, j = value * 10, j + 1
        if _word(tokens, j) in _ONES:
            value, j = value + _ONES[_word(tokens, j)], j + 1
    elif nxt in {"perempat", "prapat"}:
        return value / 4, j + 1
    elif nxt == "pertiga":
        return value / 3, j + 1
    return value, j


def _amount(tokens: list[Token], i: int) -> tuple[Decimal, int, UnitWord | None] | None:
    """A number at ``i``: digits, fraction, mixed number, number words or a ``se-`` unit word."""
    token = tokens[i]
    if token.kind == "num":
        value = number_value(token.norm)
        if value is None:
            return None
        j = i + 1
        if j < len(tokens) and tokens[j].kind == "num" and "/" in tokens[j].norm and "/" not in token.norm:
            fraction = number_value(tokens[j].norm)
            if fraction is not None and fraction < 1 and value == value.to_integral_value():
                return value + fraction, j + 1, None
        if _word(tokens, j) in _HALF and value == value.to_integral_value():
            return value + Decimal("0.5"), j + 1, None
        return value, j, None
    if token.kind != "word":
        return None
    spelled = _word_number(tokens, i)
    if spelled is not None:
        value, j = spelled
        if value == value.to_integral_value() and _word(tokens, j) in _HALF:
            value, j = value + Decimal("0.5"), j + 1
        return value, j, None
    word = token.norm
    if word in ONE_BEFORE_UNIT and i + 1 < len(tokens):
        j = i + 2 if tokens[i + 1].text == "-" else i + 1
        unit = UNIT_WORDS.get(_word(tokens, j))
        return (Decimal(1), j + 1, unit) if unit else None
    if word.startswith("se") and word[2:] in UNIT_WORDS:
        return Decimal(1), i + 1, UNIT_WORDS[word[2:]]
    if word.startswith("sa") and len(word) > 3 and word[2:] in UNIT_WORDS:  # Sundanese/Javanese "sakilo", "saiket"
        return Decimal(1), i + 1, UNIT_WORDS[word[2:]]
    if word.startswith("s") and word[1:] in {"kilo", "kg"}:  # "skilo"
        return Decimal(1), i + 1, UNIT_WORDS["kilo"]
    return None


def _money_at(tokens: list[Token], i: int) -> Quantity | None:
    word = _word(tokens, i)
    base = word[:-2] if word.endswith("an") and word[:-2] in _MONEY_SLANG else word
    if base in _MONEY_SLANG:
        return Quantity(Decimal(_MONEY_SLANG[base]), RUPIAH, i, _skip_trailers(tokens, i + 1), money=True)
    if word not in _RUPIAH_PREFIX or word == "rupiah":
        return None
    j = i + 1
    while j < len(tokens) and tokens[j].text in {".", ":"}:
        j += 1
    if j >= len(tokens) or tokens[j].kind != "num":
        return None
    value = number_value(tokens[j].norm)
    if value is None:
        return None
    j += 1
    factor = _MONEY_SUFFIX.get(_word(tokens, j))
    if factor:
        value, j = value * factor, j + 1
    return Quantity(value, RUPIAH, i, _skip_trailers(tokens, j), money=True)


def _skip_trailers(tokens: list[Token], j: int) -> int:
    """Past "an", "perak", ",-" after an amount ("5rb an", "Rp 5.000,-")."""
    while j < len(tokens):
        if _word(tokens, j) in _MONEY_TRAILERS:
            j += 1
        elif tokens[j].text == "," and j + 1 < len(tokens) and tokens[j + 1].text == "-":
            j += 2
        else:
            break
    return j


def _range_end(tokens: list[Token], j: int) -> tuple[Decimal, int] | None:
    """The upper bound of "4-5", "4 - 5", "4 sampai 5", "4 s/d 5"; None when no range follows."""
    if j >= len(tokens):
        return None
    if tokens[j].text in _RANGE_PUNCT or _word(tokens, j) in _RANGE_WORDS:
        k = j + 1
    elif [t.text.lower() for t in tokens[j : j + 3]] == ["s", "/", "d"]:
        k = j + 3
    else:
        return None
    if k < len(tokens) and tokens[k].kind in {"num", "word"}:
        upper = _amount(tokens, k)
        if upper is not None and upper[2] is None:
            return upper[0], upper[1]
    return None


def scan(tokens: list[Token], i: int, raw: str) -> Quantity | None:
    """The quantity starting at token ``i``, or None."""
    money = _money_at(tokens, i)
    if money is not None:
        return money
    amount = _amount(tokens, i)
    if amount is None:
        return None
    value, j, unit_word = amount
    note = ""
    if unit_word is None:
        upper = _range_end(tokens, j)
        if upper is not None and upper[0] > value:
            note = raw[tokens[i].start : tokens[upper[1] - 1].end]
            value, j = upper
        factor = _MONEY_SUFFIX.get(_word(tokens, j))
        if factor and (_word(tokens, j) != "k" or _glued(tokens, j)):
            return Quantity(value * factor, RUPIAH, i, _skip_trailers(tokens, j + 1), money=True, note=note)
        if _word(tokens, j) == "rupiah":
            return Quantity(value, RUPIAH, i, _skip_trailers(tokens, j + 1), money=True, note=note)
        unit_word = UNIT_WORDS.get(_word(tokens, j))
        if unit_word is not None:
            j += 1
            if unit_word.unit == "kg" and _word(tokens, j) in {"gram", "gr"}:  # "kilo gram"
                j += 1
    if unit_word is None:
        if value >= 1000 and value % 500 == 0:  # "cabe 5000": no one buys 5,000 kg of chillies
            return Quantity(value, RUPIAH, i, _skip_trailers(tokens, j), money=True, note=note)
        return Quantity(value, None, i, j, note=note)
    if _word(tokens, j) in _HALF and unit_word.factor == 1 and unit_word.unit:  # "sekilo setengah"
        value, j = value + Decimal("0.5"), j + 1
    kept = ""
    if unit_word.keep_word:
        kept = tokens[j - 1].norm.removeprefix("se") if j - 1 == i else tokens[j - 1].norm
        if kept == "ruas" and _word(tokens, j) == "jari":  # "3 ruas jari laos"
            kept, j = "ruas jari", j + 1
        elif kept == "ruas" and _word(tokens, j) == "ibu" and _word(tokens, j + 1) == "jari":
            kept, j = "ruas ibu jari", j + 2
    explicit = unit_word.unit is not None
    return Quantity(value * unit_word.factor, unit_word.unit, i, j, explicit_unit=explicit, note=note, kept_word=kept)

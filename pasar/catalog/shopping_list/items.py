"""Which commodity an item names: the longest vocabulary phrase among the item's words.

Words go through the same synonym tables as search (``cabe`` → ``cabai``, ``baput`` →
``bawang putih``), then typo correction for words the vocabulary does not know. A phrase
preceded by another content word is a different thing ("kecap asin" is not salted fish,
"kerupuk udang" is not prawns): Indonesian puts the head noun first.
"""

from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from pasar.catalog.search import canonicalize, correct_word, vocabulary
from pasar.catalog.shopping_list import chatter
from pasar.catalog.shopping_list.quantities import QUANTITY_WORDS, UNIT_WORDS
from pasar.catalog.vocabulary import BRANDS, COMMODITIES, PHRASE_ALIASES, TOKEN_ALIASES, CommodityDef

MAX_PHRASE = 4
_PREFIX_CUTOFF = 65.0
_SHORT = 5
# Leafy vegetables are often written with "daun" in front ("daun bayam"); other goods are not
# ("daun pisang" is banana leaf, not bananas).
_LEAF = "daun"
_LEAF_GROUP = "Sayur Daun"
# Words around an item that do not change what it is ("beli", "yg", "buat").
FILLERS = frozenset(
    str.split(
        "beli belikan tolong titip mau minta pesan pesen order plus tambah sama sm ama juga lagi trus terus "
        "dong ya yah bu ibu buk pak bapak mas mbak mba kak dek sis gan om tante neng bang "
        "belanja belanjaan daftar list hari ini besok beliin beliain belikan cariin carikan nitip "
        "secukupnya sckpnya sedikit dikit "
        "yg yang ada kalo kalau klo buat utk untuk harga isi ukuran uk size jenis merk merek the sekalian jg lg "
        "pls please mohon sekitar kira kurang lebih atau ato dgn dengan"
    )
)
# Phrases starting with a vocabulary word that name something else ("tepung maizena" is not wheat flour).
NOT_COMMODITIES = frozenset(
    {
        ("tepung", "maizena"),
        ("tepung", "roti"),
        ("tepung", "panir"),
        ("tepung", "sagu"),
        ("tepung", "ketan"),
        ("tepung", "bumbu"),
        ("minyak", "wijen"),
        ("minyak", "zaitun"),
        ("minyak", "ikan"),
        ("minyak", "kayu"),
        ("minyak", "tanah"),
        ("kecap", "asin"),
        ("kecap", "ikan"),
        ("kecap", "inggris"),
        ("beras", "ketan"),
        ("beras", "merah"),
        ("beras", "hitam"),
        ("gula", "halus"),
        ("gula", "batu"),
        ("gula", "palem"),
        ("jeruk", "lemon"),
        ("jeruk", "limau"),
        ("jeruk", "bali"),
        ("daging", "babi"),
        ("daging", "asap"),
        ("ayam", "goreng"),
        ("ayam", "bakar"),
        ("pisang", "goreng"),
        ("tahu", "goreng"),
        ("tahu", "bakso"),
        ("tahu", "isi"),
    }
)
# Abbreviations of list writers that are too short or too odd for the search synonyms.
_ABBREVIATIONS = {"b": "bawang", "bw": "bawang", "bwng": "bawang", "bwang": "bawang", "tlr": "telur", "tlor": "telur",
                  "tlur": "telur", "cbe": "cabai", "cabey": "cabai", "aym": "ayam", "dgg": "daging",
                  "mnyk": "minyak", "myk": "minyak"}  # fmt: skip


# Words that are never typos of a commodity: units ("botol" is not "bortol"), fillers, abbreviations.
_PROTECTED = (
    FILLERS | frozenset(_ABBREVIATIONS) | frozenset(UNIT_WORDS) | QUANTITY_WORDS | chatter.WORDS | chatter.ADDRESS
)


@dataclass(frozen=True)
class Match:
    commodity: CommodityDef | None  # None: the words name another product ("kecap asin")
    start: int  # index into the words given to ``find``
    end: int


@cache
def phrases() -> dict[tuple[str, ...], CommodityDef]:
    """Every canonicalised name and synonym → its commodity; a commodity's own name wins a clash."""
    table: dict[tuple[str, ...], CommodityDef] = {}
    for commodity in COMMODITIES:
        table.setdefault(tuple(canonicalize(commodity.name).split()), commodity)
    for commodity in COMMODITIES:
        for synonym in commodity.synonyms:
            table.setdefault(tuple(canonicalize(synonym).split()), commodity)
    return table


@cache
def phrase_pairs() -> frozenset[tuple[str, str]]:
    """Consecutive word pairs inside vocabulary phrases: "limo" in "jeruk limo" is a name, not five."""
    return frozenset(pair for phrase in phrases() for pair in zip(phrase, phrase[1:], strict=False))


@cache
def by_name() -> dict[str, CommodityDef]:
    return {c.name.lower(): c for c in COMMODITIES}


def canonical_words(norms: list[str]) -> list[tuple[str, int]]:
    """(canonical word, index of the source word) pairs: phrase aliases, then word aliases."""
    words = [_ABBREVIATIONS.get(w, w) for w in norms]
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(words):
        for phrase, canonical in _phrase_aliases().get(words[i], ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                # The last canonical word ends where the phrase ends, so its span covers every source word.
                out += [(w, i) for w in canonical[:-1]] + [(canonical[-1], i + len(phrase) - 1)]
                i += len(phrase)
                break
        else:
            out += [(w, i) for w in TOKEN_ALIASES.get(words[i], words[i]).split()]
            i += 1
    return out


@cache
def _phrase_aliases() -> dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """Phrase aliases by their first word."""
    table: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {}
    for phrase, canonical in PHRASE_ALIASES.items():
        words = tuple(phrase.split())
        table.setdefault(words[0], []).append((words, tuple(canonical.split())))
    return table


@cache
def corrected(word: str) -> str:
    """``word`` itself when known or a filler; else the vocabulary word one slip of the thumb away
    (one letter dropped, added, changed or two swapped: "kangkng", "tomta", "telr"), or, for a short
    word with a mangled ending, one of two slips that starts the same way ("putj" → "putih").
    Anything further is a different word, not a typo: "cengkeh" is cloves, not "cengek" chillies;
    "belanjaan" is not "belacan"."""
    if word in _PROTECTED or word in vocabulary() or len(word) < 4 or not word.isalpha():
        return word
    fixed = correct_word(word)
    # A four-letter word only gets a dropped letter back: one changed letter turns "asam" into "ayam".
    if fixed != word and OSA.distance(word, fixed) <= 1 and (len(word) > 4 or len(fixed) == 5):
        return fixed
    if len(word) <= _SHORT:
        same_start = [w for w in _vocabulary_list() if w[:3] == word[:3] and OSA.distance(word, w) <= 2]
        match = process.extractOne(word, same_start, scorer=fuzz.ratio, score_cutoff=_PREFIX_CUTOFF)
        if match:
            return str(match[0])
    return word


@cache
def _vocabulary_list() -> list[str]:
    return sorted(vocabulary())


def _longest(words: list[tuple[str, int]]) -> tuple[CommodityDef, int, int] | None:
    table = phrases()
    best: tuple[CommodityDef, int, int] | None = None
    best_key: tuple[str, ...] = ()
    for start in range(len(words)):
        for length in range(min(MAX_PHRASE, len(words) - start), 0, -1):
            key = tuple(w for w, _ in words[start : start + length])
            if key in table and (
                best is None
                or length > best[2] - best[1]
                # A brand beats a generic word of the same length: "tepung bogasari" is the packed flour.
                or (length == best[2] - best[1] and key in _brand_keys() and best_key not in _brand_keys())
            ):
                best, best_key = (table[key], start, start + length), key
                break
    return best


@cache
def _brand_keys() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(canonicalize(brand).split()) for brand in BRANDS)


def _same_head(before: list[str], commodity: CommodityDef, first_word: str) -> bool:
    """Words in front that only repeat the head or name the same commodity: "daun bayam", "daun jeruk
    purut" (→ "daun daun jeruk"), "terigu segitiga biru"."""
    content = [n for n in before if n not in FILLERS and n.isalpha()]
    own = _own_words(commodity.name)
    return all(
        n == first_word or n in own or n in UNIT_WORDS or (n == _LEAF and commodity.group == _LEAF_GROUP)
        for n in content
    )  # a unit word in front is packaging: "galon aqua 1", "botol kecap"


@cache
def _own_words(name: str) -> frozenset[str]:
    """The canonical words of a commodity's name, group and synonyms."""
    commodity = by_name()[name.lower()]
    texts = (commodity.name, commodity.group, *commodity.synonyms)
    return frozenset(w for text in texts for w in canonicalize(text).split() if w != _LEAF)


def find(norms: list[str], *, correct: bool = False) -> Match | None:
    """The commodity the words name, with the span of source words it covers; ``correct``: after
    typo correction of the words the vocabulary does not know. A vocabulary phrase that turns out
    to be part of another product's name gives a Match without commodity: nothing to correct."""
    if not norms:
        return None
    words = canonical_words([corrected(w) for w in norms] if correct else norms)
    found = _longest(words)
    if found is None:
        return None
    commodity, start, end = found
    first, last = words[start][1], words[end - 1][1]
    if any(n not in FILLERS and n.isalpha() for n in norms[:first]) and not _same_head(
        norms[:first], commodity, words[start][0]
    ):
        return Match(None, first, last + 1)  # "kecap asin": the head noun is not a commodity
    if tuple(w for w, _ in words[start : start + 2]) in NOT_COMMODITIES or (
        end < len(words) and (words[end - 1][0], words[end][0]) in NOT_COMMODITIES
    ):
        return Match(None, first, last + 1)
    return Match(commodity, first, last + 1)

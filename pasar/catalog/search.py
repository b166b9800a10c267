"""Search text normalisation: Indonesian synonyms, spelling variants and typo tolerance.

Products store ``search_text``: their name, their commodity and its synonyms, all
normalised and with spelling variants mapped to canonical words. A query goes through
the same mapping, then each word not in the vocabulary is corrected to the nearest
vocabulary word (``merh`` → ``merah``), and every resulting word must occur in the
product's ``search_text``. Matching is a substring test per word, run inside one market.
"""

import re
import unicodedata
from functools import cache

from rapidfuzz import fuzz, process

from pasar.catalog.vocabulary import COMMODITIES, PHRASE_ALIASES, TOKEN_ALIASES

_NON_WORD = re.compile(r"[^0-9a-z]+")
MAX_QUERY_WORDS = 6
TYPO_SCORE_CUTOFF = 75.0


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_WORD.sub(" ", ascii_text).strip()


def canonicalize(text: str) -> str:
    """Map phrase and word variants to canonical words: ``cabe ijo`` → ``cabai hijau``."""
    normalized = f" {normalize(text)} "
    for phrase, canonical in PHRASE_ALIASES.items():
        normalized = normalized.replace(f" {phrase} ", f" {canonical} ")
    words = [TOKEN_ALIASES.get(word, word) for word in normalized.split()]
    return " ".join(words)


@cache
def vocabulary() -> frozenset[str]:
    """Every word a grocery query may legitimately contain, canonical and variant."""
    words: set[str] = set()
    for commodity in COMMODITIES:
        for text in (commodity.name, commodity.group, *commodity.synonyms):
            words.update(canonicalize(text).split())
    words.update(TOKEN_ALIASES)
    for canonical in TOKEN_ALIASES.values():
        words.update(canonical.split())
    return frozenset(w for w in words if len(w) > 2)


@cache
def _vocabulary_list() -> list[str]:
    return sorted(vocabulary())


def correct_word(word: str) -> str:
    """The vocabulary word nearest to ``word`` when it is a likely typo; else ``word`` itself."""
    if len(word) <= 3 or word in vocabulary() or word.isdigit():
        return word
    match = process.extractOne(word, _vocabulary_list(), scorer=fuzz.ratio, score_cutoff=TYPO_SCORE_CUTOFF)
    return match[0] if match else word


def query_terms(query: str) -> list[str]:
    """The words every matching product must contain, after synonyms and typo correction."""
    words = [correct_word(w) for w in canonicalize(query).split()[:MAX_QUERY_WORDS]]
    # Correction can produce a variant ("bamer"), so canonicalise once more.
    terms = canonicalize(" ".join(words)).split()
    return list(dict.fromkeys(terms))


def product_search_text(*, name: str, commodity_name: str = "", synonyms: str = "") -> str:
    """The text stored on a product for matching; capped to the column size."""
    parts = [normalize(name), canonicalize(name), canonicalize(commodity_name)]
    parts += [canonicalize(s) for s in synonyms.split(",") if s.strip()]
    words = list(dict.fromkeys(" ".join(parts).split()))
    return " ".join(words)[:400]

"""Tokens of one shopping-list item, each with its span in the buyer's own text.

Spans let the note and the free-text name be cut from what the buyer wrote (their casing,
their punctuation) while matching works on a normalised form.
"""

import re
from functools import lru_cache
from typing import NamedTuple

from pasar.catalog.search import normalize

# Unicode vulgar fractions people paste or type on phone keyboards ("½ kg").
UNICODE_FRACTIONS = {
    "¼": "1/4",
    "½": "1/2",
    "¾": "3/4",
    "⅓": "1/3",
    "⅔": "2/3",
    "⅛": "1/8",
    "⅜": "3/8",
    "⅝": "5/8",
    "⅞": "7/8",
}

_TOKEN = re.compile(
    r"(?P<frac>[¼½¾⅓⅔⅛⅜⅝⅞])"
    r"|(?P<num>[0-9]+(?:[.,][0-9]+)*(?:/[0-9]+)?)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<punct>\S)"
)


class Token(NamedTuple):
    kind: str  # "num", "word", "punct" or "redup" (the "2" of "merah2": a repeated word, not a number)
    text: str  # as written
    norm: str  # lower-case ASCII for words; the text for numbers; "1/2" for "½"
    start: int
    end: int


@lru_cache(maxsize=65536)
def word_norm(word: str) -> str:
    return normalize(word).replace(" ", "")


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        raw = match.group()
        if kind == "word":
            norm = word_norm(raw)
        elif kind == "frac":
            kind, norm = "num", UNICODE_FRACTIONS[raw]
        else:
            norm = raw
        tokens.append(Token(kind, raw, norm, match.start(), match.end()))
    return _reduplications(tokens)


# A measure word after the 2 makes it a number after all ("telor2 kg" typed without its space).
_MEASURES = frozenset(
    {"kg", "kilo", "ons", "gram", "gr", "g", "liter", "lt", "ltr", "l", "ikat", "iket", "bks", "bungkus", "butir",
     "btr", "ekor", "papan", "biji", "bh", "buah"}
)  # fmt: skip


def _reduplications(tokens: list[Token]) -> list[Token]:
    """ "merah2", "kecil2", "masing2", "sayur2an": a 2 written straight after a word repeats the word."""
    for i in range(1, len(tokens)):
        token, before = tokens[i], tokens[i - 1]
        after = tokens[i + 1].norm if i + 1 < len(tokens) and tokens[i + 1].kind == "word" else ""
        if (
            token.kind == "num"
            and token.text == "2"
            and before.kind == "word"
            and len(before.norm) > 1
            and before.end == token.start
            and after not in _MEASURES
        ):
            tokens[i] = token._replace(kind="redup")
    return tokens

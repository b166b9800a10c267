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
    kind: str  # "num", "frac", "word" or "punct"
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
    return tokens

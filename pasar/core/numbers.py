"""Whole numbers typed into forms: ASCII digits only, bounded, or nothing.

``str.isdigit()`` is true for ``²`` and ``٣`` (``int("²")`` then raises) and ``int()`` takes any length
(25 nines overflow the database, 5,000 digits exceed Python's conversion limit): every form and query
value read by hand goes through ``parse_whole`` instead.
"""

import re

_WHOLE = re.compile(r"[0-9]{1,18}")


def parse_whole(text: str | None, *, maximum: int = 10**12) -> int | None:
    """``"12"`` → 12; None for empty, signs, decimals, non-ASCII digits, or a value above ``maximum``."""
    text = (text or "").strip()
    if not _WHOLE.fullmatch(text):
        return None
    value = int(text)
    return value if value <= maximum else None

"""Integer rupiah: parsing what people type and formatting as Indonesians write it."""

import re
from decimal import Decimal

from babel.numbers import format_currency, format_decimal
from django.utils.translation import get_language

MAX_PRICE = 100_000_000  # Rp 100 juta: above any single stall item (a cow is ~Rp 25 juta)
MAX_DIGITS = 15  # more is never an amount (and 25 nines overflow the database's integers)

_RUPIAH_INPUT = re.compile(r"^\s*(?:rp\.?\s*)?([0-9][0-9.\s]*)(?:,-|,00)?\s*$", re.IGNORECASE)


def format_rupiah(amount: int | None) -> str:
    """``12500`` → ``Rp12.500`` (PUEBI writes no space after Rp; no decimals for rupiah)."""
    if amount is None:
        return ""
    return format_currency(amount, "IDR", format="¤#,##0", currency_digits=False, locale="id_ID")


def format_number(value: float | int) -> str:
    """Decimal comma and thousands dot: ``1234.5`` → ``1.234,5``."""
    return format_decimal(value, locale="id_ID")


def format_quantity(value: Decimal) -> str:
    """A quantity as the reader writes it: ``0,25`` in Indonesian (decimal comma), ``0.25`` in English."""
    plain = f"{value.normalize():f}"
    return plain.replace(".", ",") if (get_language() or "id").startswith("id") else plain


def parse_rupiah(text: str) -> int | None:
    """Parse ``12500``, ``12.500``, ``Rp 12.500``, ``Rp12.500,-``; ``None`` if it is not a whole amount."""
    match = _RUPIAH_INPUT.match(text or "")
    if not match:
        return None
    digits = re.sub(r"[.\s]", "", match.group(1))
    if not (digits.isascii() and digits.isdigit()) or len(digits) > MAX_DIGITS:
        return None
    # "12.50" is a decimal and "12 50" a typo, not thousands grouping: reject rather than guess.
    groups = re.split(r"[.\s]", match.group(1).strip())
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        return None
    return int(digits)

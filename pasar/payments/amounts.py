"""Bounds shared by QRIS and the providers, and the whole-number check they all need."""

MIN_AMOUNT = 1
MAX_AMOUNT = 10_000_000  # per QRIS payment, as acquirers document it (docs.antom.com, docs.xendit.co)


def is_int(value: object) -> bool:
    """A real ``int``: ``True`` is an int to Python but never an amount or a code."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_payable(value: object) -> bool:
    """Whole rupiah within what one QRIS payment may carry."""
    return isinstance(value, int) and not isinstance(value, bool) and MIN_AMOUNT <= value <= MAX_AMOUNT

"""Bank transfer with a unique code: 1–999 rupiah added to the total so an incoming transfer names one order.

A bank-mutation feed only shows amounts, so the amount itself must identify the order: while an order waits
for a transfer, no other waiting order may expect the same amount. The database allocator arrives with the
orders; it will try ``candidate_codes(seed)`` in turn and insert the first ``transfer_amount`` that a partial
unique index on (bank account, amount) among pending transfers accepts. The index, not a read-then-write
check, is what guarantees that no two pending orders share an amount, even under concurrent checkouts.
Hence at most 999 pending transfers per (account, base amount): when every code is taken the allocator must
refuse (or offer QRIS), and a transfer that matches no order or several goes to manual reconciliation.

The order is pseudo-random so consecutive checkouts of the same total do not collide on code 1, 2, 3, …,
and deterministic in the seed so a retried allocation walks the same sequence.
"""

import hashlib
from collections.abc import Iterator

MIN_CODE = 1
MAX_CODE = 999


def _is_int(value: object) -> bool:
    # ``True`` is an int to Python but never an amount or a code.
    return isinstance(value, int) and not isinstance(value, bool)


def candidate_codes(seed: int | str) -> Iterator[int]:
    """Every code 1..999 exactly once, in an order fixed by ``seed`` (SHA-256 ranks, stable across Pythons)."""
    prefix = f"{type(seed).__name__}:{seed}:".encode()
    ranked = sorted(
        range(MIN_CODE, MAX_CODE + 1), key=lambda code: hashlib.sha256(prefix + str(code).encode()).digest()
    )
    yield from ranked


def transfer_amount(base: int, code: int) -> int:
    """The amount the buyer transfers: the order total in whole rupiah plus its unique code."""
    if not _is_int(base) or base < 1:
        raise ValueError(f"base must be a positive whole number of rupiah, not {base!r}")
    if not _is_int(code) or not MIN_CODE <= code <= MAX_CODE:
        raise ValueError(f"code must be a whole number from {MIN_CODE} to {MAX_CODE}, not {code!r}")
    return base + code

"""The aggregation method (docs/prices.md), as pure functions plus the one query over the products.

- Market: the median of the listed prices of that market's available products of the commodity, sold in
  the commodity's own unit (a bunch is not a kilo), rounded half up to whole rupiah; with min, max, the
  number of listings and of distinct stalls.
- Kab/kota, province, installation: the simple mean of the level below, rounded half up to Rp 50 — the
  rule that reproduces PIHPS' published all-province figure from its provincial figures.
- Change: against the same series the day before and seven days before; no data on either side (a
  missing row — a 0 in a Bapanas file means the same) gives no change, never -100 %.
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction

from django.db import connection

ROLLUP_STEP = 50  # PIHPS publishes regional prices in steps of Rp 50 (see docs/prices.md for the evidence)


@dataclass(frozen=True)
class MarketGroup:
    market_id: int
    commodity_id: int
    unit: str
    median: int
    min: int
    max: int
    listings: int
    stalls: int


def round_half_up(value: Fraction | int, step: int = 1) -> int:
    """``value`` to the nearest multiple of ``step``, halves upwards (prices are positive)."""
    quotient = Fraction(value) / step
    return int((quotient + Fraction(1, 2)).__floor__()) * step


def median_rupiah(prices: Sequence[int]) -> int:
    """The median of integer prices, the middle pair's mean rounded half up (Rp 2.500 and 3.000 → 2.750)."""
    ordered = sorted(prices)
    if not ordered:
        raise ValueError("median of no prices")
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return round_half_up(Fraction(ordered[mid - 1] + ordered[mid], 2))


def rollup_price(prices: Iterable[int]) -> int:
    """A region's figure from the figures one level below: their simple mean rounded to Rp 50."""
    values = list(prices)
    if not values:
        raise ValueError("roll-up of no prices")
    return round_half_up(Fraction(sum(values), len(values)), ROLLUP_STEP)


def change_percent(current: int | None, previous: int | None) -> float | None:
    """Percent change, or None when either side has no data (0 is no data, never a -100 % or +inf)."""
    if not current or not previous:
        return None
    return (current - previous) * 100 / previous


def is_alert(current: int | None, prev_day: int | None, prev_week: int | None, *, day: float, week: float) -> bool:
    by_day = change_percent(current, prev_day)
    by_week = change_percent(current, prev_week)
    return (by_day is not None and abs(by_day) >= day) or (by_week is not None and abs(by_week) >= week)


# The products counted: available, linked to a commodity, in the commodity's unit, in an active market.
_FILTER = """
    FROM catalog_product p
    JOIN catalog_commodity c ON c.id = p.commodity_id
    JOIN markets_market m ON m.id = p.market_id
    WHERE p.available AND p.unit = c.unit AND m.is_active {extra}
"""

# PostgreSQL: percentile_cont of integers is exact (x or x.5), so floor(x + 0.5) is the same half-up
# rounding as ``median_rupiah``.
_POSTGRES_SQL = (
    """
    SELECT p.market_id, p.commodity_id, c.unit,
           floor(percentile_cont(0.5) WITHIN GROUP (ORDER BY p.price) + 0.5)::integer,
           min(p.price), max(p.price), count(*), count(DISTINCT p.stall_id)
    """
    + _FILTER
    + " GROUP BY p.market_id, p.commodity_id, c.unit"
)
_PORTABLE_SQL = (
    "SELECT p.market_id, p.commodity_id, c.unit, p.price, p.stall_id"
    + _FILTER
    + " ORDER BY p.market_id, p.commodity_id"
)


def _where(market_ids: Sequence[int] | None) -> tuple[str, list[int]]:
    if market_ids is None:
        return "", []
    return f"AND p.market_id IN ({', '.join(['%s'] * len(market_ids))})", list(market_ids)


def market_groups(market_ids: Sequence[int] | None = None, *, in_sql: bool | None = None) -> Iterator[MarketGroup]:
    """Every (market, commodity) group of the current listings. ``in_sql`` defaults to PostgreSQL."""
    if in_sql is None:
        in_sql = connection.vendor == "postgresql"
    extra, params = _where(market_ids)
    with connection.cursor() as cursor:
        if in_sql:
            cursor.execute(_POSTGRES_SQL.format(extra=extra), params)
            for row in cursor.fetchall():
                yield MarketGroup(*row)
            return
        cursor.execute(_PORTABLE_SQL.format(extra=extra), params)
        yield from _python_groups(cursor.fetchall())


def _python_groups(rows: Iterable[tuple[int, int, str, int, int]]) -> Iterator[MarketGroup]:
    key: tuple[int, int, str] | None = None
    prices: list[int] = []
    stalls: set[int] = set()
    for market_id, commodity_id, unit, price, stall_id in rows:
        if (market_id, commodity_id, unit) != key:
            if key is not None:
                yield _group(key, prices, stalls)
            key, prices, stalls = (market_id, commodity_id, unit), [], set()
        prices.append(price)
        stalls.add(stall_id)
    if key is not None:
        yield _group(key, prices, stalls)


def _group(key: tuple[int, int, str], prices: list[int], stalls: set[int]) -> MarketGroup:
    return MarketGroup(*key, median_rupiah(prices), min(prices), max(prices), len(prices), len(stalls))

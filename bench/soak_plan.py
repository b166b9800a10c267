"""The soak's pure parts: the peak rate and its derivation, the open-loop arrival schedule, latency
summaries and the invariant checks over plain numbers (no Django, no HTTP), so they can be tested.

See the "Soak" section of bench/README.md for where each figure comes from.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Peak:
    """A busy city's peak hour, from field figures (``/work/shared/reference/field.md``).

    - ``markets_online``: markets of one busy city on the platform. Jakarta's Pasar Jaya runs 88 markets,
      DIY went online with 32, Sleman with 20 + 6; a kab/kota of Jawa Barat averages ~37 markets
      (the province bench). 40 = a big city with every market on.
    - ``orders_per_market_day``: Pasar Cikurubuk (Tasikmalaya, ~2,772 traders) had 215 online orders in
      May 2020 and "4×" that by 2021: 860 a month ≈ 29 a day. 30 = a busy market.
    - ``peak_hour_share``: orders come before the same-day cut-off (11:00 by default, Cikurubuk's
      "order before 11:00"); no public hourly profile exists, so we assume a 4-hour morning rush
      (06:00–10:00) carrying the day, i.e. the peak hour holds 25 % of it.
    """

    markets_online: int = 40
    orders_per_market_day: float = 30.0
    peak_hour_share: float = 0.25

    @property
    def orders_per_hour(self) -> float:
        return self.markets_online * self.orders_per_market_day * self.peak_hour_share

    def as_dict(self) -> dict[str, float]:
        return asdict(self) | {"orders_per_hour": self.orders_per_hour}


@dataclass(frozen=True)
class Mix:
    """What comes with each order, and the other roles' work per hour of peak, at 1×.

    Browsing: buyers look at more pages than they order from; ``views_per_order`` market, stall,
    search and product pages per placed order (split by ``view_shares``). Each trader saves the
    day's prices about once a morning, ``price_saves_share`` of them in the peak hour. Officers
    read dashboards rarely: ``dashboard_reads_per_hour`` for the whole city.
    """

    views_per_order: float = 8.0
    view_shares: tuple[tuple[str, float], ...] = (
        ("market", 0.25),
        ("stall", 0.35),
        ("search", 0.25),
        ("product", 0.15),
    )
    stalls_per_order: tuple[int, int] = (1, 3)
    lines_per_stall: tuple[int, int] = (1, 3)
    price_saves_share: float = 0.10
    dashboard_reads_per_hour: float = 6.0
    order_polls: int = 4  # the live order page polls every 15 s; a buyer watches it for about a minute


@dataclass(frozen=True)
class Rates:
    """Arrivals per second for each open-loop action at the run's multiplier."""

    multiplier: float
    orders_per_s: float
    views_per_s: dict[str, float]
    price_saves_per_s: float
    dashboard_reads_per_s: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def rates(peak: Peak, mix: Mix, *, multiplier: float, traders: int) -> Rates:
    """The run's arrival rates: ``multiplier`` × the city's peak hour; ``traders`` on the platform."""
    if multiplier <= 0:
        raise ValueError("the rate multiplier must be positive")
    orders = peak.orders_per_hour * multiplier / 3600
    views = {name: orders * mix.views_per_order * share for name, share in mix.view_shares}
    saves = traders * mix.price_saves_share * multiplier / 3600
    reads = mix.dashboard_reads_per_hour * multiplier / 3600
    return Rates(multiplier, orders, views, saves, reads)


def arrivals(rate_per_s: float, seconds: float, rng: random.Random, *, start: float = 0.0) -> list[float]:
    """Poisson arrival instants (exponential gaps) in ``[start, start + seconds)``: open loop, so a slow
    server does not slow the arrivals down and queueing shows in the latency."""
    if rate_per_s <= 0 or seconds <= 0:
        return []
    out: list[float] = []
    t = start
    while True:
        t += rng.expovariate(rate_per_s)
        if t >= start + seconds:
            return out
        out.append(t)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0–100); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(q / 100 * len(ordered))))
    return ordered[rank - 1]


@dataclass
class ActionStats:
    action: str
    count: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def summarize(samples: Iterable[tuple[str, float, bool]]) -> dict[str, ActionStats]:
    """Per action: (action, latency ms, ok) samples → count, errors and latency percentiles of all."""
    by: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    for action, ms, ok in samples:
        by.setdefault(action, []).append(ms)
        errors[action] = errors.get(action, 0) + (0 if ok else 1)
    return {
        a: ActionStats(
            a, len(v), errors[a], percentile(v, 50), percentile(v, 95), percentile(v, 99), max(v) if v else 0.0
        )
        for a, v in sorted(by.items())
    }


@dataclass
class Ledger:
    """What the database says after the run, as plain numbers (collected by ``bench.soak``)."""

    orders_placed_reported: int
    orders_in_database: int
    delivered: list[int]
    with_entry: list[int]
    entries_unbalanced: int
    postings_total: int
    stock_before: Mapping[int, int]
    stock_after: Mapping[int, int | None]
    stock_taken: Mapping[int, int]
    notes: list[str] = field(default_factory=list)


def invariant_problems(ledger: Ledger) -> list[str]:
    """Every broken invariant, in words (empty: all hold).

    Orders reported placed are in the database, each delivered order has its ledger entry, each
    entry and the whole ledger sum to zero, and for every counted product stock before − units the
    orders took = stock after (a product whose count was removed shows as a problem too).
    """
    problems: list[str] = []
    if ledger.orders_placed_reported != ledger.orders_in_database:
        problems.append(
            f"orders: {ledger.orders_placed_reported} placed (HTTP) but {ledger.orders_in_database} in the database"
        )
    missing = sorted(set(ledger.delivered) - set(ledger.with_entry))
    if missing:
        problems.append(f"{len(missing)} delivered orders without a ledger entry: {missing[:10]}")
    stray = sorted(set(ledger.with_entry) - set(ledger.delivered))
    if stray:
        problems.append(f"{len(stray)} ledger entries for orders not delivered: {stray[:10]}")
    if ledger.entries_unbalanced:
        problems.append(f"{ledger.entries_unbalanced} ledger entries whose postings do not sum to zero")
    if ledger.postings_total:
        problems.append(f"the ledger sums to {ledger.postings_total}, not 0")
    wrong = []
    for product, before in sorted(ledger.stock_before.items()):
        after = ledger.stock_after.get(product)
        expected = before - ledger.stock_taken.get(product, 0)
        if after != expected:
            wrong.append(f"product {product}: {before} - {ledger.stock_taken.get(product, 0)} = {expected}, is {after}")
    if wrong:
        problems.append(f"stock not conserved on {len(wrong)} products: " + "; ".join(wrong[:5]))
    return problems


def rss_growth(start: Mapping[str, int], end: Mapping[str, int]) -> dict[str, dict[str, int | None]]:
    """Per process role: RSS in kB at start and end and the change (None when the role is missing at one end)."""
    out: dict[str, dict[str, int | None]] = {}
    for role in sorted(set(start) | set(end)):
        a, b = start.get(role), end.get(role)
        out[role] = {"start_kb": a, "end_kb": b, "change_kb": (b - a) if a is not None and b is not None else None}
    return out

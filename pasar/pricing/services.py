"""Writes of the pricing app: the daily aggregation (replaces one day in one transaction), the demo
history, and reference-price imports (checked upload, then one-transaction confirm)."""

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.catalog.models import Commodity, Product
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.pricing import importer
from pasar.pricing.aggregation import MarketGroup, is_alert, market_groups, rollup_price
from pasar.pricing.models import (
    CeilingBreach,
    MarketCommodityPrice,
    ReferenceImport,
    ReferencePrice,
    RegionCommodityPrice,
)
from pasar.regions.models import Region

BATCH = 5000
Level = RegionCommodityPrice.Level


@dataclass(frozen=True)
class DayResult:
    date: date
    market_rows: int
    region_rows: int
    breaches: int


def alert_thresholds() -> tuple[float, float]:
    """Percent change that raises an alert: against yesterday, against the same day last week."""
    return (
        float(getattr(settings, "PASAR_PRICE_ALERT_DAY_PERCENT", 10)),
        float(getattr(settings, "PASAR_PRICE_ALERT_WEEK_PERCENT", 20)),
    )


def today() -> date:
    return timezone.localdate()


def prices_aggregate_day(*, day: date | None = None, market_ids: Sequence[int] | None = None) -> DayResult:
    """Summarise the stalls' current listed prices as ``day``'s prices (default: today, Asia/Jakarta).

    The catalog keeps only the current price of each product, so the job must run on the day it
    summarises (each evening; again during the day to refresh the board). Re-running a day replaces
    that day's rows. ``market_ids`` limits the markets (tests and the benchmark); roll-ups always
    cover every market that has rows that day.
    """
    day = day or today()
    if day > today():
        raise DomainError(_("Prices of a day that has not come yet cannot be computed."), code="future_day")
    groups = list(market_groups(market_ids))
    return write_day(day=day, groups=groups, market_ids=market_ids, breaches=True)


def write_day(
    *, day: date, groups: Sequence[MarketGroup], market_ids: Sequence[int] | None = None, breaches: bool = False
) -> DayResult:
    """Store one day's market rows from ``groups``, its ceiling breaches, and every roll-up, atomically."""
    ceilings = ceilings_on(day)
    market_rows = _market_rows(day, groups, ceilings)
    found = _find_breaches(day, market_rows) if breaches else []
    with transaction.atomic():
        stale = Q(date=day) if market_ids is None else Q(date=day, market_id__in=market_ids)
        MarketCommodityPrice.objects.filter(stale).delete()
        MarketCommodityPrice.objects.bulk_create(market_rows, batch_size=BATCH)
        if breaches:
            CeilingBreach.objects.filter(stale).delete()
            CeilingBreach.objects.bulk_create(found, batch_size=BATCH)
        region_rows = _write_rollups(day)
    return DayResult(day, len(market_rows), region_rows, len(found))


def _previous(model: type[MarketCommodityPrice], day: date) -> dict[tuple[int, int], int]:
    rows = model.objects.filter(date=day).values_list("market_id", "commodity_id", "median")
    return {(m, c): median for m, c, median in rows}


def _market_rows(day: date, groups: Sequence[MarketGroup], ceilings: "Ceilings") -> list[MarketCommodityPrice]:
    yesterday = _previous(MarketCommodityPrice, day - timedelta(days=1))
    last_week = _previous(MarketCommodityPrice, day - timedelta(days=7))
    day_limit, week_limit = alert_thresholds()
    rows = []
    for g in groups:
        key = (g.market_id, g.commodity_id)
        prev_day, prev_week = yesterday.get(key), last_week.get(key)
        ceiling = ceilings.for_market(g.market_id, g.commodity_id, g.unit)
        rows.append(
            MarketCommodityPrice(
                market_id=g.market_id, commodity_id=g.commodity_id, date=day, unit=g.unit, median=g.median,
                min=g.min, max=g.max, stalls=g.stalls, listings=g.listings, prev_day=prev_day,
                prev_week=prev_week, ceiling=ceiling,
                alert=is_alert(g.median, prev_day, prev_week, day=day_limit, week=week_limit),
            )
        )  # fmt: skip
    return rows


# Ceilings ------------------------------------------------------------------------------------------


@dataclass
class Ceilings:
    """The ceiling in force per (market or None for all markets, commodity): (price, unit)."""

    by_key: dict[tuple[int | None, int], tuple[int, str]]

    def for_market(self, market_id: int, commodity_id: int, unit: str) -> int | None:
        found = self.by_key.get((market_id, commodity_id)) or self.by_key.get((None, commodity_id))
        # Only a ceiling in the listing's own unit is comparable (a per-kg HET says nothing of a bunch).
        return found[0] if found and found[1] == unit else None

    def commodities(self) -> set[int]:
        return {c for _, c in self.by_key}


def ceilings_on(day: date) -> Ceilings:
    """The latest-starting ceiling valid on ``day`` per scope and commodity."""
    rows = (
        ReferencePrice.objects.filter(kind=ReferencePrice.Kind.CEILING, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("valid_from", "pk")
        .values_list("market_id", "commodity_id", "price", "unit")
    )
    return Ceilings({(m, c): (price, unit) for m, c, price, unit in rows})


def _find_breaches(day: date, rows: Sequence[MarketCommodityPrice]) -> list[CeilingBreach]:
    """The listings above their market's ceiling; sets each row's ``above_ceiling`` count."""
    over = {(r.market_id, r.commodity_id): r for r in rows if r.ceiling is not None and r.max > r.ceiling}
    if not over:
        return []
    lowest = min(r.ceiling for r in over.values() if r.ceiling is not None)
    products = Product.objects.filter(
        available=True, commodity_id__in={c for _, c in over}, market_id__in={m for m, _ in over}, price__gt=lowest
    ).values_list("pk", "market_id", "commodity_id", "price", "unit")
    found = []
    for pk, market_id, commodity_id, price, unit in products.iterator(chunk_size=BATCH):
        row = over.get((market_id, commodity_id))
        if row is not None and row.ceiling is not None and unit == row.unit and price > row.ceiling:
            row.above_ceiling += 1
            found.append(
                CeilingBreach(
                    date=day, market_id=market_id, product_id=pk, commodity_id=commodity_id, price=price,
                    ceiling=row.ceiling,
                )
            )  # fmt: skip
    return found


# Roll-ups ------------------------------------------------------------------------------------------


def _write_rollups(day: date) -> int:
    """Kab/kota ← markets, province ← kab/kota, installation ← provinces, for every commodity of the day."""
    RegionCommodityPrice.objects.filter(date=day).delete()
    markets = dict(Market.objects.values_list("pk", "region_id"))
    regions = {pk: (level, parent) for pk, level, parent in Region.objects.filter(
        pk__in=set(markets.values())).values_list("pk", "level", "parent_id")}  # fmt: skip
    # (region, commodity) → child figures; ``unit`` per commodity (market rows share the commodity's unit).
    regency: dict[tuple[int, int], list[int]] = defaultdict(list)
    province: dict[tuple[int, int], list[int]] = defaultdict(list)
    units: dict[int, str] = {}
    spread: dict[tuple[int | None, int], list[int]] = defaultdict(list)
    for market_id, commodity_id, median, unit in MarketCommodityPrice.objects.filter(date=day).values_list(
        "market_id", "commodity_id", "median", "unit"
    ):
        units[commodity_id] = unit
        region_id = markets[market_id]
        level, parent = regions[region_id]
        if level == Region.Level.PROVINCE:  # a market filed directly under a province counts as one child
            province[(region_id, commodity_id)].append(median)
            spread[(region_id, commodity_id)].append(median)
        else:
            regency[(region_id, commodity_id)].append(median)
            spread[(region_id, commodity_id)].append(median)
            spread[(parent, commodity_id)].append(median)
        spread[(None, commodity_id)].append(median)
    parents = dict(Region.objects.filter(pk__in={r for r, _ in regency}).values_list("pk", "parent_id"))
    figures: list[tuple[int | None, int, int, int]] = []  # (region, level, commodity, price)
    for (region_id, commodity_id), values in regency.items():
        price = rollup_price(values)
        figures.append((region_id, Level.REGENCY, commodity_id, price))
        province[(parents[region_id], commodity_id)].append(price)
    national: dict[int, list[int]] = defaultdict(list)
    for (region_id, commodity_id), values in province.items():
        price = rollup_price(values)
        figures.append((region_id, Level.PROVINCE, commodity_id, price))
        national[commodity_id].append(price)
    for commodity_id, values in national.items():
        figures.append((None, Level.INSTALLATION, commodity_id, rollup_price(values)))
    rows = _region_rows(day, figures, units, spread)
    RegionCommodityPrice.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _region_rows(
    day: date,
    figures: Iterable[tuple[int | None, int, int, int]],
    units: dict[int, str],
    spread: dict[tuple[int | None, int], list[int]],
) -> list[RegionCommodityPrice]:
    def previous(on: date) -> dict[tuple[int | None, int], int]:
        rows = RegionCommodityPrice.objects.filter(date=on).values_list("region_id", "commodity_id", "price")
        return {(r, c): price for r, c, price in rows}

    yesterday, last_week = previous(day - timedelta(days=1)), previous(day - timedelta(days=7))
    day_limit, week_limit = alert_thresholds()
    rows = []
    for region_id, level, commodity_id, price in figures:
        key = (region_id, commodity_id)
        prev_day, prev_week = yesterday.get(key), last_week.get(key)
        rows.append(
            RegionCommodityPrice(
                region_id=region_id, level=level, commodity_id=commodity_id, date=day, unit=units[commodity_id],
                price=price, min=min(spread[key]), max=max(spread[key]), markets=len(spread[key]),
                prev_day=prev_day, prev_week=prev_week,
                alert=is_alert(price, prev_day, prev_week, day=day_limit, week=week_limit),
            )
        )  # fmt: skip
    return rows


# Demo history --------------------------------------------------------------------------------------


def prices_backfill_demo(*, days: int = 30, seed: int = 5) -> int:
    """Give the demo a price history: today's real summary, and ``days - 1`` earlier days whose market
    medians follow a seeded random walk back from today's (the catalog keeps no past prices); about 2 %
    of the days lack a commodity, to show gaps and no -100 % change. Adds the national Minyakita HET
    as a ceiling for every market, so the flags have something to show."""
    end = today()
    minyakita = Commodity.objects.filter(name="Minyakita").first()
    if minyakita is not None:  # the national HET (Permendag 18/2024), for every market
        ReferencePrice.objects.get_or_create(
            kind=ReferencePrice.Kind.CEILING, market=None, commodity=minyakita, valid_from=date(2024, 8, 14),
            defaults={"unit": minyakita.unit, "price": 15_700, "source": "HET Minyakita, Permendag 18/2024"},
        )  # fmt: skip
    current = list(market_groups())
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    walks = {(g.market_id, g.commodity_id): 1.0 for g in current}
    history: list[tuple[date, list[MarketGroup]]] = []
    for back in range(days - 1, 0, -1):
        history.append((end - timedelta(days=back), []))
    # Walk backwards from today so the newest synthetic day sits next to the real one.
    for offset in range(len(history) - 1, -1, -1):
        day, groups = history[offset]
        for g in current:
            key = (g.market_id, g.commodity_id)
            walks[key] *= 1 + rng.uniform(-0.04, 0.04)
            if rng.random() < 0.02:
                continue  # no data that day
            median = max(100, round(g.median * walks[key] / 50) * 50)
            low, high = min(g.min, median), max(g.max, median)
            groups.append(replace(g, median=median, min=low, max=high))
    total = 0
    for day, groups in history:
        total += write_day(day=day, groups=groups).market_rows
    return total + prices_aggregate_day(day=end).market_rows


# Reference-price imports ---------------------------------------------------------------------------


def _lookup() -> importer.Vocabulary:
    commodities = Commodity.objects.values_list("pk", "name", "unit", "bapanas_id", "synonyms")
    return importer.Vocabulary.build(commodities)


def reference_import_prepare(*, market: Market, by: User, kind: str, filename: str, data: bytes) -> ReferenceImport:
    """Read and check an uploaded reference-price file; keep it for confirmation. A refused file writes nothing."""
    if kind not in ReferencePrice.Kind.values:
        raise DomainError(_("Choose the kind of reference price."), code="kind_unknown", field="kind")
    table = importer.read_prices(kind=kind, filename=filename, data=data)
    if table.problem is not None:
        raise DomainError(table.problem.message, code=table.problem.code, field="file")
    province = market.region.parent.name if market.region.parent else market.region.name
    checked = importer.check_rows(table.rows, vocabulary=_lookup(), kind=kind, province=province)
    return ReferenceImport.objects.create(
        market=market, uploaded_by=by, kind=kind, filename=filename[:200], rows=[r.as_dict() for r in checked]
    )


def reference_import_apply(*, upload: ReferenceImport, by: User) -> int:
    """Store every usable row in one transaction, replacing the market's figures of the same days.

    Refused while any row has a problem (the operator fixes the file and uploads it again): a file is
    imported whole or not at all. Rows noted as "no data" (price 0) or another province are skipped.
    """
    if upload.uploaded_by_id != by.pk:
        raise DomainError(_("Only the person who uploaded the file can confirm it."), code="not_owner")
    with transaction.atomic():
        locked = ReferenceImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != ReferenceImport.Status.PENDING:
            raise DomainError(_("This file was already imported."), code="import_applied")
        region = Region.objects.select_related("parent").get(markets=locked.market_id)
        province = region.parent.name if region.parent else region.name
        rows = importer.check_rows(
            [importer.PriceRow.from_dict(r) for r in locked.rows], vocabulary=_lookup(), kind=locked.kind,
            province=province,
        )  # fmt: skip
        if any(not r.ok for r in rows):
            raise DomainError(
                _("Nothing was imported: some rows have problems. Fix the file and upload it again."),
                code="import_has_problems",
            )
        usable = [r for r in rows if r.usable]
        if not usable:
            raise DomainError(_("The file has no prices to import."), code="import_empty")
        _replace_reference(locked, usable)
        locked.status = ReferenceImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "applied_at"])
    upload.status, upload.applied_at = locked.status, locked.applied_at
    return len(usable)


def _replace_reference(upload: ReferenceImport, rows: Sequence[importer.PriceRow]) -> None:
    wanted = {(row.commodity_id, row.valid_from) for row in rows}
    days = [day for _, day in wanted]
    existing = ReferencePrice.objects.filter(
        kind=upload.kind, market=upload.market, commodity_id__in={c for c, _ in wanted},
        valid_from__range=(min(days), max(days)),
    ).values_list("pk", "commodity_id", "valid_from")  # fmt: skip
    stale = [pk for pk, commodity_id, day in existing if (commodity_id, day) in wanted]
    for start in range(0, len(stale), 500):
        ReferencePrice.objects.filter(pk__in=stale[start : start + 500]).delete()
    source = {"het": "HET/HAP", "bapanas": "Bapanas", "pihps": "PIHPS"}[upload.kind]
    prices = []
    for row in rows:
        assert row.commodity_id is not None
        assert row.price_value is not None
        prices.append(
            ReferencePrice(
                kind=upload.kind,
                market=upload.market,
                commodity_id=row.commodity_id,
                valid_from=row.valid_from,
                valid_until=row.valid_until,
                unit=row.unit_code,
                price=row.price_value,
                source=f"{source} · {upload.filename}"[:200],
                imported=upload,
            )  # fmt: skip
        )
    ReferencePrice.objects.bulk_create(prices, batch_size=BATCH)

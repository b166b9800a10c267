"""The dates a standing order delivers on, and the market's cut-off for each (pure functions)."""

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pasar.markets.models import Market
from pasar.standing.models import StandingOrder

LOOK_BACK = timedelta(days=31)  # a run caught up after a long outage records at most a month of missed dates


def schedule_dates(standing: StandingOrder, *, start: date, end: date) -> Iterator[date]:
    """The standing order's dates in ``[start, end]``, within its begin/end and on the market's open days.

    "Every N days" counts from the start date, so the rhythm never drifts when a date is skipped.
    """
    first = max(start, standing.starts_on)
    last = end if standing.ends_on is None else min(end, standing.ends_on)
    open_days = standing.market.open_days
    day = first
    while day <= last:
        if str(day.isoweekday()) in open_days and _on_schedule(standing, day):
            yield day
        day += timedelta(days=1)


def _on_schedule(standing: StandingOrder, day: date) -> bool:
    if standing.every == StandingOrder.Every.DAYS:
        assert standing.interval_days
        return (day - standing.starts_on).days % standing.interval_days == 0
    return str(day.isoweekday()) in standing.weekdays


def next_date(standing: StandingOrder, *, after: date) -> date | None:
    """The first scheduled date after ``after`` (None once the end date is passed); looks a year ahead."""
    return next(schedule_dates(standing, start=after + timedelta(days=1), end=after + timedelta(days=366)), None)


def cutoff_of(market: Market, day: date) -> datetime:
    """Orders for ``day`` close at the market's cut-off on that day (``orders.pricing.market_day``)."""
    return datetime.combine(day, market.order_cutoff, tzinfo=ZoneInfo(market.timezone))


def closing_of(market: Market, day: date) -> datetime:
    """After the market closes on ``day`` nothing can be delivered for it any more."""
    return datetime.combine(day, market.closes_at, tzinfo=ZoneInfo(market.timezone))


def local_today(market: Market, now: datetime) -> date:
    return now.astimezone(ZoneInfo(market.timezone)).date()

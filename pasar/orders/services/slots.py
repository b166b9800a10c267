"""Pickup slots: hourly windows at the market's pickup point, each with a capacity.

Slots are created lazily, inside the checkout that books one (``order_place_at_slot``): pages and the
API list the day's *planned* slots (``slot_plan``) merged with the rows that already exist, so a GET
writes nothing, no management command or cron job has to run before a market can take pickup orders,
and a refused checkout rolls its new slot rows back with everything else.
"""

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.orders.models import Order, PickupSlot
from pasar.orders.pricing import market_day
from pasar.orders.services.placement import Checkout, order_place

SLOT_LENGTH = timedelta(hours=1)
SLOT_CAPACITY = 10


@dataclass(frozen=True)
class PlannedSlot:
    starts_at: datetime
    ends_at: datetime


def slot_plan(market: Market, day: date) -> list[PlannedSlot]:
    """Hourly windows from opening to closing in the market's own time zone (the last one may be shorter)."""
    zone = ZoneInfo(market.timezone)
    start = datetime.combine(day, market.opens_at, tzinfo=zone)
    close = datetime.combine(day, market.closes_at, tzinfo=zone)
    planned = []
    while start < close:
        end = min(start + SLOT_LENGTH, close)
        planned.append(PlannedSlot(start, end))
        start = end
    return planned


def slots_ensure(*, market: Market, day: date) -> int:
    """Create the day's planned slots that do not exist yet; returns how many were created."""
    existing = set(
        PickupSlot.objects.filter(
            market=market, starts_at__in=[p.starts_at for p in slot_plan(market, day)]
        ).values_list("starts_at", flat=True)
    )
    missing = [
        PickupSlot(market=market, starts_at=p.starts_at, ends_at=p.ends_at, capacity=SLOT_CAPACITY)
        for p in slot_plan(market, day)
        if p.starts_at not in existing
    ]
    # A concurrent checkout may create the same rows; the unique (market, starts_at) keeps one of each.
    PickupSlot.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)


@transaction.atomic
def order_place_at_slot(*, buyer: User, checkout: Checkout, starts_at: datetime) -> Order:
    """Place a pickup order in the slot starting at ``starts_at`` on today's market day, creating the
    day's slots first; one transaction, so a refused order leaves no slot rows behind."""
    replay = Order.objects.filter(buyer=buyer, idempotency_key=checkout.idempotency_key.strip()).first()
    if replay is not None:
        return replay
    now = timezone.now()
    slots_ensure(market=checkout.market, day=market_day(checkout.market, now))
    slot = PickupSlot.objects.filter(market=checkout.market, starts_at=starts_at).first()
    if slot is None or slot.starts_at <= now:
        raise DomainError(_("This pickup time is full or not available; choose another."), code="slot_full")
    return order_place(
        buyer=buyer,
        checkout=replace(checkout, fulfilment=Order.Fulfilment.PICKUP, pickup_slot_id=slot.pk),
    )

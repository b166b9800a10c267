"""Reminders the scheduler sends (orders/schedule.py): traders before the market's order cut-off."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.urls import reverse

from pasar.accounts.models import User
from pasar.markets.models import Market
from pasar.notifications.services import notify
from pasar.orders.models import StallOrder
from pasar.orders.notify import CUTOFF_REMINDER

REMIND_BEFORE = timedelta(minutes=30)
NOT_READY = (StallOrder.State.PENDING, StallOrder.State.ACCEPTED)


def remind_before_cutoff(*, now: datetime) -> int:
    """In the half hour before a market's cut-off, each trader with parts not ready yet hears it once a day."""
    sent = 0
    for market in Market.objects.filter(is_active=True):
        zone = ZoneInfo(market.timezone)
        local = now.astimezone(zone)
        cutoff = datetime.combine(local.date(), market.order_cutoff, tzinfo=zone)
        if not cutoff - REMIND_BEFORE <= local < cutoff:
            continue
        waiting = (
            StallOrder.objects.filter(stall__market=market, order__for_date=local.date(), state__in=NOT_READY)
            .values("stall_id", "stall__trader__user")
            .annotate(count=Count("pk"))
        )
        url = reverse("orders_staff:trader-orders")
        users = User.objects.in_bulk({row["stall__trader__user"] for row in waiting})
        for row in waiting:
            sent += notify(
                user=users[row["stall__trader__user"]],
                key=f"cutoff:{local.date():%Y%m%d}:{row['stall_id']}",
                template=CUTOFF_REMINDER,
                params={"cutoff": f"{market.order_cutoff:%H.%M}", "count": row["count"], "url": url},
                url=url,
                market_id=market.pk,
            )
    return sent

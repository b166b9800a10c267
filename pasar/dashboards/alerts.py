"""Operators told of late orders (dashboards/schedule.py runs it every 5 minutes)."""

from datetime import datetime

from django.urls import reverse

from pasar.dashboards.today import late_condition
from pasar.markets.models import Market, MarketRole
from pasar.notifications.services import notify
from pasar.orders.models import Order
from pasar.orders.notify import ORDER_LATE


def late_orders_notify(*, now: datetime) -> int:
    """Each market's operators hear of every order that became late, once per order and operator."""
    sent = 0
    for market in Market.objects.filter(is_active=True):
        late = Order.objects.filter(market=market).filter(late_condition(market, now)).order_by("pk")[:100]
        if not late:
            continue
        roles = MarketRole.objects.filter(market=market, role=MarketRole.Role.OPERATOR).select_related("user")
        url = reverse("orders_staff:operator-orders", kwargs={"slug": market.slug})
        for order in late:
            for role in roles:
                sent += notify(
                    user=role.user,
                    key=f"late:{order.pk}",
                    template=ORDER_LATE,
                    params={"number": order.number, "url": url},
                    url=url,
                    market_id=market.pk,
                )
    return sent

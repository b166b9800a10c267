from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pasar.dashboards.today import operator_day
from pasar.orders.models import Order
from pasar.orders.tests import staff_scenarios
from pasar.testing import factories

JKT = ZoneInfo("Asia/Jakarta")


@pytest.mark.django_db
def test_operators_day(market, roles, stall, product, time_machine):
    # The order is placed at 08:00 on the test's day, whatever hour the suite runs at (at 00:30 an order
    # "placed now" would be over three hours old by the 07:00 check below).
    time_machine.move_to(datetime.combine(timezone.localdate(), time(8, 0), tzinfo=JKT), tick=False)
    order = staff_scenarios.place(market=market, items=[(product, "1")], buyer=roles.buyer)
    Order.objects.filter(pk=order.pk).update(for_date=timezone.localdate())
    product.price_updated_at = timezone.now()
    product.save()
    idle = factories.stall(market=market)
    stale = factories.product(stall=idle)
    stale.price_updated_at = timezone.now() - timedelta(days=40)
    stale.save()

    early = datetime.combine(timezone.localdate(), time(7, 0), tzinfo=JKT)
    day = operator_day(market, now=max(early, order.created_at))
    assert [n for _label, n in day.by_state] == [1]
    assert idle.pk in [s.pk for s in day.no_prices_today]
    assert stall.pk not in [s.pk for s in day.no_prices_today]
    assert day.late == []
    assert idle.pk in [s.pk for s in day.idle_this_month]
    assert stall.pk not in [s.pk for s in day.idle_this_month]

    later = order.created_at + timedelta(hours=4)
    assert [o.pk for o in operator_day(market, now=later).late] == [order.pk]

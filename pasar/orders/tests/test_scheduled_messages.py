"""Messages sent by the scheduler's jobs, not by order events: before the cut-off, late orders, settlement."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from pasar.dashboards.alerts import late_orders_notify
from pasar.notifications.models import Notification
from pasar.orders.models import Order
from pasar.orders.services.reminders import remind_before_cutoff
from pasar.orders.tests import staff_scenarios
from pasar.payments.services import ledger_post_delivered_orders
from pasar.payments.services.settlement_notice import settlement_notify
from pasar.payments.tests.scenario import courier_of, deliver, make_ready, two_stall_order

pytestmark = [pytest.mark.django_db, pytest.mark.clock]
JKT = ZoneInfo("Asia/Jakarta")


def at(hour, minute=0):
    return datetime.combine(timezone.localdate(), time(hour, minute), tzinfo=JKT)


def test_traders_with_orders_not_ready_hear_once_in_the_half_hour_before_the_cut_off(market, roles, product):
    order = staff_scenarios.place(market=market, items=[(product, "1")], buyer=roles.buyer)
    Order.objects.filter(pk=order.pk).update(for_date=timezone.localdate())  # cut-off 11:00

    assert remind_before_cutoff(now=at(10, 15)) == 0  # too early
    assert remind_before_cutoff(now=at(10, 40)) == 1
    assert remind_before_cutoff(now=at(10, 45)) == 0  # once a day
    assert remind_before_cutoff(now=at(11, 5)) == 0  # past the cut-off

    note = Notification.objects.get(user=roles.trader)
    assert note.params["count"] == 1
    assert note.params["cutoff"] == "11.00"


def test_a_ready_part_needs_no_reminder(market, roles, product):
    order = staff_scenarios.prepare(staff_scenarios.place(market=market, items=[(product, "1")], buyer=roles.buyer))
    Order.objects.filter(pk=order.pk).update(for_date=timezone.localdate())

    assert remind_before_cutoff(now=at(10, 40)) == 0


def test_operators_hear_of_a_late_order_once(market, roles, product):
    order = staff_scenarios.place(market=market, items=[(product, "1")], buyer=roles.buyer)

    assert late_orders_notify(now=order.created_at) == 0
    later = order.created_at + timedelta(hours=4)
    assert late_orders_notify(now=later) == 1
    assert late_orders_notify(now=later) == 0

    note = Notification.objects.get(user=roles.operator)
    assert note.params["number"] == order.number
    assert not Notification.objects.filter(user=roles.other_operator).exists()


def test_each_trader_hears_the_days_settlement_once(market):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD, prices=(10000, 6000)))
    deliver(order, courier_of(market, "Asep"))
    assert ledger_post_delivered_orders(market=market) == 1
    traders = [part.stall.trader.user for part in order.parts.select_related("stall__trader__user")]

    assert settlement_notify(day=order.for_date) == 2
    assert settlement_notify(day=order.for_date) == 0

    amounts = sorted(Notification.objects.get(user=user).params["amount"] for user in traders)
    assert amounts == ["Rp10.000", "Rp6.000"]

"""Order events notify the people they concern, after the commit, once, never the actor."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from pasar.notifications.models import Notification
from pasar.orders.models import Order
from pasar.orders.notify import RULES
from pasar.orders.services import fulfilment
from pasar.orders.tasks import order_event_notify
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def notes_of(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("message", flat=True))


@pytest.fixture
def two_stalls(market, stall):
    other = factories.stall(market=market, number="B2", trader_obj=factories.trader(name="Ujang"))
    return stall, other


def test_placing_notifies_each_trader_after_the_commit(market, two_stalls, django_capture_on_commit_callbacks):
    first, second = two_stalls
    items = [(factories.product(stall=first, price=5000), "1"), (factories.product(stall=second, price=3000), "1")]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order = sc.place(market=market, items=items)
    assert not Notification.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()
    for s in two_stalls:
        [note] = Notification.objects.filter(user=s.trader.user)
        assert order.number in note.text
    assert not Notification.objects.filter(user=order.buyer).exists()  # the buyer placed it: no news to them


def test_a_rolled_back_change_notifies_nobody(market, stall, django_capture_on_commit_callbacks):
    product = factories.product(stall=stall, price=5000, stock=1)
    buyer = factories.user(name="Pembeli")
    with django_capture_on_commit_callbacks(execute=True):
        sc.place(market=market, items=[(product, "1")], buyer=buyer)
        with pytest.raises(Exception):  # noqa: B017,PT011 - the second order finds no stock and rolls back
            sc.place(market=market, items=[(product, "1")])
    assert Notification.objects.filter(user=stall.trader.user).count() == 1


def test_delivery_story_tells_the_buyer_each_step(market, stall, django_capture_on_commit_callbacks):
    chili = sc.weighed_product(stall=stall)
    rider = sc.courier(market)
    with django_capture_on_commit_callbacks(execute=True):
        order = sc.place(market=market, items=[(chili, "0.5")])
        order = sc.prepare(order)
        order = sc.picked_up(order, rider)
        fulfilment.courier_deliver(order=order, courier=rider, code=order.handover_code, cash=order.total)
    texts = [n.text for n in Notification.objects.filter(user=order.buyer).order_by("pk")]
    assert len(texts) == 4  # ready (waits for a courier), courier collecting, on its way, delivered
    assert all(order.number in t for t in texts)
    assert Notification.objects.filter(user=stall.trader.user).count() == 2  # new order, delivered
    assert not Notification.objects.filter(user=rider).exists()


def test_over_tolerance_weight_asks_the_buyer(market, stall, django_capture_on_commit_callbacks):
    chili = sc.weighed_product(stall=stall)
    order = sc.place(market=market, items=[(chili, "0.5")])
    part = order.parts.get()
    line = part.lines.get()
    trader = stall.trader.user
    fulfilment.part_accept(part_id=part.pk, actor=trader)
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.line_weigh(part_id=part.pk, line_id=line.pk, quantity=line.quantity, amount=20000, actor=trader)
    assert Notification.objects.filter(user=order.buyer).count() == 0  # within ±10 %: nobody bothered
    order2 = sc.place(market=market, items=[(chili, "0.5")], buyer=order.buyer)
    part2 = order2.parts.get()
    line2 = part2.lines.get()
    fulfilment.part_accept(part_id=part2.pk, actor=trader)
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.line_weigh(part_id=part2.pk, line_id=line2.pk, quantity=Decimal("0.6"), amount=24000, actor=trader)
    [note] = Notification.objects.filter(user=order.buyer)
    assert order2.number in note.text
    assert note.url == order2.get_absolute_url()


def test_cancelling_tells_buyer_and_traders_with_the_reason(market, stall, roles, django_capture_on_commit_callbacks):
    product = factories.product(stall=stall, price=5000)
    order = sc.place(market=market, items=[(product, "1")])
    with django_capture_on_commit_callbacks(execute=True):
        fulfilment.order_cancel(order=order, actor=roles.operator, reason="Pasar tutup banjir")
    for user in (order.buyer, stall.trader.user):
        [note] = Notification.objects.filter(user=user)
        assert "Pasar tutup banjir" in note.text


def test_a_task_run_twice_notifies_once(market, stall):
    product = factories.product(stall=stall, price=5000)
    order = sc.place(market=market, items=[(product, "1")])
    event = order.events.get(kind="placed")
    Notification.objects.all().delete()
    assert order_event_notify.call(event.pk) == 1
    assert order_event_notify.call(event.pk) == 0
    assert Notification.objects.count() == 1


def test_every_rule_names_an_event_the_code_records():
    """A renamed event kind would silently stop its notifications."""
    # Complaints (an app above orders) record their events through ``orders.events.record`` too.
    apps = [Path(__file__).parents[1], Path(__file__).parents[2] / "complaints"]
    source = "\n".join(p.read_text() for app in apps for p in app.rglob("*.py") if "tests" not in p.parts)
    recorded = set(re.findall(r'record\(\s*\w+,\s*f?"(\w+)"', source))
    recorded |= {f"order_{state}" for state in Order.State.values}  # move_order records order_<state>
    assert set(RULES) <= recorded, set(RULES) - recorded


def test_a_transfer_to_confirm_tells_the_market_operator(market, stall, roles, django_capture_on_commit_callbacks):
    product = factories.product(stall=stall, price=5000)
    with django_capture_on_commit_callbacks(execute=True):
        order = sc.place(market=market, items=[(product, "1")], payment=Order.PaymentMethod.TRANSFER)
        sc.prepare(order)
    order.refresh_from_db()
    [note] = Notification.objects.filter(user=roles.operator)
    assert order.number in note.text
    assert note.url == f"/pengelola/{market.slug}/transfer/"
    assert not Notification.objects.filter(user=roles.other_operator).exists()


def test_with_opt_in_the_trader_gets_the_new_order_as_a_whatsapp_template(
    market, stall, settings, django_capture_on_commit_callbacks
):
    from pasar.notifications.models import OptIn, OutboundMessage
    from pasar.notifications.services import opt_in

    settings.PASAR_WHATSAPP_PROVIDER = "fake"
    market.whatsapp_phone_number_id = "market-number"
    market.save(update_fields=["whatsapp_phone_number_id"])
    opt_in(user=stall.trader.user, source=OptIn.Source.OPERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        order = sc.place(market=market, items=[(factories.product(stall=stall, price=5000), "1")])
    message = OutboundMessage.objects.get(to=stall.trader.user.phone)
    part = order.parts.get()
    assert (message.template, message.sender, message.market_id) == ("pesanan_baru_lapak", "market-number", market.pk)
    assert message.params == [order.number, f"http://127.0.0.1:8000/pedagang/pesanan/{part.pk}/"]
    assert message.status == "sent"

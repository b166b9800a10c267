"""After placing: traders prepare and weigh, buyers decide, couriers deliver, operators cancel.

Each refusal also checks that nothing changed: the order, its parts and lines, stock and events.
"""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.orders.models import Order, OrderEvent, OrderLine, PickupSlot, StallOrder
from pasar.orders.services import fulfilment
from pasar.orders.tests import staff_scenarios as sc
from pasar.testing import factories

pytestmark = pytest.mark.django_db

L = OrderLine.State


def state_of(order):
    """Everything a refused service call must leave as it was."""
    return {
        "order": Order.objects.values().get(pk=order.pk),
        "parts": list(StallOrder.objects.filter(order=order).order_by("pk").values()),
        "lines": list(OrderLine.objects.filter(part__order=order).order_by("pk").values()),
        "events": OrderEvent.objects.filter(order=order).count(),
        "stock": list(Product.objects.order_by("pk").values_list("pk", "stock")),
        "slots": list(PickupSlot.objects.order_by("pk").values_list("pk", "booked")),
    }


def refused(call, order, code):
    before = state_of(order)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    assert state_of(order) == before
    return caught.value


@pytest.fixture
def trader(stall):
    return stall.trader.user


@pytest.fixture
def chili(stall):
    return sc.weighed_product(stall=stall)  # Rp 40.000/kg


@pytest.fixture
def eggs(stall):
    return factories.product(stall=stall, name="Telur", unit="butir", price=2500, stock=10)


# The trader's part.


def test_accepting_every_part_confirms_the_order(market, stall, eggs):
    other = factories.stall(market=market)
    tofu = factories.product(stall=other, name="Tahu", unit="potong", price=1000)
    order = sc.place(market=market, items=[(eggs, "2"), (tofu, "5")])
    mine, theirs = order.parts.order_by("pk")

    fulfilment.part_accept(part_id=mine.pk, actor=stall.trader.user)
    order.refresh_from_db()
    assert order.state == Order.State.PLACED

    fulfilment.part_accept(part_id=theirs.pk, actor=other.trader.user)
    order.refresh_from_db()
    assert order.state == Order.State.CONFIRMED
    assert list(order.parts.values_list("state", flat=True)) == ["accepted", "accepted"]
    assert list(order.events.values_list("kind", flat=True)) == [
        "placed",
        "part_accepted",
        "part_accepted",
        "order_confirmed",
    ]


def test_accepting_twice_is_refused(market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "2")])
    part = order.parts.get()
    fulfilment.part_accept(part_id=part.pk, actor=trader)
    refused(lambda: fulfilment.part_accept(part_id=part.pk, actor=trader), order, "part_state_backwards")


def test_an_unavailable_line_gives_its_stock_back(market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    line = sc.line_of(order, eggs)
    eggs.refresh_from_db()
    assert eggs.stock == 6

    fulfilment.line_mark(part_id=line.part_id, line_id=line.pk, available=False, actor=trader)

    line.refresh_from_db()
    eggs.refresh_from_db()
    assert (line.state, line.stock_taken, eggs.stock) == (L.UNAVAILABLE, 0, 10)
    assert line.amount == 0
    refused(
        lambda: fulfilment.line_mark(part_id=line.part_id, line_id=line.pk, available=True, actor=trader),
        order,
        "line_settled",
    )


def test_a_line_of_another_part_is_refused(market, trader, eggs):
    other = factories.stall(market=market)
    tofu = factories.product(stall=other, name="Tahu", unit="potong", price=1000)
    order = sc.place(market=market, items=[(eggs, "1"), (tofu, "1")])
    mine = order.parts.get(stall__trader__user=trader)
    foreign = sc.line_of(order, tofu)
    refused(
        lambda: fulfilment.line_mark(part_id=mine.pk, line_id=foreign.pk, available=False, actor=trader),
        order,
        "line_not_in_part",
    )


@pytest.mark.parametrize(
    ("weighed", "amount", "needs_approval"),
    [
        ("0.25", 10000, False),  # as ordered
        ("0.275", 11000, False),  # +10 %: still within the tolerance
        ("0.225", 9000, False),  # -10 %
        ("0.3", 12000, True),  # +20 %: the buyer must approve
        ("0.2", 8000, True),  # -20 %
    ],
)
def test_weighing_beyond_ten_percent_needs_the_buyers_approval(market, trader, chili, weighed, amount, needs_approval):
    order = sc.place(market=market, items=[(chili, "0.25")])
    line = sc.line_of(order, chili)
    assert line.estimate == 10000

    fulfilment.line_weigh(part_id=line.part_id, line_id=line.pk, quantity=Decimal(weighed), amount=amount, actor=trader)

    line.refresh_from_db()
    assert (line.final_quantity, line.final_amount, line.state) == (Decimal(weighed), amount, L.AVAILABLE)
    assert line.needs_approval is needs_approval
    assert line.amount == amount
    assert order.events.latest("pk").data == {
        "line": line.pk,
        "quantity": weighed,
        "amount": amount,
        "needs_approval": needs_approval,
    }


def test_a_price_that_does_not_follow_the_weight_is_refused(market, trader, chili):
    order = sc.place(market=market, items=[(chili, "0.25")])
    line = sc.line_of(order, chili)
    refused(
        lambda: fulfilment.line_weigh(
            part_id=line.part_id, line_id=line.pk, quantity=Decimal("0.25"), amount=15000, actor=trader
        ),
        order,
        "weight_price_mismatch",
    )
    refused(
        lambda: fulfilment.line_weigh(
            part_id=line.part_id, line_id=line.pk, quantity=Decimal("501"), amount=20_040_000, actor=trader
        ),
        order,
        "weight_invalid",
    )


def test_counted_goods_are_not_weighed(market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "2")])
    line = sc.line_of(order, eggs)
    refused(
        lambda: fulfilment.line_weigh(
            part_id=line.part_id, line_id=line.pk, quantity=Decimal(2), amount=5000, actor=trader
        ),
        order,
        "not_weighed",
    )


def test_marking_an_over_weight_line_unavailable_drops_the_approval(market, trader, chili):
    order = sc.place(market=market, items=[(chili, "0.25")])
    line = sc.line_of(order, chili)
    fulfilment.part_accept(part_id=line.part_id, actor=trader)
    fulfilment.line_weigh(part_id=line.part_id, line_id=line.pk, quantity=Decimal("0.5"), amount=20000, actor=trader)
    fulfilment.line_mark(part_id=line.part_id, line_id=line.pk, available=False, actor=trader)
    line.refresh_from_db()
    assert (line.state, line.needs_approval) == (L.UNAVAILABLE, False)
    fulfilment.part_ready(part_id=line.part_id, actor=trader)
    order.refresh_from_db()
    assert (order.state, order.goods_total) == (Order.State.READY, 0)


# Substitutes.


@pytest.fixture
def duck_eggs(stall):
    return factories.product(stall=stall, name="Telur Bebek", unit="butir", price=3000, stock=5)


def test_a_substitute_takes_stock_and_waits_for_the_buyer(market, trader, eggs, duck_eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    line = sc.line_of(order, eggs)

    substitute = fulfilment.line_substitute(
        part_id=line.part_id, line_id=line.pk, product=duck_eggs, quantity=Decimal(3), actor=trader
    )

    line.refresh_from_db()
    duck_eggs.refresh_from_db()
    assert line.state == L.SUBSTITUTE_PROPOSED
    assert (substitute.substitute_for_id, substitute.needs_approval, substitute.estimate) == (line.pk, True, 9000)
    assert (substitute.stock_taken, duck_eggs.stock) == (3, 2)
    # Until the buyer answers, the trader can neither weigh, mark nor replace the substitute.
    refused(
        lambda: fulfilment.line_mark(part_id=line.part_id, line_id=substitute.pk, available=True, actor=trader),
        order,
        "substitute_pending",
    )
    refused(lambda: fulfilment.part_ready(part_id=line.part_id, actor=trader), order, "part_open")


def test_approving_a_substitute_gives_the_originals_stock_back(market, trader, eggs, duck_eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    line = sc.line_of(order, eggs)
    substitute = fulfilment.line_substitute(
        part_id=line.part_id, line_id=line.pk, product=duck_eggs, quantity=Decimal(3), actor=trader
    )

    fulfilment.buyer_decide(order=order, line_id=substitute.pk, approve=True, actor=order.buyer)

    line.refresh_from_db()
    substitute.refresh_from_db()
    eggs.refresh_from_db()
    duck_eggs.refresh_from_db()
    assert (line.state, substitute.state, substitute.needs_approval) == (L.SUBSTITUTED, L.AVAILABLE, False)
    assert (eggs.stock, duck_eggs.stock) == (10, 2)
    fulfilment.part_accept(part_id=line.part_id, actor=trader)
    fulfilment.part_ready(part_id=line.part_id, actor=trader)
    order.refresh_from_db()
    assert (order.state, order.goods_total) == (Order.State.READY, 9000)


def test_refusing_a_substitute_gives_both_stocks_back(market, trader, eggs, duck_eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    line = sc.line_of(order, eggs)
    substitute = fulfilment.line_substitute(
        part_id=line.part_id, line_id=line.pk, product=duck_eggs, quantity=Decimal(3), actor=trader
    )

    fulfilment.buyer_decide(order=order, line_id=substitute.pk, approve=False, actor=order.buyer)

    line.refresh_from_db()
    substitute.refresh_from_db()
    eggs.refresh_from_db()
    duck_eggs.refresh_from_db()
    assert (line.state, substitute.state) == (L.UNAVAILABLE, L.REFUSED)
    assert (eggs.stock, duck_eggs.stock) == (10, 5)
    assert (line.amount, substitute.amount) == (0, 0)


def test_substitutes_must_be_the_stalls_own_available_products(market, trader, eggs, duck_eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    line = sc.line_of(order, eggs)
    foreign = factories.product(stall=factories.stall(market=market), name="Telur Puyuh", unit="butir")
    sold_out = factories.product(stall=line.part.stall, name="Telur Asin", unit="butir", available=False)
    duck_eggs.stock = 2
    duck_eggs.save(update_fields=["stock"])

    def propose(product, quantity="3"):
        return lambda: fulfilment.line_substitute(
            part_id=line.part_id, line_id=line.pk, product=product, quantity=Decimal(quantity), actor=trader
        )

    refused(propose(foreign), order, "substitute_foreign")
    refused(propose(eggs), order, "substitute_foreign")
    refused(propose(sold_out), order, "substitute_unavailable")
    refused(propose(duck_eggs), order, "insufficient_stock")
    refused(propose(duck_eggs, "1.5"), order, "quantity_off_step")


def test_refusing_an_over_weight_gives_its_stock_back(market, trader, stall):
    rice = sc.weighed_product(stall=stall, name="Beras", price=12000)
    rice.stock = 20
    rice.save(update_fields=["stock"])
    order = sc.place(market=market, items=[(rice, "5")])
    line = sc.line_of(order, rice)
    fulfilment.line_weigh(part_id=line.part_id, line_id=line.pk, quantity=Decimal(6), amount=72000, actor=trader)

    fulfilment.buyer_decide(order=order, line_id=line.pk, approve=False, actor=order.buyer)

    line.refresh_from_db()
    rice.refresh_from_db()
    assert (line.state, line.needs_approval, line.stock_taken, rice.stock) == (L.REFUSED, False, 0, 20)


def test_a_decision_on_a_cancelled_order_is_refused(market, trader, eggs, duck_eggs):
    order = sc.place(market=market, items=[(eggs, "4")])
    line = sc.line_of(order, eggs)
    substitute = fulfilment.line_substitute(
        part_id=line.part_id, line_id=line.pk, product=duck_eggs, quantity=Decimal(3), actor=trader
    )
    fulfilment.order_cancel(order=order, reason="Pembeli minta batal", actor=trader)
    refused(
        lambda: fulfilment.buyer_decide(order=order, line_id=substitute.pk, approve=True, actor=order.buyer),
        order,
        "order_closed",
    )


# Ready.


def test_a_part_with_open_or_unweighed_lines_is_not_ready(market, trader, chili, eggs):
    order = sc.place(market=market, items=[(chili, "0.5"), (eggs, "2")])
    part = order.parts.get()
    fulfilment.part_accept(part_id=part.pk, actor=trader)
    refused(lambda: fulfilment.part_ready(part_id=part.pk, actor=trader), order, "part_open")
    for line in part.lines.all():
        fulfilment.line_mark(part_id=part.pk, line_id=line.pk, available=True, actor=trader)
    refused(lambda: fulfilment.part_ready(part_id=part.pk, actor=trader), order, "part_unweighed")


def test_the_last_ready_part_makes_the_order_ready_with_its_final_total(market, trader, chili, eggs):
    order = sc.place(market=market, items=[(chili, "0.5"), (eggs, "2")])
    part = order.parts.get()
    fulfilment.part_accept(part_id=part.pk, actor=trader)
    fulfilment.line_weigh(
        part_id=part.pk, line_id=sc.line_of(order, chili).pk, quantity=Decimal("0.52"), amount=20800, actor=trader
    )
    fulfilment.line_mark(part_id=part.pk, line_id=sc.line_of(order, eggs).pk, available=True, actor=trader)

    fulfilment.part_ready(part_id=part.pk, actor=trader)

    order.refresh_from_db()
    assert (order.state, order.goods_estimate, order.goods_total) == (Order.State.READY, 25000, 25800)
    assert order.payment_state == Order.PaymentState.UNPAID  # cash on delivery: nothing to issue
    # A ready part no longer changes: its amount is in the order's total.
    line = sc.line_of(order, eggs)
    refused(
        lambda: fulfilment.line_mark(part_id=part.pk, line_id=line.pk, available=False, actor=trader),
        order,
        "part_closed",
    )


def test_a_ready_transfer_order_gets_its_amount_with_a_unique_code(market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "2")], payment=Order.PaymentMethod.TRANSFER)
    assert order.payment_state == Order.PaymentState.AWAITING_WEIGHING

    order = sc.prepare(order)

    assert order.payment_state == Order.PaymentState.AWAITING_PAYMENT
    code = order.unique_code
    assert code is not None
    assert 1 <= code <= 999
    assert order.amount_due == 5000 + 8000 + code


# Cancelling.


def test_cancelling_gives_stock_and_the_pickup_slot_back(market, trader, eggs, duck_eggs):
    slot = sc.pickup_slot(market)
    order = sc.place(market=market, items=[(eggs, "4")], payment=Order.PaymentMethod.QRIS, slot=slot)
    line = sc.line_of(order, eggs)
    fulfilment.line_substitute(
        part_id=line.part_id, line_id=line.pk, product=duck_eggs, quantity=Decimal(2), actor=trader
    )
    slot.refresh_from_db()
    assert slot.booked == 1

    fulfilment.order_cancel(order=order, reason="  Pasar tutup banjir  ", actor=trader)

    order.refresh_from_db()
    slot.refresh_from_db()
    eggs.refresh_from_db()
    duck_eggs.refresh_from_db()
    assert (order.state, order.cancel_reason, order.payment_state) == (
        Order.State.CANCELLED,
        "Pasar tutup banjir",
        Order.PaymentState.UNPAID,
    )
    assert (eggs.stock, duck_eggs.stock, slot.booked) == (10, 5, 0)
    assert list(order.parts.values_list("state", flat=True)) == ["cancelled"]
    assert list(OrderLine.objects.filter(part__order=order).values_list("stock_taken", flat=True)) == [0, 0]
    assert order.events.latest("pk").data == {"previous": "placed", "reason": "Pasar tutup banjir"}


def test_cancelling_frees_a_pending_transfer_amount(market, trader, eggs):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")], payment=Order.PaymentMethod.TRANSFER))
    fulfilment.order_cancel(order=order, reason="Tidak dibayar", actor=trader)
    order.refresh_from_db()
    assert (order.state, order.payment_state) == (Order.State.CANCELLED, Order.PaymentState.UNPAID)


def test_cancel_refusals(market, trader, eggs):
    order = sc.place(market=market, items=[(eggs, "2")])
    refused(lambda: fulfilment.order_cancel(order=order, reason="   ", actor=trader), order, "reason_required")
    fulfilment.order_cancel(order=order, reason="Batal", actor=trader)
    refused(lambda: fulfilment.order_cancel(order=order, reason="Lagi", actor=trader), order, "state_backwards")
    paid = sc.place(market=market, items=[(eggs, "1")])
    Order.objects.filter(pk=paid.pk).update(payment_state=Order.PaymentState.PAID)
    refused(lambda: fulfilment.order_cancel(order=paid, reason="Batal", actor=trader), paid, "cancel_paid")


def test_a_part_read_before_the_cancel_cannot_be_marked_ready_after_it(market, trader, eggs):
    """The part's state is read under the order's lock, so a cancel in between is seen."""
    order = sc.place(market=market, items=[(eggs, "2")])
    part = order.parts.get()
    fulfilment.part_accept(part_id=part.pk, actor=trader)
    fulfilment.line_mark(part_id=part.pk, line_id=sc.line_of(order, eggs).pk, available=True, actor=trader)
    fulfilment.order_cancel(order=order, reason="Batal", actor=trader)
    refused(lambda: fulfilment.part_ready(part_id=part.pk, actor=trader), order, "part_state_backwards")


# The courier.


def test_the_first_courier_wins_and_the_second_is_told(market, eggs):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    first, second = sc.courier(market, "Asep"), sc.courier(market, "Ujang")

    fulfilment.courier_take(order=Order.objects.get(pk=order.pk), courier=first)
    error = refused(lambda: fulfilment.courier_take(order=order, courier=second), order, "already_taken")

    assert error.message == "Kurir lain sudah lebih dulu mengambil pesanan ini."  # Indonesian first
    order.refresh_from_db()
    assert order.courier == first
    assert order.events.filter(kind="courier_assigned").count() == 1
    # A double tap by the winner changes nothing and is not an error.
    before = state_of(order)
    assert fulfilment.courier_take(order=order, courier=first).courier_id == first.pk
    assert state_of(order) == before


def test_only_ready_delivery_orders_that_can_be_paid_are_taken(market, eggs):
    rider = sc.courier(market)
    placed = sc.place(market=market, items=[(eggs, "1")])
    refused(lambda: fulfilment.courier_take(order=placed, courier=rider), placed, "not_ready")
    pickup = sc.prepare(sc.place(market=market, items=[(eggs, "1")], payment="qris", slot=sc.pickup_slot(market)))
    refused(lambda: fulfilment.courier_take(order=pickup, courier=rider), pickup, "not_ready")
    unpaid = sc.prepare(sc.place(market=market, items=[(eggs, "1")], payment=Order.PaymentMethod.TRANSFER))
    refused(lambda: fulfilment.courier_take(order=unpaid, courier=rider), unpaid, "not_paid")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_couriers_racing_on_postgresql_exactly_one_wins(market, eggs):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite runs one writer at a time")
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    riders = [sc.courier(market, f"Kurir {i}") for i in range(6)]
    barrier = threading.Barrier(len(riders))
    outcomes: list[str] = [""] * len(riders)

    def take(i):
        try:
            barrier.wait(timeout=20)
            fulfilment.courier_take(order=Order.objects.get(pk=order.pk), courier=riders[i])
            outcomes[i] = "won"
        except DomainError as exc:
            outcomes[i] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(i,)) for i in range(len(riders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["already_taken"] * 5 + ["won"]
    order.refresh_from_db()
    assert order.courier == riders[outcomes.index("won")]
    assert order.events.filter(kind="courier_assigned").count() == 1


def test_picking_up_every_stall_puts_the_order_on_its_way(market, stall, eggs):
    other = factories.stall(market=market)
    tofu = factories.product(stall=other, name="Tahu", unit="potong", price=1000)
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2"), (tofu, "3")]))
    rider, rival = sc.courier(market), sc.courier(market, "Lain")
    fulfilment.courier_take(order=order, courier=rider)
    first, second = order.parts.order_by("pk")

    refused(lambda: fulfilment.courier_pick_up(order=order, part_id=first.pk, courier=rival), order, "not_your_order")
    fulfilment.courier_pick_up(order=order, part_id=first.pk, courier=rider)
    order.refresh_from_db()
    assert order.state == Order.State.READY
    refused(
        lambda: fulfilment.courier_pick_up(order=order, part_id=first.pk, courier=rider),
        order,
        "part_state_backwards",
    )
    fulfilment.courier_pick_up(order=order, part_id=second.pk, courier=rider)
    order.refresh_from_db()
    assert order.state == Order.State.PICKED_UP
    assert list(order.parts.values_list("state", flat=True)) == ["picked_up", "picked_up"]


def test_delivering_needs_the_buyers_code_and_the_exact_cash(market, eggs):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    rider = sc.courier(market)
    refused(
        lambda: fulfilment.courier_deliver(order=order, code=order.handover_code, cash=13000, courier=rider),
        order,
        "not_your_order",
    )
    fulfilment.courier_take(order=order, courier=rider)
    refused(
        lambda: fulfilment.courier_deliver(order=order, code=order.handover_code, cash=13000, courier=rider),
        order,
        "not_picked_up",
    )
    order = sc.picked_up(order, rider)
    wrong = f"{(int(order.handover_code) + 1) % 10000:04d}"

    before = state_of(order)
    with pytest.raises(DomainError) as caught:
        fulfilment.courier_deliver(order=order, code=wrong, cash=13000, courier=rider)
    assert caught.value.code == "bad_code"
    # Nothing changes but the record of the wrong attempt (the guess limit counts them).
    assert state_of(order) == before | {"events": before["events"] + 1}
    assert order.events.values_list("kind", flat=True).last() == "handover_code_wrong"
    error = refused(
        lambda: fulfilment.courier_deliver(order=order, code=order.handover_code, cash=12000, courier=rider),
        order,
        "cash_mismatch",
    )
    assert error.field == "cash"
    refused(
        lambda: fulfilment.courier_deliver(order=order, code=order.handover_code, cash=None, courier=rider),
        order,
        "cash_mismatch",
    )

    fulfilment.courier_deliver(order=order, code=f" {order.handover_code} ", cash=13000, courier=rider)

    order.refresh_from_db()
    assert (order.state, order.payment_state, order.cash_collected) == (
        Order.State.DELIVERED,
        Order.PaymentState.PAID,
        13000,
    )
    assert order.events.latest("pk").kind == "order_delivered"
    refused(
        lambda: fulfilment.courier_deliver(order=order, code=order.handover_code, cash=13000, courier=rider),
        order,
        "not_picked_up",
    )


def test_an_unpaid_qris_order_is_not_handed_over(market, eggs):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")], payment=Order.PaymentMethod.QRIS))
    rider = sc.courier(market)
    Order.objects.filter(pk=order.pk).update(payment_state=Order.PaymentState.PAID)
    order = sc.picked_up(order, rider)
    Order.objects.filter(pk=order.pk).update(payment_state=Order.PaymentState.AWAITING_PAYMENT)
    refused(
        lambda: fulfilment.courier_deliver(order=order, code=order.handover_code, cash=None, courier=rider),
        order,
        "not_paid",
    )


def test_five_wrong_codes_lock_the_handover_for_a_while(market, eggs):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    rider = sc.courier(market)
    order = sc.picked_up(order, rider)
    wrong = f"{(int(order.handover_code) + 1) % 10000:04d}"
    for _ in range(fulfilment.HANDOVER_MAX_WRONG):
        with pytest.raises(DomainError) as caught:
            fulfilment.courier_deliver(order=order, code=wrong, cash=5000, courier=rider)
        assert caught.value.code == "bad_code"
    # Even the right code waits now: otherwise the sixth guess could still be tried.
    refused(
        lambda: fulfilment.courier_deliver(order=order, code=order.handover_code, cash=5000, courier=rider),
        order,
        "code_locked",
    )
    # After the lock time the right code works again.
    order.events.filter(kind="handover_code_wrong").update(
        created_at=timezone.now() - fulfilment.HANDOVER_LOCK - timedelta(seconds=1)
    )
    delivered = fulfilment.courier_deliver(order=order, code=order.handover_code, cash=order.total, courier=rider)
    assert delivered.state == Order.State.DELIVERED


def test_only_a_courier_or_operator_of_the_market_takes_an_order(market, other_market, eggs):
    order = sc.prepare(sc.place(market=market, items=[(eggs, "2")]))
    stranger = factories.user(name="Bukan Kurir")
    elsewhere = sc.courier(other_market, name="Kurir Pasar Lain")
    for user in (stranger, elsewhere):
        refused(lambda user=user: fulfilment.courier_take(order=order, courier=user), order, "not_market_courier")
    rider = sc.courier(market)
    assert fulfilment.courier_take(order=order, courier=rider).courier_id == rider.pk

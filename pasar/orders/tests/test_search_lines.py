""" "Cari di pasar" lines: cart, placement, the courier buys, the buyer approves, money and ledger add up."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from pasar.core.errors import DomainError
from pasar.orders.models import CartRequest, Order, OrderEvent, SearchLine
from pasar.orders.services import fulfilment, search
from pasar.orders.services.cart import cart_set
from pasar.orders.services.payment import order_mark_paid
from pasar.orders.services.placement import Checkout, order_place
from pasar.orders.tests import staff_scenarios as sc
from pasar.payments.models import Posting
from pasar.payments.services.ledger import ledger_post_order
from pasar.testing import factories

pytestmark = pytest.mark.django_db
S = SearchLine.State


@pytest.fixture
def buyer():
    return factories.user(name="Bu Rina")


@pytest.fixture
def rider(market):
    return sc.courier(market)


def _checkout(market, payment="cod", key="k1", **where):
    where = where or {
        "fulfilment": Order.Fulfilment.DELIVERY,
        "address": "Jl. Cihapit 1",
        "latitude": market.latitude + 0.01,
        "longitude": market.longitude,
    }
    return Checkout(market=market, payment_method=payment, idempotency_key=key, **where)


def _order(market, buyer, *, payment="cod", items=(), requests=(("Kemangi", "2 ikat", 5000),)):
    for product, quantity in items:
        cart_set(buyer=buyer, product=product, quantity=Decimal(quantity))
    for text, quantity, cap in requests:
        search.cart_request_add(buyer=buyer, market=market, text=text, quantity=quantity, price_cap=cap)
    return order_place(buyer=buyer, checkout=_checkout(market, payment))


def _state(order):
    return (
        Order.objects.values().get(pk=order.pk),
        list(SearchLine.objects.filter(order=order).values()),
        OrderEvent.objects.filter(order=order).count(),
    )


def refused(call, order, code):
    before = _state(order)
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code
    assert _state(order) == before


def test_a_request_needs_text_and_a_cap_in_range(market, buyer):
    cases = [(" ", 5000, "request_text"), ("Kemangi", 0, "cap_invalid"), ("Kemangi", None, "cap_invalid"),
             ("Kemangi", 5_000_001, "cap_invalid")]  # fmt: skip
    for text, cap, code in cases:
        with pytest.raises(DomainError) as caught:
            search.cart_request_add(buyer=buyer, market=market, text=text, price_cap=cap)
        assert caught.value.code == code
    assert not CartRequest.objects.exists()


def test_the_database_refuses_a_price_on_an_open_line(market, buyer):
    order = _order(market, buyer)
    with pytest.raises(IntegrityError), transaction.atomic():
        SearchLine.objects.filter(order=order).update(bought_amount=1000)


def test_an_order_of_only_search_lines_is_ready_for_a_courier_at_once(market, buyer, rider):
    order = _order(market, buyer, payment="transfer")
    assert order.state == Order.State.READY
    assert not order.parts.exists()
    assert order.search_cap == 5000
    assert order.goods_total == 0
    assert order.payment_state == Order.PaymentState.AWAITING_WEIGHING
    assert order.amount_due is None
    assert not CartRequest.objects.exists()
    # A transfer order is taken before it is paid: its amount follows what the courier buys.
    fulfilment.courier_take(order=order, courier=rider)
    assert Order.objects.get(pk=order.pk).courier == rider


def test_search_lines_need_delivery(market, buyer):
    search.cart_request_add(buyer=buyer, market=market, text="Kemangi", price_cap=5000)
    slot = sc.pickup_slot(market)
    with pytest.raises(DomainError) as caught:
        order_place(
            buyer=buyer,
            checkout=_checkout(market, "transfer", fulfilment=Order.Fulfilment.PICKUP, pickup_slot_id=slot.pk),
        )
    assert caught.value.code == "search_needs_delivery"
    assert CartRequest.objects.count() == 1
    assert not Order.objects.exists()


def _receipt():
    buffer = BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "PNG")
    return SimpleUploadedFile("struk.png", buffer.getvalue(), content_type="image/png")


def test_cod_lifecycle_bought_over_the_cap_approved_then_delivered_and_ledger_balances(
    market, stall, buyer, rider, media_root
):
    chili = sc.weighed_product(stall=stall)
    order = _order(market, buyer, items=[(chili, "0.5")], requests=[("Kemangi", "2 ikat", 5000), ("Petai", "", 8000)])
    kemangi, petai = order.search_lines.order_by("pk")
    order = sc.prepare(order)
    assert order.state == Order.State.READY
    fulfilment.courier_take(order=order, courier=rider)
    fulfilment.courier_pick_up(order=order, part_id=order.parts.get().pk, courier=rider)
    # Something is still to buy in the market: the order has not left it.
    assert Order.objects.get(pk=order.pk).state == Order.State.READY
    search.search_bought(order=order, line_id=kemangi.pk, amount=6000, courier=rider, receipt=_receipt())
    search.search_not_found(order=order, line_id=petai.pk, courier=rider)
    order.refresh_from_db()
    assert order.state == Order.State.PICKED_UP
    kemangi.refresh_from_db()
    assert kemangi.state == S.BOUGHT
    assert kemangi.over_cap
    assert kemangi.receipt_photo.name.endswith(".webp")
    due = 20000 + 6000 + order.delivery_fee
    refused(
        lambda: fulfilment.courier_deliver(order=order, code=order.handover_code, cash=due, courier=rider),
        order,
        "search_unsettled",
    )
    search.search_decide(order=order, line_id=kemangi.pk, approve=True, actor=buyer)
    order.refresh_from_db()
    assert order.bought_total == 6000
    assert order.total == due
    fulfilment.courier_deliver(order=order, code=order.handover_code, cash=due, courier=rider)
    entry = ledger_post_order(order)
    postings = Posting.objects.filter(entry=entry)
    assert sum(p.amount for p in postings) == 0
    courier_owed = sum(p.amount for p in postings if p.account.code.startswith("courier:"))
    assert courier_owed == -(6000 + order.delivery_fee)


def test_transfer_amount_waits_for_the_purchases_and_the_buyers_answers(market, stall, buyer, rider):
    chili = sc.weighed_product(stall=stall)
    order = sc.prepare(_order(market, buyer, payment="transfer", items=[(chili, "0.25")]))
    line = order.search_lines.get()
    assert order.state == Order.State.READY
    assert not order.unique_code
    fulfilment.courier_take(order=order, courier=rider)
    search.search_bought(order=order, line_id=line.pk, amount=4000, courier=rider)
    assert Order.objects.get(pk=order.pk).amount_due is None
    search.search_decide(order=order, line_id=line.pk, approve=True, actor=buyer)
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.AWAITING_PAYMENT
    assert order.unique_code is not None
    assert order.amount_due == 10000 + 4000 + order.delivery_fee + order.unique_code
    order_mark_paid(order=order, amount=order.amount_due, source="test")
    fulfilment.courier_pick_up(order=order, part_id=order.parts.get().pk, courier=rider)
    order.refresh_from_db()
    fulfilment.courier_deliver(order=order, code=order.handover_code, cash=None, courier=rider)
    entry = ledger_post_order(order)
    assert sum(p.amount for p in Posting.objects.filter(entry=entry)) == 0


def test_a_refused_price_is_not_paid(market, buyer, rider):
    order = _order(market, buyer)
    line = order.search_lines.get()
    fulfilment.courier_take(order=order, courier=rider)
    search.search_bought(order=order, line_id=line.pk, amount=9000, courier=rider)
    search.search_decide(order=order, line_id=line.pk, approve=False, actor=buyer)
    order.refresh_from_db()
    assert order.bought_total == 0
    assert order.total == order.delivery_fee
    assert order.state == Order.State.PICKED_UP
    refused(lambda: search.search_decide(order=order, line_id=line.pk, approve=True, actor=buyer), order,
            "nothing_to_approve")  # fmt: skip
    fulfilment.courier_deliver(order=order, code=order.handover_code, cash=order.delivery_fee, courier=rider)


def test_only_the_orders_courier_records_a_price_and_only_a_positive_one(market, buyer, rider):
    order = _order(market, buyer)
    line = order.search_lines.get()
    other = sc.courier(market, name="Kurir Lain")
    refused(lambda: search.search_bought(order=order, line_id=line.pk, amount=1000, courier=rider), order,
            "not_your_order")  # fmt: skip
    fulfilment.courier_take(order=order, courier=rider)
    refused(lambda: search.search_bought(order=order, line_id=line.pk, amount=1000, courier=other), order,
            "not_your_order")  # fmt: skip
    refused(lambda: search.search_bought(order=order, line_id=line.pk, amount=0, courier=rider), order,
            "bought_invalid")  # fmt: skip
    refused(lambda: search.search_decide(order=order, line_id=line.pk, approve=True, actor=buyer), order,
            "nothing_to_approve")  # fmt: skip


def test_a_cap_is_changed_or_the_request_removed_only_by_its_buyer(market, buyer):
    request = search.cart_request_add(buyer=buyer, market=market, text="Kemangi", price_cap=5000)
    stranger = factories.user(name="Orang Lain")
    with pytest.raises(DomainError):
        search.cart_request_update(buyer=stranger, request_id=request.pk, price_cap=1)
    search.cart_request_update(buyer=buyer, request_id=request.pk, price_cap=7000)
    assert CartRequest.objects.get().price_cap == 7000
    search.cart_request_update(buyer=buyer, request_id=request.pk, price_cap=None, remove=True)
    assert not CartRequest.objects.exists()


def test_an_order_the_courier_already_bought_for_cannot_be_cancelled(market, stall, buyer, rider, roles):
    """The courier's cash would be lost: nothing in the ledger repays a cancelled order's purchases."""
    tempe = factories.product(stall=stall, name="Tempe", unit="papan", price=5000)
    order = sc.prepare(_order(market, buyer, items=[(tempe, "1")]))
    fulfilment.courier_take(order=order, courier=rider)
    line = order.search_lines.get()
    search.search_bought(order=order, line_id=line.pk, amount=4000, courier=rider)
    refused(
        lambda: fulfilment.order_cancel(order=order, reason="Pembeli batal", actor=roles.operator),
        order,
        "cancel_bought",
    )

"""Settlement of a market day from the ledger, and the buyer's payment panel."""

from datetime import timedelta

import pytest

from pasar.orders.models import Order
from pasar.orders.services.fulfilment import courier_deliver, courier_pick_up, courier_take
from pasar.orders.services.payment import order_mark_paid
from pasar.payments.selectors import BankAccount, CourierLine, TraderLine, payment_panel_for, settlement_for
from pasar.payments.services import ledger_post_delivered_orders, ledger_post_order, ledger_reverse, qris_charge_create
from pasar.payments.tests.scenario import courier_of, deliver, due, make_ready, two_stall_order
from pasar.testing import factories

pytestmark = pytest.mark.django_db


def rename_traders(order, *names):
    for part, name in zip(order.parts.select_related("stall__trader__user").order_by("pk"), names, strict=True):
        part.stall.trader.user.name = name
        part.stall.trader.user.save(update_fields=["name"])


@pytest.fixture
def day_with_two_orders(market, settings):
    """A cash order (10000 + 6000, courier Asep) and a transfer (20000 + 4000, courier Budi), fee 5 %."""
    settings.PASAR_OPERATOR_FEE_PERCENT = "5"
    cod = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD, prices=(10000, 6000)))
    rename_traders(cod, "Bu Euis", "Pak Dadang")
    deliver(cod, courier_of(market, "Asep"))
    transfer = make_ready(two_stall_order(market, method=Order.PaymentMethod.TRANSFER, key="k2", prices=(20000, 4000)))
    rename_traders(transfer, "Bu Imas", "Pak Ujang")
    order_mark_paid(order=transfer, amount=due(transfer), source="test")
    deliver(transfer, courier_of(market, "Budi"))
    assert ledger_post_delivered_orders(market=market) == 2
    transfer.refresh_from_db()
    return cod, transfer


def test_settlement_of_a_day_with_two_orders(market, day_with_two_orders):
    cod, transfer = day_with_two_orders
    code = due(transfer) - 32000

    s = settlement_for(market=market, day=cod.for_date)

    assert s.orders == 2
    # 5 % of 10000, 6000, 20000, 4000 = 500, 300, 1000, 200.
    assert s.traders == [
        TraderLine("Bu Euis", 9500),
        TraderLine("Bu Imas", 19000),
        TraderLine("Pak Dadang", 5700),
        TraderLine("Pak Ujang", 3800),
    ]
    assert s.couriers == [CourierLine("Asep", cash_held=24000, fees_earned=8000), CourierLine("Budi", 0, 8000)]
    assert [c.to_hand_in for c in s.couriers] == [16000, -8000]
    assert s.operator_fee == 2000 + code
    assert (s.cash_held, s.bank_received) == (24000, 32000 + code)
    assert s.money_in == s.goods_and_fees == 56000 + code
    assert s.reconciles


def test_another_day_and_another_market_are_empty(market, other_market, day_with_two_orders):
    cod, _transfer = day_with_two_orders

    for s in (
        settlement_for(market=market, day=cod.for_date + timedelta(days=1)),
        settlement_for(market=other_market, day=cod.for_date),
    ):
        assert (s.orders, s.traders, s.couriers, s.operator_fee, s.money_in, s.reconciles) == (0, [], [], 0, 0, True)


def test_a_reversed_order_leaves_the_settlement_of_its_day(market, day_with_two_orders):
    cod, transfer = day_with_two_orders
    entry = ledger_post_order(transfer)
    assert entry is not None
    ledger_reverse(entry=entry, memo="paid twice", day=cod.for_date)

    s = settlement_for(market=market, day=cod.for_date)

    assert s.orders == 1
    assert [t.owed for t in s.traders] == [9500, 0, 5700, 0]
    assert s.couriers == [CourierLine("Asep", cash_held=24000, fees_earned=8000), CourierLine("Budi", 0, 0)]
    assert (s.operator_fee, s.bank_received, s.money_in) == (800, 0, 24000)
    assert s.reconciles


def test_the_panel_follows_the_payment_state(market, fake):
    cod = two_stall_order(market, method=Order.PaymentMethod.COD)
    assert payment_panel_for(cod).step == "cash"
    assert payment_panel_for(cod).amount == 16000 + 8000

    qris_order = two_stall_order(market, method=Order.PaymentMethod.QRIS, key="k2")
    assert (payment_panel_for(qris_order).step, payment_panel_for(qris_order).amount) == ("weighing", 24000)
    qris_order = make_ready(qris_order)
    assert (payment_panel_for(qris_order).step, payment_panel_for(qris_order).qr_svg) == ("qris", None)
    attempt = qris_charge_create(qris_order, fake)
    panel = payment_panel_for(qris_order)
    assert (panel.step, panel.amount, panel.attempt_id, panel.expires_at) == (
        "qris",
        24000,
        attempt.pk,
        attempt.expires_at,
    )
    assert str(panel.qr_svg).startswith("<svg")

    transfer = make_ready(two_stall_order(market, method=Order.PaymentMethod.TRANSFER, key="k3"))
    panel = payment_panel_for(transfer)
    assert (panel.step, panel.amount, panel.unique_code) == (
        "transfer",
        due(transfer),
        transfer.unique_code,
    )
    assert panel.bank == BankAccount(bank="Bank Contoh", number="000-000-0000", holder="Pasar Daring")

    order_mark_paid(order=transfer, amount=due(transfer), source="x")
    assert payment_panel_for(Order.objects.get(pk=transfer.pk)).step == "paid"


def test_panel_of_a_cancelled_order_is_closed(market):
    from pasar.orders.services.fulfilment import order_cancel

    order = two_stall_order(market, method=Order.PaymentMethod.TRANSFER)
    order = order_cancel(order=order, reason="habis", actor=factories.user())

    assert payment_panel_for(order).step == "closed"


def test_the_couriers_fee_and_the_cari_di_pasar_reimbursement_are_shown_apart(market, settings):
    """The courier's account holds both; the settlement read "fees Rp12.000" for an Rp8.000 fee."""
    settings.PASAR_OPERATOR_FEE_PERCENT = "5"
    cod = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD, prices=(10000, 6000)))
    courier = courier_of(market, "Asep")
    # 4000 of kemangi bought by the courier and approved by the buyer (set directly: the ledger reads the total).
    Order.objects.filter(pk=cod.pk).update(bought_total=4000)
    cod.refresh_from_db()
    courier_take(order=cod, courier=courier)
    for part in cod.parts.all():
        courier_pick_up(order=cod, part_id=part.pk, courier=courier)
    cod.refresh_from_db()
    courier_deliver(order=cod, code=cod.handover_code, cash=cod.total, courier=courier)
    assert ledger_post_delivered_orders(market=market) == 1

    s = settlement_for(market=market, day=cod.for_date)

    assert s.couriers == [CourierLine("Asep", cash_held=28000, fees_earned=8000, reimbursed=4000)]
    assert s.couriers[0].to_hand_in == 16000
    assert s.reconciles

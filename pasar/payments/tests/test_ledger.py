"""The ledger: one balanced entry per delivered order, exact postings, append-only, corrections by reversal."""

import pytest
from django.db.models import Sum

from pasar.core.errors import DomainError
from pasar.orders.models import Order
from pasar.orders.services.payment import order_mark_paid
from pasar.payments.models import Account, Entry, Posting
from pasar.payments.selectors import ledger_imbalances
from pasar.payments.services import (
    entry_post,
    ledger_post_delivered_orders,
    ledger_post_order,
    ledger_reverse,
)
from pasar.payments.services.ledger import LedgerError, Leg
from pasar.payments.tests.scenario import courier_of, deliver, due, make_ready, two_stall_order

pytestmark = pytest.mark.django_db


def postings(entry):
    return [(p.account.code, p.amount) for p in entry.postings.select_related("account").order_by("pk")]


def post(order) -> Entry:
    entry = ledger_post_order(order)
    assert entry is not None
    return entry


def assert_every_entry_balances():
    assert Entry.objects.exists()
    for entry in Entry.objects.all():
        assert entry.postings.aggregate(total=Sum("amount"))["total"] == 0, entry
    assert ledger_imbalances() == []


@pytest.fixture
def cod_delivered(market):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD))
    return deliver(order, courier_of(market))


def test_a_delivered_cash_order_posts_exact_balanced_postings(cod_delivered, market):
    order = cod_delivered
    stalls = [part.stall.trader.user_id for part in order.parts.select_related("stall__trader").order_by("pk")]

    entry = post(order)

    assert (entry.kind, entry.day, entry.market_id, entry.memo) == (
        "delivered",
        order.for_date,
        market.pk,
        order.number,
    )
    m, c = market.pk, order.courier_id
    assert postings(entry) == [
        (f"buyer:{order.buyer_id}", 24000),
        (f"buyer:{order.buyer_id}", -24000),
        (f"courier_cash:{m}:{c}", 24000),
        (f"trader:{m}:{stalls[0]}", -10000),
        (f"trader:{m}:{stalls[1]}", -6000),
        (f"courier:{m}:{c}", -8000),
    ]
    assert_every_entry_balances()
    assert Account.objects.get(code=f"courier_cash:{m}:{c}").kind == Account.Kind.COURIER_CASH


def test_posting_twice_does_nothing_the_second_time(cod_delivered):
    first = post(cod_delivered)
    count = Posting.objects.count()

    again = ledger_post_order(cod_delivered)

    assert again == first
    assert Entry.objects.count() == 1
    assert Posting.objects.count() == count
    assert ledger_post_delivered_orders() == 0


def test_catch_up_posts_every_delivered_order_once(cod_delivered, market):
    other = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD, key="k2"))
    deliver(other, courier_of(market, "Kurir Dua"))

    assert ledger_post_delivered_orders(market=market) == 2
    assert ledger_post_delivered_orders(market=market) == 0
    assert Entry.objects.filter(kind="delivered").count() == 2
    assert_every_entry_balances()


def test_orders_not_delivered_or_not_paid_are_not_posted(market):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.COD))

    assert ledger_post_order(order) is None
    assert ledger_post_delivered_orders() == 0
    assert Entry.objects.count() == 0


def test_a_transfer_order_is_held_by_the_bank_with_the_operator_fee(market, settings):
    settings.PASAR_OPERATOR_FEE_PERCENT = "2.5"
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.TRANSFER))
    order_mark_paid(order=order, amount=due(order), source="test")
    order = deliver(order, courier_of(market))
    code = due(order) - 24000
    stalls = [part.stall.trader.user_id for part in order.parts.select_related("stall__trader").order_by("pk")]

    entry = post(order)

    m = market.pk
    # 2.5 % of 10000 = 250 and of 6000 = 150; the unique code stays with the bank and goes to the operator.
    assert postings(entry) == [
        (f"buyer:{order.buyer_id}", 24000 + code),
        (f"buyer:{order.buyer_id}", -(24000 + code)),
        (f"bank:{m}", 24000 + code),
        (f"trader:{m}:{stalls[0]}", -9750),
        (f"trader:{m}:{stalls[1]}", -5850),
        (f"courier:{m}:{order.courier_id}", -8000),
        (f"operator:{m}", -(400 + code)),
    ]
    assert_every_entry_balances()


def test_the_fee_percent_can_differ_per_market(cod_delivered, market, settings):
    settings.PASAR_OPERATOR_FEE_PERCENT_BY_MARKET = {market.slug: "10"}

    entry = post(cod_delivered)

    assert dict(postings(entry))[f"operator:{market.pk}"] == -1600


def test_a_mistake_is_corrected_by_a_reversal_never_an_update(cod_delivered):
    entry = post(cod_delivered)

    reversal = ledger_reverse(entry=entry, memo="wrong courier")

    assert reversal.reverses_id == entry.pk
    assert [amount for _code, amount in postings(reversal)] == [-a for _code, a in postings(entry)]
    assert Posting.objects.aggregate(total=Sum("amount"))["total"] == 0
    with pytest.raises(LedgerError):
        ledger_reverse(entry=entry, memo="again")
    assert Entry.objects.count() == 2
    assert_every_entry_balances()


def test_ledger_rows_cannot_be_updated_or_deleted(cod_delivered):
    entry = post(cod_delivered)
    posting = entry.postings.get(amount=24000, account__kind="courier_cash")
    before = postings(entry)

    posting.amount = 1
    with pytest.raises(TypeError):
        posting.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        Posting.objects.filter(entry=entry).update(amount=0)
    with pytest.raises(TypeError):
        Entry.objects.all().delete()

    assert postings(entry) == before


def test_an_unbalanced_entry_is_refused_and_writes_nothing(market):
    a = Account.objects.create(code="a", kind=Account.Kind.PLATFORM, name="A")
    b = Account.objects.create(code="b", kind=Account.Kind.BANK, name="B")

    for legs in ([Leg(a, 100), Leg(b, -99)], [Leg(a, 100)], [Leg(a, True), Leg(b, -1)], []):
        with pytest.raises(DomainError) as refused:
            entry_post(kind=Entry.Kind.CORRECTION, legs=legs, day=market.created_at.date())
        assert refused.value.code in {"ledger_unbalanced", "ledger_not_integer"}

    assert Entry.objects.count() == 0
    assert Posting.objects.count() == 0


def test_the_command_posts_what_is_missing(cod_delivered):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("ledger_post", stdout=out)
    call_command("ledger_post", stdout=out)

    assert out.getvalue() == "1 orders posted\n0 orders posted\n"
    assert Entry.objects.filter(order=cod_delivered).count() == 1

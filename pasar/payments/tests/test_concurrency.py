"""Payment guarantees under real concurrency: one effect however many copies arrive together."""

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from pasar.core.errors import DomainError
from pasar.orders.models import Order, OrderEvent
from pasar.payments.models import Entry, ProviderNotification
from pasar.payments.services import ledger_post_order, notification_handle, qris_charge_create, transfer_confirm_manual
from pasar.payments.tests.scenario import courier_of, deliver, due, make_ready, two_stall_order
from pasar.testing.concurrency import race

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8


def _race(work: Callable[[int], Any]) -> list[tuple[str, Any]]:
    return race(THREADS, work)


def test_the_same_notification_arriving_together_pays_once(market, fake):
    attempt = qris_charge_create(make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS)), fake)
    body = fake.pay(attempt.provider_ref)

    results = _race(lambda i: notification_handle(fake, {}, body).outcome)

    assert Counter(results) == Counter({("ok", "paid"): 1, ("ok", "replay"): THREADS - 1})
    assert OrderEvent.objects.filter(order_id=attempt.order_id, kind="paid").count() == 1
    assert ProviderNotification.objects.count() == 1


def test_posting_an_order_together_posts_one_entry(market):
    order = deliver(make_ready(two_stall_order(market, method=Order.PaymentMethod.COD)), courier_of(market))

    def post(i: int) -> int | None:
        entry = ledger_post_order(order)
        return entry.pk if entry else None

    results = _race(post)

    assert {outcome for outcome, _pk in results} == {"ok"}
    assert Entry.objects.count() == 1
    assert {pk for _outcome, pk in results} == {Entry.objects.get().pk}


def test_two_operators_confirming_together_pay_once(market, roles):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.TRANSFER))

    def confirm(i: int) -> str:
        transfer_confirm_manual(order=order, amount=due(order), operator=roles.operator, reference=f"MUT-{i}")
        return "paid"

    results = _race(confirm)

    assert Counter(outcome for outcome, _ in results) == Counter({"ok": 1, "error": THREADS - 1})
    assert {r.code for outcome, r in results if outcome == "error" and isinstance(r, DomainError)} == {
        "not_awaiting_payment"
    }
    assert OrderEvent.objects.filter(order=order, kind="paid").count() == 1

"""QRIS charges: a dynamic QR for exactly the issued amount, recorded once; refusals write nothing."""

import pytest

from pasar.core.errors import DomainError
from pasar.orders.models import Order
from pasar.payments import qris
from pasar.payments.models import PaymentAttempt
from pasar.payments.providers.base import ProviderError
from pasar.payments.services import qris_charge_create
from pasar.payments.tests.scenario import make_ready, two_stall_order

pytestmark = pytest.mark.django_db


def test_a_ready_qris_order_gets_a_dynamic_qr_for_the_exact_amount(market, fake):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))

    attempt = qris_charge_create(order, fake)

    assert (attempt.provider, attempt.method, attempt.amount, attempt.state) == ("fake", "qris", 24000, "pending")
    assert attempt.provider_ref == f"{order.number}-1"
    fields = {tag: value for tag, value in qris.decode(attempt.qr_string) if isinstance(value, str)}
    assert (fields["01"], fields["54"]) == ("12", "24000")
    assert qris.verify(attempt.qr_string)
    assert attempt.expires_at is not None


def test_asking_again_returns_the_live_attempt(market, fake):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    first = qris_charge_create(order, fake)

    again = qris_charge_create(order, fake)

    assert again.pk == first.pk
    assert PaymentAttempt.objects.count() == 1
    assert len(fake.charges) == 1


def test_an_expired_qr_is_replaced_by_a_new_reference(market, fake):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    first = qris_charge_create(order, fake)
    fake.expire(first.provider_ref)
    PaymentAttempt.objects.filter(pk=first.pk).update(state=PaymentAttempt.State.EXPIRED)

    second = qris_charge_create(order, fake)

    assert second.provider_ref == f"{order.number}-2"
    assert PaymentAttempt.objects.count() == 2


@pytest.mark.parametrize("method", [Order.PaymentMethod.COD, Order.PaymentMethod.TRANSFER])
def test_other_methods_are_refused(market, fake, method):
    order = make_ready(two_stall_order(market, method=method))

    with pytest.raises(DomainError) as refused:
        qris_charge_create(order, fake)

    assert refused.value.code == "not_qris"
    assert PaymentAttempt.objects.count() == 0
    assert fake.charges == {}


def test_before_weighing_there_is_nothing_to_pay(market, fake):
    order = two_stall_order(market, method=Order.PaymentMethod.QRIS)

    with pytest.raises(DomainError) as refused:
        qris_charge_create(order, fake)

    assert refused.value.code == "not_awaiting_payment"
    assert PaymentAttempt.objects.count() == 0
    assert fake.charges == {}


def test_a_provider_outage_is_a_clear_refusal(market, fake, monkeypatch):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))

    def down(order_ref, amount):
        raise ProviderError("HTTP 502")

    monkeypatch.setattr(fake, "create_qris", down)
    with pytest.raises(DomainError) as refused:
        qris_charge_create(order, fake)

    assert refused.value.code == "provider_unavailable"
    assert PaymentAttempt.objects.count() == 0

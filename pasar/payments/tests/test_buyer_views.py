"""The buyer's payment page: QRIS from the provider, the demo's simulated payment, and its gate."""

import pytest

from pasar.orders.models import Order
from pasar.payments.models import PaymentAttempt
from pasar.payments.tests.scenario import make_ready, two_stall_order
from pasar.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    settings.PASAR_PAYMENT_PROVIDER = "fake"
    return client


def test_qris_code_then_simulated_payment_marks_the_order_paid(en, market):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    url = f"/pesanan/{order.number}/bayar/"
    en.force_login(order.buyer)

    first = en.get(url)
    assert first.status_code == 200
    assert 'data-step="qris"' in first.text
    assert 'value="qris"' in first.text
    assert not PaymentAttempt.objects.exists()  # a GET never asks the provider

    assert en.post(url, {"action": "qris"})["Location"] == url
    attempt = PaymentAttempt.objects.get()
    assert attempt.amount == order.amount_due
    shown = en.get(url)
    assert "<svg" in shown.text
    assert 'value="simulate"' in shown.text

    en.post(url, {"action": "simulate"})
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.PAID
    assert 'data-step="paid"' in en.get(url).text


def test_another_buyer_gets_404_and_nothing_happens(en, market):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    en.force_login(factories.user(name="Orang lain"))
    url = f"/pesanan/{order.number}/bayar/"
    assert en.get(url).status_code == 404
    assert en.post(url, {"action": "qris"}).status_code == 404
    assert not PaymentAttempt.objects.exists()


def test_simulation_is_refused_with_a_real_provider(en, market, settings):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    en.force_login(order.buyer)
    settings.PASAR_PAYMENT_PROVIDER = "midtrans"
    assert en.post(f"/pesanan/{order.number}/bayar/", {"action": "simulate"}).status_code == 404
    order.refresh_from_db()
    assert order.payment_state == Order.PaymentState.AWAITING_PAYMENT


def test_without_a_configured_provider_qris_says_so_and_writes_nothing(en, market, settings):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    en.force_login(order.buyer)
    settings.PASAR_PAYMENT_PROVIDER = ""
    response = en.post(f"/pesanan/{order.number}/bayar/", {"action": "qris"}, follow=True)
    assert "QRIS is not available here yet: pay by transfer or cash." in response.text
    assert not PaymentAttempt.objects.exists()

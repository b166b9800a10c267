"""The provider webhook: forged → 400, unknown → 404, both writing nothing; replays and stale news change nothing."""

import json

import pytest

from pasar.orders.models import Order, OrderEvent
from pasar.payments.models import PaymentAttempt, ProviderNotification
from pasar.payments.providers.base import PaymentStatus
from pasar.payments.services import qris_charge_create
from pasar.payments.tests.scenario import make_ready, two_stall_order

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/notifications/fake"


@pytest.fixture
def attempt(market, fake):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    return qris_charge_create(order, fake)


def post(client, body, url=URL):
    return client.post(url, data=body, content_type="application/json")


def state(order_id):
    """Everything a notification could change."""
    order = Order.objects.get(pk=order_id)
    return (
        order.payment_state,
        list(OrderEvent.objects.filter(order_id=order_id).values_list("kind", flat=True)),
        list(PaymentAttempt.objects.filter(order_id=order_id).values_list("state", flat=True)),
        ProviderNotification.objects.count(),
    )


def test_a_genuine_payment_marks_the_order_paid_once(client, attempt, fake):
    body = fake.pay(attempt.provider_ref)

    response = post(client, body)

    assert response.status_code == 200
    assert response.json() == {"outcome": "paid"}
    order = Order.objects.get(pk=attempt.order_id)
    assert order.payment_state == Order.PaymentState.PAID
    paid = order.events.get(kind="paid")
    assert paid.data == {"amount": 24000, "source": f"fake:{fake.charges[attempt.provider_ref].transaction_id}"}
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == PaymentAttempt.State.PAID
    note = ProviderNotification.objects.get()
    assert (note.status, note.amount, note.order_ref, note.outcome) == ("paid", 24000, attempt.provider_ref, "paid")


def test_a_replayed_notification_has_one_effect(client, attempt, fake):
    body = fake.pay(attempt.provider_ref)
    first = post(client, body)
    after_first = state(attempt.order_id)

    again = post(client, body)

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == {"outcome": "replay"}
    assert state(attempt.order_id) == after_first
    assert after_first[1].count("paid") == 1
    assert ProviderNotification.objects.count() == 1


def test_a_bad_signature_is_refused_and_writes_nothing(client, attempt, fake):
    payload = json.loads(fake.pay(attempt.provider_ref))
    payload["signature_key"] = "0" * 128
    before = state(attempt.order_id)

    response = post(client, json.dumps(payload))

    assert response.status_code == 400
    assert state(attempt.order_id) == before
    assert ProviderNotification.objects.count() == 0


def test_a_notification_signed_with_another_secret_is_refused(client, attempt, fake, settings):
    settings.PASAR_PAYMENT_FAKE_SECRET = "another-secret"  # a second fake instance, another key
    before = state(attempt.order_id)

    response = post(client, fake.pay(attempt.provider_ref))

    assert response.status_code == 400
    assert state(attempt.order_id) == before


def test_a_changed_amount_breaks_the_signature(client, attempt, fake):
    payload = json.loads(fake.pay(attempt.provider_ref))
    payload["gross_amount"] = "1000.00"
    before = state(attempt.order_id)

    response = post(client, json.dumps(payload))

    assert response.status_code == 400
    assert state(attempt.order_id) == before


def test_a_changed_status_is_not_believed(client, attempt, fake):
    """Midtrans does not sign the status: a "settlement" body for an unpaid charge is checked with the provider."""
    payload = json.loads(fake.notification(attempt.provider_ref))
    payload["transaction_status"] = "settlement"  # the signature still verifies
    before = state(attempt.order_id)

    response = post(client, json.dumps(payload))

    assert response.status_code == 200
    assert response.json() == {"outcome": "pending"}
    assert Order.objects.get(pk=attempt.order_id).payment_state == Order.PaymentState.AWAITING_PAYMENT
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == PaymentAttempt.State.PENDING
    assert state(attempt.order_id)[:3] == before[:3]


def test_a_garbage_body_is_refused(client, attempt):
    before = state(attempt.order_id)
    assert post(client, b"\xff not json").status_code == 400
    assert post(client, "[]").status_code == 400
    assert state(attempt.order_id) == before


def test_an_unknown_order_answers_404_and_writes_nothing(client, attempt, fake):
    fake.create_qris("ORANG-LAIN-1", 24000)
    before = state(attempt.order_id)

    response = post(client, fake.pay("ORANG-LAIN-1"))

    assert response.status_code == 404
    assert state(attempt.order_id) == before
    assert ProviderNotification.objects.count() == 0


def test_an_unknown_provider_answers_404(client, attempt, fake):
    response = post(client, fake.pay(attempt.provider_ref), url="/api/v1/payments/notifications/midtrans")

    assert response.status_code == 404
    assert Order.objects.get(pk=attempt.order_id).payment_state == Order.PaymentState.AWAITING_PAYMENT


def test_pending_after_paid_changes_nothing(client, attempt, fake):
    """Out of order: the delayed "pending" notification arrives after the payment."""
    stale = fake.notification(attempt.provider_ref)  # signed while pending
    post(client, fake.pay(attempt.provider_ref))
    after_paid = state(attempt.order_id)

    response = post(client, stale)

    assert response.status_code == 200
    assert response.json() == {"outcome": "already_paid"}
    assert state(attempt.order_id)[:3] == after_paid[:3]
    assert Order.objects.get(pk=attempt.order_id).payment_state == Order.PaymentState.PAID


def test_expired_after_paid_does_not_undo_the_payment(client, attempt, fake):
    post(client, fake.pay(attempt.provider_ref))

    response = post(client, fake.notification(attempt.provider_ref, status=PaymentStatus.EXPIRED))

    assert response.json() == {"outcome": "already_paid"}
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == PaymentAttempt.State.PAID


def test_an_expired_charge_closes_the_attempt_only(client, attempt, fake):
    response = post(client, fake.expire(attempt.provider_ref))

    assert response.json() == {"outcome": "closed"}
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == PaymentAttempt.State.EXPIRED
    assert Order.objects.get(pk=attempt.order_id).payment_state == Order.PaymentState.AWAITING_PAYMENT


def test_a_payment_of_another_amount_is_refused(client, attempt, fake):
    """The amount due changed after the QR was shown: the old charge's payment goes to manual review."""
    Order.objects.filter(pk=attempt.order_id).update(amount_due=25000)
    before = state(attempt.order_id)

    response = post(client, fake.pay(attempt.provider_ref))

    assert response.status_code == 200
    assert response.json() == {"outcome": "review"}
    assert state(attempt.order_id)[:3] == before[:3]
    note = ProviderNotification.objects.get()
    assert (note.outcome, note.detail) == ("review", "paid 24000, due 25000")


def test_a_failed_status_query_is_retried_by_the_provider(client, attempt, fake, monkeypatch):
    """503 while the provider cannot be asked; the same notification sent again is then handled."""
    from pasar.payments.providers.base import ProviderError

    body = fake.pay(attempt.provider_ref)
    real = type(fake).fetch_status

    def down(self, order_ref):
        raise ProviderError("timeout")

    monkeypatch.setattr(type(fake), "fetch_status", down)
    assert post(client, body).status_code == 503
    assert Order.objects.get(pk=attempt.order_id).payment_state == Order.PaymentState.AWAITING_PAYMENT
    monkeypatch.setattr(type(fake), "fetch_status", real)

    response = post(client, body)

    assert response.json() == {"outcome": "paid"}
    assert ProviderNotification.objects.get().outcome == "paid"


def test_a_payment_after_the_order_was_cancelled_goes_to_review(client, attempt, fake, roles):
    from pasar.orders.services.fulfilment import order_cancel

    order_cancel(order=Order.objects.get(pk=attempt.order_id), reason="stok habis", actor=roles.operator)
    before = state(attempt.order_id)

    response = post(client, fake.pay(attempt.provider_ref))

    assert response.json() == {"outcome": "review"}
    assert state(attempt.order_id)[:3] == before[:3]
    assert ProviderNotification.objects.get().detail == "not_awaiting_payment"

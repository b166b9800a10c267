"""Payments never lost: pending re-checks are taken up again, the scheduler asks again, big bodies are refused."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from pasar.orders.models import Order
from pasar.payments import schedule
from pasar.payments.models import PaymentAttempt, ProviderNotification
from pasar.payments.services import payments_recheck, qris_charge_create
from pasar.payments.tests.scenario import make_ready, two_stall_order
from pasar.runtime import periodic
from pasar.runtime.periodic import Run

pytestmark = pytest.mark.django_db

URL = "/api/v1/payments/notifications/fake"


@pytest.fixture
def attempt(market, fake):
    order = make_ready(two_stall_order(market, method=Order.PaymentMethod.QRIS))
    return qris_charge_create(order, fake)


def post(client, body):
    return client.post(URL, data=body, content_type="application/json")


def early_settlement(fake, attempt):
    """A genuinely signed "pending" body with its unsigned status changed to "settlement" (not paid yet)."""
    payload = json.loads(fake.notification(attempt.provider_ref))
    payload["transaction_status"] = "settlement"
    return json.dumps(payload)


def payment_state(attempt):
    return Order.objects.get(pk=attempt.order_id).payment_state


def test_early_settlement_then_payment_then_the_genuine_notice_pays_the_order(client, attempt, fake):
    """The issue's scenario: the genuine notice used to answer "replay" and the order stayed unpaid."""
    assert post(client, early_settlement(fake, attempt)).json() == {"outcome": "pending"}
    assert payment_state(attempt) == Order.PaymentState.AWAITING_PAYMENT

    genuine = fake.pay(attempt.provider_ref)  # the buyer really pays; the provider notifies
    response = post(client, genuine)

    assert response.json() == {"outcome": "paid"}
    assert payment_state(attempt) == Order.PaymentState.PAID
    note = ProviderNotification.objects.get()  # the same (provider, transaction, status) row, taken up again
    assert note.outcome == ProviderNotification.Outcome.PAID
    assert post(client, genuine).json() == {"outcome": "replay"}  # final now: de-duplicated
    assert Order.objects.get(pk=attempt.order_id).events.filter(kind="paid").count() == 1


def test_a_pending_notice_is_rechecked_until_paid_without_another_notification(client, attempt, fake):
    post(client, early_settlement(fake, attempt))
    now = timezone.now()
    assert payments_recheck(fake, now=now) == {"pending": 1}  # asked again, still pending: asked again later

    fake.pay(attempt.provider_ref)  # paid, but the provider's notification is lost
    assert payments_recheck(fake, now=now + timedelta(minutes=1)) == {"paid": 1}

    assert payment_state(attempt) == Order.PaymentState.PAID
    assert ProviderNotification.objects.get().outcome == ProviderNotification.Outcome.PAID
    assert payments_recheck(fake, now=now + timedelta(minutes=2)) == {}  # final: nothing left to ask


def test_an_expired_attempt_never_notified_is_asked_once_and_closed(attempt, fake):
    assert payments_recheck(fake, now=timezone.now()) == {}  # live and never notified: not polled
    after_expiry = attempt.expires_at + timedelta(seconds=1)
    fake.clock = lambda: after_expiry

    assert payments_recheck(fake, now=after_expiry) == {"closed": 1}
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == PaymentAttempt.State.EXPIRED
    assert payments_recheck(fake, now=after_expiry) == {}


def test_a_payment_just_before_expiry_whose_notice_was_lost_is_found(attempt, fake):
    fake.pay(attempt.provider_ref)
    assert payments_recheck(fake, now=attempt.expires_at + timedelta(seconds=1)) == {"paid": 1}
    assert payment_state(attempt) == Order.PaymentState.PAID


def test_an_attempt_the_provider_keeps_calling_pending_is_closed_an_hour_after_expiry(client, attempt, fake):
    post(client, early_settlement(fake, attempt))
    fake.clock = lambda: attempt.expires_at - timedelta(seconds=1)  # the provider never expires it
    assert payments_recheck(fake, now=attempt.expires_at + timedelta(minutes=59)) == {"pending": 1}

    assert payments_recheck(fake, now=attempt.expires_at + timedelta(hours=1)) == {"closed": 1}
    assert PaymentAttempt.objects.get(pk=attempt.pk).state == PaymentAttempt.State.EXPIRED
    assert ProviderNotification.objects.get().outcome == ProviderNotification.Outcome.CLOSED


def test_the_scheduler_runs_the_recheck_every_minute(client, attempt, fake):
    job = periodic.discover()["payments.recheck"]
    assert job.seconds == 60
    post(client, early_settlement(fake, attempt))
    fake.pay(attempt.provider_ref)

    assert schedule.recheck(Run(due_at=timezone.now(), previous=None)) == "1 paid"
    assert payment_state(attempt) == Order.PaymentState.PAID


def test_the_recheck_without_a_provider_does_nothing(settings):
    settings.PASAR_PAYMENT_PROVIDER = ""
    assert schedule.recheck(Run(due_at=timezone.now(), previous=None)) == "no provider"


def test_a_webhook_body_over_64_kb_is_refused_with_413_and_not_stored(client, attempt, fake):
    payload = json.loads(fake.pay(attempt.provider_ref))
    payload["padding"] = "x" * (64 * 1024)  # still signed: Midtrans signs only a few fields

    response = post(client, json.dumps(payload))

    assert response.status_code == 413
    assert not ProviderNotification.objects.exists()
    assert payment_state(attempt) == Order.PaymentState.AWAITING_PAYMENT
    del payload["padding"]
    assert post(client, json.dumps(payload)).json() == {"outcome": "paid"}  # a normal body still works


def test_a_body_declared_over_the_cap_is_refused_unread(rf):
    from pasar.payments.api import _too_large

    request = rf.post(URL, data=b"{}", content_type="application/json", CONTENT_LENGTH=str(5 * 1024 * 1024))
    assert _too_large(request)

import json
from datetime import UTC, datetime, timedelta

import pytest

from pasar.payments import qris
from pasar.payments.providers.base import (
    ChargeNotFound,
    ForgedNotification,
    PaymentProvider,
    PaymentStatus,
    ProviderError,
)
from pasar.payments.providers.fake import DEFAULT_SECRET, FakeCharge, FakeProvider
from pasar.payments.providers.midtrans import MidtransProvider

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def fake(clock):
    return FakeProvider(clock=clock)


def test_new_charge_is_pending_with_a_valid_dynamic_qris(fake):
    charge = fake.create_qris("PD-7-1", 48500)
    assert charge.order_ref == "PD-7-1"
    assert charge.amount == 48500
    assert charge.expires_at == START + timedelta(minutes=15)
    assert charge.transaction_id.startswith("fake-")
    fields = dict(qris.decode(charge.qr_string))
    assert (fields["01"], fields["54"], fields["62"]) == ("12", "48500", [("01", "PD-7-1")])
    assert qris.verify(charge.qr_string) is True
    status = fake.fetch_status("PD-7-1")
    assert (status.status, status.gross_amount, status.transaction_id) == (
        PaymentStatus.PENDING,
        48500,
        charge.transaction_id,
    )


def test_pay_then_notification_verifies_then_fetch_status_is_paid(fake):
    fake.create_qris("PD-7-1", 48500)
    body = fake.pay("PD-7-1")
    notification = fake.verify_notification({"Content-Type": "application/json"}, body)
    assert notification.provider == "fake"
    assert notification.order_ref == "PD-7-1"
    assert notification.claimed_status is PaymentStatus.PAID
    assert notification.gross_amount == 48500
    status = fake.fetch_status(notification.order_ref)
    assert status.status is PaymentStatus.PAID
    assert status.confirms(order_ref="PD-7-1", amount=48500) is True
    assert status.confirms(order_ref="PD-7-1", amount=48501) is False


def test_fake_notifications_use_midtrans_wire_format_and_signature(fake):
    fake.create_qris("PD-7-1", 48500)
    body = fake.pay("PD-7-1")
    payload = json.loads(body)
    assert payload["gross_amount"] == "48500.00"
    assert (payload["transaction_status"], payload["status_code"], payload["fraud_status"]) == (
        "settlement",
        "200",
        "accept",
    )
    real = MidtransProvider(server_key=DEFAULT_SECRET).verify_notification({}, body)
    assert real.claimed_status is PaymentStatus.PAID


@pytest.mark.parametrize(
    "changes",
    [{"gross_amount": "4850.00"}, {"status_code": "201"}, {"order_id": "PD-7-2"}, {"signature_key": "0" * 128}],
)
def test_tampered_fake_notifications_are_forged(fake, changes):
    fake.create_qris("PD-7-1", 48500)
    payload = {**json.loads(fake.pay("PD-7-1")), **changes}
    with pytest.raises(ForgedNotification):
        fake.verify_notification({}, json.dumps(payload).encode())


def test_notification_signed_with_another_secret_is_forged(fake):
    fake.create_qris("PD-7-1", 48500)
    body = fake.pay("PD-7-1")
    with pytest.raises(ForgedNotification):
        FakeProvider(secret="another").verify_notification({}, body)


def test_stale_notification_is_genuine_but_the_status_says_paid(fake):
    fake.create_qris("PD-7-1", 48500)
    fake.pay("PD-7-1")
    stale = fake.verify_notification({}, fake.notification("PD-7-1", status=PaymentStatus.PENDING))
    assert stale.claimed_status is PaymentStatus.PENDING
    assert fake.fetch_status("PD-7-1").status is PaymentStatus.PAID


def test_replayed_notification_is_identical(fake):
    fake.create_qris("PD-7-1", 48500)
    assert fake.pay("PD-7-1") == fake.notification("PD-7-1")


def test_create_again_with_the_same_amount_returns_the_same_charge(fake):
    first = fake.create_qris("PD-7-1", 48500)
    again = fake.create_qris("PD-7-1", 48500)
    assert again == first
    assert len(fake.charges) == 1


def test_create_again_with_another_amount_is_refused(fake):
    first = fake.create_qris("PD-7-1", 48500)
    with pytest.raises(ProviderError):
        fake.create_qris("PD-7-1", 50000)
    assert fake.charges["PD-7-1"].amount == 48500
    assert fake.create_qris("PD-7-1", 48500) == first


@pytest.mark.parametrize(
    ("order_ref", "amount", "wrong"),
    [("PD 7", 1000, "order_ref"), ("PD-7", 0, "amount"), ("PD-7", 10_000_001, "amount")],
)
def test_bad_charge_requests_are_refused(fake, order_ref, amount, wrong):
    with pytest.raises(ValueError, match=f"^{wrong} must be"):
        fake.create_qris(order_ref, amount)
    assert dict(fake.charges) == {}


def test_charge_expires_with_the_clock(fake, clock):
    fake.create_qris("PD-7-1", 48500)
    clock.now = START + timedelta(minutes=15)
    assert fake.fetch_status("PD-7-1").status is PaymentStatus.EXPIRED
    with pytest.raises(ProviderError):
        fake.pay("PD-7-1")
    assert fake.fetch_status("PD-7-1").status is PaymentStatus.EXPIRED


def test_late_payment_after_expiry_can_be_simulated(fake, clock):
    fake.create_qris("PD-7-1", 48500)
    clock.now = START + timedelta(hours=1)
    notification = fake.verify_notification({}, fake.pay("PD-7-1", allow_late=True))
    assert notification.claimed_status is PaymentStatus.PAID
    assert fake.fetch_status("PD-7-1").status is PaymentStatus.PAID


@pytest.mark.parametrize(("move", "status"), [("expire", PaymentStatus.EXPIRED), ("fail", PaymentStatus.FAILED)])
def test_pending_charge_can_expire_or_fail(fake, move, status):
    fake.create_qris("PD-7-1", 48500)
    notification = fake.verify_notification({}, getattr(fake, move)("PD-7-1"))
    assert notification.claimed_status is status
    assert fake.fetch_status("PD-7-1").status is status
    with pytest.raises(ProviderError):
        fake.pay("PD-7-1")


def test_only_a_paid_charge_can_be_refunded(fake):
    fake.create_qris("PD-7-1", 48500)
    with pytest.raises(ProviderError):
        fake.refund("PD-7-1")
    assert fake.fetch_status("PD-7-1").status is PaymentStatus.PENDING
    fake.pay("PD-7-1")
    assert fake.verify_notification({}, fake.refund("PD-7-1")).claimed_status is PaymentStatus.REFUNDED
    assert fake.fetch_status("PD-7-1").status is PaymentStatus.REFUNDED


def test_paying_twice_is_refused(fake):
    fake.create_qris("PD-7-1", 48500)
    fake.pay("PD-7-1")
    with pytest.raises(ProviderError):
        fake.pay("PD-7-1")
    assert fake.fetch_status("PD-7-1").status is PaymentStatus.PAID


def test_unknown_charge(fake):
    with pytest.raises(ChargeNotFound):
        fake.fetch_status("PD-404")
    with pytest.raises(ChargeNotFound):
        fake.pay("PD-404")


def test_charges_live_in_the_mapping_passed_in(clock):
    store: dict[str, FakeCharge] = {}
    FakeProvider(charges=store, clock=clock).create_qris("PD-7-1", 48500)
    other = FakeProvider(charges=store, clock=clock)
    other.pay("PD-7-1")
    assert store["PD-7-1"].status is PaymentStatus.PAID
    assert FakeProvider(charges=store, clock=clock).fetch_status("PD-7-1").status is PaymentStatus.PAID


def test_default_clock_is_aware():
    charge = FakeProvider().create_qris("PD-7-1", 1000)
    assert charge.expires_at is not None
    assert charge.expires_at.tzinfo is not None


def test_fake_is_a_payment_provider():
    assert isinstance(FakeProvider(), PaymentProvider)
    assert FakeProvider.name == "fake"

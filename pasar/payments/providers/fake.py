"""A provider that lives in memory, for tests and the demo: create a charge, "pay" it, get a signed notification.

Notifications are Midtrans-format bodies signed with ``secret`` by Midtrans' scheme, and statuses go through
Midtrans' mapping, so code that handles the fake handles the wire format of the real adapter too. Charges
live in a dict by default, or in any mutable mapping passed in (each change is written back as a new value,
so a mapping that stores copies works as well).
"""

import hashlib
import json
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from pasar.payments import qris
from pasar.payments.providers import midtrans
from pasar.payments.providers.base import (
    ChargeNotFound,
    Notification,
    PaymentProvider,
    PaymentStatus,
    ProviderCharge,
    ProviderError,
    ProviderStatus,
    check_charge_request,
    check_order_ref,
)

DEFAULT_SECRET = "fake-server-key"  # noqa: S105 (a test double's key, not a credential)

# Synthetic ids (nothing real settles to them), so a demo QR scanned by a real wallet pays no one.
DEMO_MERCHANT = qris.MerchantConfig(
    accounts=(
        qris.MerchantAccount(
            tag="26",
            fields=(("00", "ID.CO.CONTOH.WWW"), ("01", "936000000000000001"), ("02", "000000000000001"), ("03", "UMI")),
        ),
    ),
    nmid="ID1000000000001",
    criteria="UMI",
    name="PASAR DARING DEMO",
    city="JAKARTA",
    postal_code="10110",
)

# Ours → the (transaction_status, status_code) Midtrans would send for it.
_WIRE = {
    PaymentStatus.PENDING: ("pending", "201"),
    PaymentStatus.PAID: ("settlement", "200"),
    PaymentStatus.EXPIRED: ("expire", "202"),
    PaymentStatus.FAILED: ("deny", "202"),
    PaymentStatus.REFUNDED: ("refund", "200"),
}


@dataclass(frozen=True)
class FakeCharge:
    order_ref: str
    transaction_id: str
    amount: int
    qr_string: str
    status: PaymentStatus
    expires_at: datetime


def _now() -> datetime:
    return datetime.now(UTC)


class FakeProvider(PaymentProvider):
    """In-memory charges with Midtrans-signed notifications; ``pay``/``expire``/``fail``/``refund`` move them."""

    name: ClassVar[str] = "fake"

    def __init__(
        self,
        *,
        secret: str = DEFAULT_SECRET,
        charges: MutableMapping[str, FakeCharge] | None = None,
        clock: Callable[[], datetime] = _now,
        expiry: timedelta = timedelta(minutes=15),
        merchant: qris.MerchantConfig = DEMO_MERCHANT,
    ) -> None:
        self.secret = secret
        self.charges: MutableMapping[str, FakeCharge] = {} if charges is None else charges
        self.clock = clock
        self.expiry = expiry
        self.merchant = merchant

    # --- the provider interface -------------------------------------------------------------------------

    def create_qris(self, order_ref: str, amount: int) -> ProviderCharge:
        check_charge_request(order_ref, amount)
        charge = self.charges.get(order_ref)
        if charge is None:
            charge = FakeCharge(
                order_ref=order_ref,
                transaction_id="fake-" + hashlib.sha256(order_ref.encode()).hexdigest()[:20],
                amount=amount,
                qr_string=qris.dynamic_payload(self.merchant, amount, bill_number=order_ref[:25]),
                status=PaymentStatus.PENDING,
                expires_at=self.clock() + self.expiry,
            )
            self.charges[order_ref] = charge
        elif charge.amount != amount:
            # Like a provider's unique order id: one reference, one amount. A new amount needs a new attempt.
            raise ProviderError(f"order_ref {order_ref!r} was already charged {charge.amount}, not {amount}")
        return ProviderCharge(
            order_ref=order_ref,
            transaction_id=charge.transaction_id,
            amount=charge.amount,
            qr_string=charge.qr_string,
            expires_at=charge.expires_at,
            raw=self._payload(charge, charge.status),
        )

    def fetch_status(self, order_ref: str) -> ProviderStatus:
        check_order_ref(order_ref)
        charge = self._current(order_ref)
        return midtrans.status_from_payload(self._payload(charge, charge.status), order_ref=order_ref)

    def verify_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        return midtrans.parse_notification(body, server_key=self.secret, provider=self.name)

    # --- what the outside world does ---------------------------------------------------------------------

    def pay(self, order_ref: str, *, allow_late: bool = False) -> bytes:
        """The buyer pays; returns the signed notification. ``allow_late`` pays an expired charge (a race)."""
        charge = self._current(order_ref)
        allowed = {PaymentStatus.PENDING, PaymentStatus.EXPIRED} if allow_late else {PaymentStatus.PENDING}
        return self._move(charge, PaymentStatus.PAID, allowed)

    def expire(self, order_ref: str) -> bytes:
        """The charge times out now; returns the signed notification."""
        return self._move(self._current(order_ref), PaymentStatus.EXPIRED, {PaymentStatus.PENDING})

    def fail(self, order_ref: str) -> bytes:
        """The provider denies the payment; returns the signed notification."""
        return self._move(self._current(order_ref), PaymentStatus.FAILED, {PaymentStatus.PENDING})

    def refund(self, order_ref: str) -> bytes:
        """The whole payment goes back; returns the signed notification."""
        return self._move(self._current(order_ref), PaymentStatus.REFUNDED, {PaymentStatus.PAID})

    def notification(self, order_ref: str, *, status: PaymentStatus | None = None) -> bytes:
        """A genuinely signed notification for the charge; ``status`` makes a stale one (a delayed replay)."""
        charge = self._current(order_ref)
        return json.dumps(self._payload(charge, status or charge.status, signed=True)).encode("utf-8")

    # --- internals ---------------------------------------------------------------------------------------

    def _current(self, order_ref: str) -> FakeCharge:
        charge = self.charges.get(order_ref)
        if charge is None:
            raise ChargeNotFound(f"no fake charge {order_ref!r}")
        if charge.status is PaymentStatus.PENDING and self.clock() >= charge.expires_at:
            charge = replace(charge, status=PaymentStatus.EXPIRED)
            self.charges[order_ref] = charge
        return charge

    def _move(self, charge: FakeCharge, to: PaymentStatus, allowed: set[PaymentStatus]) -> bytes:
        if charge.status not in allowed:
            raise ProviderError(f"fake charge {charge.order_ref!r} is {charge.status}, cannot become {to}")
        self.charges[charge.order_ref] = replace(charge, status=to)
        return self.notification(charge.order_ref)

    def _payload(self, charge: FakeCharge, status: PaymentStatus, *, signed: bool = False) -> dict[str, Any]:
        transaction_status, status_code = _WIRE[status]
        gross_amount = f"{charge.amount}.00"
        payload: dict[str, Any] = {
            "status_code": status_code,
            "transaction_id": charge.transaction_id,
            "order_id": charge.order_ref,
            "gross_amount": gross_amount,
            "currency": "IDR",
            "payment_type": "qris",
            "transaction_status": transaction_status,
            "fraud_status": "accept",
            "expiry_time": charge.expires_at.astimezone(midtrans.JAKARTA).strftime("%Y-%m-%d %H:%M:%S"),
        }
        if signed:
            payload["signature_key"] = midtrans.signature(charge.order_ref, status_code, gross_amount, self.secret)
        return payload

"""What every payment-provider adapter offers, and the values it hands back.

A notification is only a trigger: its body may be a replay or, for providers whose signature leaves fields
uncovered (Midtrans signs neither ``transaction_status`` nor ``fraud_status``), partly attacker-chosen. Act
on ``fetch_status`` instead, and only when ``ProviderStatus.confirms`` holds for the order's exact amount.
"""

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, ClassVar

from pasar.payments.amounts import MAX_AMOUNT, MIN_AMOUNT, is_payable

# Midtrans' order_id alphabet and length; the strictest of the providers in view, so every adapter accepts it.
_ORDER_REF = re.compile(r"[A-Za-z0-9._~-]{1,50}")


class PaymentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    FAILED = "failed"
    REFUNDED = "refunded"


class PaymentError(Exception):
    """Base of everything a provider adapter raises (messages are for logs, not for buyers)."""


class ProviderError(PaymentError):
    """The provider could not be reached, refused the request, or answered something unusable."""


class ChargeNotFound(ProviderError):
    """The provider knows no charge for this order reference."""


class ForgedNotification(PaymentError):
    """A notification whose signature (or token) does not verify, or that is too malformed to verify."""


@dataclass(frozen=True)
class ProviderCharge:
    """A QRIS charge the provider created: the string to render as a QR code and when it stops being payable."""

    order_ref: str
    transaction_id: str
    amount: int
    qr_string: str
    expires_at: datetime | None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class ProviderStatus:
    """The provider's answer to a status query: the only thing an order's payment state may follow."""

    order_ref: str
    status: PaymentStatus
    gross_amount: int
    transaction_id: str
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def confirms(self, *, order_ref: str, amount: int) -> bool:
        """True only for a paid charge of this order for exactly ``amount`` rupiah."""
        return self.status is PaymentStatus.PAID and self.order_ref == order_ref and self.gross_amount == amount


@dataclass(frozen=True)
class Notification:
    """A notification whose signature verified. ``claimed_status`` is NOT trustworthy; re-fetch the status."""

    provider: str
    order_ref: str
    transaction_id: str
    claimed_status: PaymentStatus
    gross_amount: int
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)


class PaymentProvider(ABC):
    """One payment provider. Adapters take their secrets and HTTP transport in ``__init__``; no global state."""

    name: ClassVar[str]

    @abstractmethod
    def create_qris(self, order_ref: str, amount: int) -> ProviderCharge:
        """Ask the provider for a dynamic QRIS for exactly ``amount`` rupiah; one ``order_ref`` per attempt."""

    @abstractmethod
    def fetch_status(self, order_ref: str) -> ProviderStatus:
        """Re-query the provider; raises ``ChargeNotFound`` for an unknown reference."""

    @abstractmethod
    def verify_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        """Check the notification's signature over the raw body; raises ``ForgedNotification`` when it fails."""


def _is_order_ref(value: object) -> bool:
    return isinstance(value, str) and _ORDER_REF.fullmatch(value) is not None


def check_order_ref(order_ref: str) -> None:
    """Refuse a reference outside ``[A-Za-z0-9._~-]{1,50}`` (it goes into URLs and provider records)."""
    if not _is_order_ref(order_ref):
        raise ValueError("order_ref must be 1-50 characters of A-Z a-z 0-9 . _ ~ -")


def check_charge_request(order_ref: str, amount: int) -> None:
    """Refuse a malformed reference or an amount outside 1..10,000,000 whole rupiah before any HTTP call."""
    check_order_ref(order_ref)
    if not is_payable(amount):
        raise ValueError(f"amount must be whole rupiah between {MIN_AMOUNT} and {MAX_AMOUNT}, not {amount!r}")

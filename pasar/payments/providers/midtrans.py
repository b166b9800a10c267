"""Midtrans Core API: QRIS charge, status query, and HTTP-notification signature.

``signature_key = SHA512(order_id + status_code + gross_amount + server_key)`` over the strings exactly as
sent (``gross_amount`` is ``"100000.00"``). The signature covers neither ``transaction_status`` nor
``fraud_status`` and carries no timestamp, so a verified notification is still only a trigger: re-query
``GET /v2/{order_id}/status`` and act on that answer (docs.midtrans.com/reference/receiving-notifications).
"""

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import quote
from zoneinfo import ZoneInfo

from pasar.payments import qris
from pasar.payments.providers.base import (
    ChargeNotFound,
    ForgedNotification,
    Notification,
    PaymentProvider,
    PaymentStatus,
    ProviderCharge,
    ProviderError,
    ProviderStatus,
    check_charge_request,
    check_order_ref,
)
from pasar.payments.providers.transport import HttpRequest, HttpResponse, Transport, urllib_transport

SANDBOX_URL = "https://api.sandbox.midtrans.com"
PRODUCTION_URL = "https://api.midtrans.com"
JAKARTA = ZoneInfo("Asia/Jakarta")  # Midtrans writes transaction_time/expiry_time as WIB wall-clock time

_GROSS_AMOUNT = re.compile(r"([0-9]{1,13})(?:\.([0-9]{1,2}))?")

# transaction_status → ours. "capture" and "settlement" are decided with fraud_status in map_status.
_STATUS = {
    "pending": PaymentStatus.PENDING,
    "authorize": PaymentStatus.PENDING,  # card pre-authorisation: money not taken yet
    "expire": PaymentStatus.EXPIRED,
    "deny": PaymentStatus.FAILED,
    "cancel": PaymentStatus.FAILED,
    "failure": PaymentStatus.FAILED,
    "refund": PaymentStatus.REFUNDED,
    "chargeback": PaymentStatus.REFUNDED,
    # Part of the money went back; the order stays paid and the refund is booked by whoever issued it.
    "partial_refund": PaymentStatus.PAID,
    "partial_chargeback": PaymentStatus.PAID,
}
_FRAUD = {"accept": PaymentStatus.PAID, "challenge": PaymentStatus.PENDING, "deny": PaymentStatus.FAILED}


def signature(order_id: str, status_code: str, gross_amount: str, server_key: str) -> str:
    """Midtrans' notification signature: lowercase hex SHA-512 of the plain concatenation."""
    return hashlib.sha512((order_id + status_code + gross_amount + server_key).encode("utf-8")).hexdigest()


def parse_gross_amount(value: object) -> int:
    """``"100000.00"`` → ``100000``; refuses fractional rupiah, numbers that are not strings, signs, spaces."""
    match = _GROSS_AMOUNT.fullmatch(value) if isinstance(value, str) else None
    if not match or (match.group(2) and int(match.group(2)) != 0):
        raise ProviderError(f"gross_amount {value!r} is not a whole number of rupiah")
    return int(match.group(1))


def map_status(transaction_status: object, fraud_status: object = None) -> PaymentStatus:
    """Midtrans statuses → ours. Money counts as received only with fraud_status ``accept``; fails closed."""
    if transaction_status in ("capture", "settlement"):
        if isinstance(fraud_status, str) and fraud_status in _FRAUD:
            return _FRAUD[fraud_status]
        # A missing or unknown fraud verdict stays pending for a person to review rather than count as paid.
        return PaymentStatus.PENDING
    if isinstance(transaction_status, str) and transaction_status in _STATUS:
        return _STATUS[transaction_status]
    raise ProviderError(f"unknown Midtrans transaction_status {transaction_status!r}")


def _text(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key)
    if not isinstance(value, str) or not value:
        raise ProviderError(f"Midtrans answer without {key}: {payload.get('status_message')!r}")
    return value


def _wib(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=JAKARTA)
    except ValueError:
        return None


def _json(response: HttpResponse) -> dict[str, Any]:
    try:
        payload = json.loads(response.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ProviderError(f"Midtrans answered HTTP {response.status} with no JSON") from error
    if not isinstance(payload, dict):
        raise ProviderError(f"Midtrans answered HTTP {response.status} with {type(payload).__name__}, not an object")
    return payload


def status_from_payload(payload: Mapping[str, Any], *, order_ref: str) -> ProviderStatus:
    """A status answer (or notification body) of ``order_ref`` → ``ProviderStatus``; refuses another order's."""
    if payload.get("order_id") != order_ref:
        raise ProviderError(f"Midtrans answered for order {payload.get('order_id')!r}, not {order_ref!r}")
    return ProviderStatus(
        order_ref=order_ref,
        status=map_status(payload.get("transaction_status"), payload.get("fraud_status")),
        gross_amount=parse_gross_amount(payload.get("gross_amount")),
        transaction_id=_text(payload, "transaction_id"),
        raw=dict(payload),
    )


def parse_notification(body: bytes, *, server_key: str, provider: str = "midtrans") -> Notification:
    """Verify a Midtrans-format notification body; ``ForgedNotification`` unless the signature matches."""
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise ForgedNotification("notification body is not JSON") from error
    if not isinstance(payload, dict):
        raise ForgedNotification("notification body is not a JSON object")
    signed = [payload.get(key) for key in ("order_id", "status_code", "gross_amount", "signature_key")]
    # All four are ASCII on the wire (ids, digits, hex); anything else cannot be genuine, and a lone
    # surrogate from JSON would not even encode.
    if not all(isinstance(value, str) and value and value.isascii() for value in signed):
        raise ForgedNotification("notification lacks order_id, status_code, gross_amount or signature_key")
    order_id, status_code, gross_amount, given = (str(value) for value in signed)
    expected = signature(order_id, status_code, gross_amount, server_key)
    if not hmac.compare_digest(expected.encode("ascii"), given.encode("ascii")):
        raise ForgedNotification(f"bad signature on the notification for order {order_id!r}")
    status = status_from_payload(payload, order_ref=order_id)
    return Notification(
        provider=provider,
        order_ref=order_id,
        transaction_id=status.transaction_id,
        claimed_status=status.status,
        gross_amount=status.gross_amount,
        raw=status.raw,
    )


class MidtransProvider(PaymentProvider):
    """QRIS through Midtrans Core API (``POST /v2/charge``, ``GET /v2/{order_id}/status``)."""

    name: ClassVar[str] = "midtrans"

    def __init__(
        self,
        *,
        server_key: str,
        production: bool = False,
        transport: Transport | None = None,
        notification_url: str | None = None,
        expiry_minutes: int = 15,
        acquirer: str | None = None,
    ) -> None:
        if not server_key:
            raise ValueError("Midtrans needs a server key")
        self.server_key = server_key
        self.base_url = PRODUCTION_URL if production else SANDBOX_URL
        self.transport: Transport = transport or urllib_transport
        self.notification_url = notification_url
        self.expiry_minutes = expiry_minutes
        self.acquirer = acquirer

    def _headers(self) -> dict[str, str]:
        token = base64.b64encode(f"{self.server_key}:".encode()).decode("ascii")
        return {"Accept": "application/json", "Content-Type": "application/json", "Authorization": f"Basic {token}"}

    def create_qris(self, order_ref: str, amount: int) -> ProviderCharge:
        check_charge_request(order_ref, amount)
        body: dict[str, Any] = {
            "payment_type": "qris",
            "transaction_details": {"order_id": order_ref, "gross_amount": amount},
            "custom_expiry": {"expiry_duration": self.expiry_minutes, "unit": "minute"},
        }
        if self.acquirer:
            body["qris"] = {"acquirer": self.acquirer}
        headers = self._headers()
        # A retry after a timeout within Midtrans' 5-minute window returns the first answer, not a 406.
        headers["Idempotency-Key"] = f"qris-{order_ref}"
        if self.notification_url:
            headers["X-Override-Notification"] = self.notification_url
        request = HttpRequest("POST", f"{self.base_url}/v2/charge", headers, json.dumps(body).encode("utf-8"))
        payload = _json(self.transport(request))
        if payload.get("status_code") != "201" or payload.get("transaction_status") != "pending":
            raise ProviderError(
                f"Midtrans refused the QRIS charge for {order_ref!r}: "
                f"{payload.get('status_code')!r} {payload.get('status_message')!r}"
            )
        status = status_from_payload(payload, order_ref=order_ref)
        if status.gross_amount != amount:
            raise ProviderError(f"Midtrans charged {status.gross_amount} for {order_ref!r}, not {amount}")
        qr_string = _text(payload, "qr_string")
        _check_qr(qr_string, amount)
        return ProviderCharge(
            order_ref=order_ref,
            transaction_id=status.transaction_id,
            amount=amount,
            qr_string=qr_string,
            expires_at=_wib(payload.get("expiry_time")),
            raw=payload,
        )

    def fetch_status(self, order_ref: str) -> ProviderStatus:
        check_order_ref(order_ref)
        request = HttpRequest("GET", f"{self.base_url}/v2/{quote(order_ref, safe='')}/status", self._headers())
        response = self.transport(request)
        payload = _json(response)
        # Midtrans answers an unknown order with HTTP 200 and status_code "404" in the body.
        if response.status == 404 or payload.get("status_code") == "404":
            raise ChargeNotFound(f"Midtrans knows no transaction {order_ref!r}")
        if response.status != 200 or "transaction_status" not in payload:
            raise ProviderError(
                f"Midtrans status query for {order_ref!r} failed: HTTP {response.status} "
                f"{payload.get('status_code')!r} {payload.get('status_message')!r}"
            )
        return status_from_payload(payload, order_ref=order_ref)

    def verify_notification(self, headers: Mapping[str, str], body: bytes) -> Notification:
        # Midtrans puts the signature in the body, so the headers carry nothing to check.
        return parse_notification(body, server_key=self.server_key, provider=self.name)


def _check_qr(qr_string: str, amount: int) -> None:
    """Refuse a QR string a wallet would reject or that asks for another amount: never show it to a buyer."""
    try:
        fields = qris.decode(qr_string)
        values = {tag: value for tag, value in fields if isinstance(value, str)}
        ok = fields[-1][0] == qris.CRC_TAG and values.get("01") == "12"
        if ok and "54" in values:
            ok = qris.parse_amount(values["54"]) == amount
    except qris.QrisError as error:
        raise ProviderError(f"Midtrans returned an invalid QRIS string: {error.message}") from error
    if not ok:
        raise ProviderError("Midtrans returned a QRIS string that is not dynamic or not for this amount")

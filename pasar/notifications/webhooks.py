"""The WhatsApp Cloud API webhook: signature check over the raw body, then messages and statuses.

Meta signs every POST with ``X-Hub-Signature-256: sha256=<HMAC-SHA256(app secret, raw body)>``; it is
compared in constant time before the body is parsed. Messages are recorded once per message id (Meta
retries deliveries) and answered by a task; statuses move the outbound record forward.
"""

import hashlib
import hmac
from datetime import UTC, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pasar.accounts.models import User
from pasar.core.phone import normalize_phone
from pasar.notifications.models import InboundMessage, Window
from pasar.notifications.sending import status_update
from pasar.notifications.tasks import inbound_process, outbound_send


def signature_valid(body: bytes, header: str | None) -> bool:
    secret = settings.PASAR_WHATSAPP_APP_SECRET
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def sign(body: bytes, secret: str) -> str:
    """The header value Meta would send (for the tests and the demo's own checks)."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _when(value: Any) -> datetime:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return timezone.now()


def _values(payload: dict[str, Any]) -> list[dict[str, Any]]:
    values = []
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value")
            if isinstance(value, dict):
                values.append(value)
    return values


@transaction.atomic
def webhook_receive(payload: dict[str, Any]) -> dict[str, int]:
    """Record new messages (answered by a task after the commit) and apply statuses; counts of each."""
    counts = {"messages": 0, "duplicates": 0, "statuses": 0}
    for value in _values(_without_nul(payload)):
        sender = str((value.get("metadata") or {}).get("phone_number_id") or "")
        for status in value.get("statuses") or []:
            errors = status.get("errors") or [{}]
            error = f"{errors[0].get('code', '')} {errors[0].get('title', '')}".strip()
            fallback = status_update(
                provider_message_id=str(status.get("id") or ""),
                status=str(status.get("status") or ""),
                at=_when(status.get("timestamp")),
                error=error,
            )
            counts["statuses"] += 1
            if fallback is not None:
                transaction.on_commit(partial(outbound_send.enqueue, fallback.pk))
        names = {
            str(c.get("wa_id")): str((c.get("profile") or {}).get("name") or "")[:120]
            for c in value.get("contacts") or []
            if isinstance(c, dict)
        }
        for message in value.get("messages") or []:
            if isinstance(message, dict) and names.get(str(message.get("from"))):
                message = {**message, "profile_name": names[str(message.get("from"))]}
            counts[_record(message, sender)] += 1
    return counts


def _without_nul(value: Any) -> Any:
    """The payload with NUL characters dropped: a chat message may carry one, PostgreSQL's jsonb refuses it."""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_without_nul(key): _without_nul(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_nul(item) for item in value]
    return value


def _record(message: dict[str, Any], sender: str) -> str:
    phone = normalize_phone(str(message.get("from") or ""))
    message_id = str(message.get("id") or "")
    if phone is None or not message_id or not sender:
        return "duplicates"  # nothing we could answer; acknowledged so Meta stops retrying
    inbound, created = InboundMessage.objects.get_or_create(
        provider_message_id=message_id[:128],
        defaults={
            "phone": phone,
            "sender": sender[:64],
            "kind": str(message.get("type") or "")[:20],
            "payload": message,
        },
    )
    if not created:
        return "duplicates"
    user = User.objects.filter(phone=phone).first()
    Window.objects.update_or_create(
        phone=phone, sender=sender[:64], defaults={"user": user, "last_inbound_at": timezone.now()}
    )
    pk = inbound.pk
    transaction.on_commit(lambda: inbound_process.enqueue(pk))
    return "messages"


def message_text(message: InboundMessage) -> str:
    """The text of a text message, or the id of a tapped reply button ("" for anything else)."""
    payload = message.payload
    if message.kind == "text":
        return str((payload.get("text") or {}).get("body") or "")
    if message.kind == "interactive":
        interactive = payload.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return str(reply.get("id") or "")
    if message.kind == "button":  # a template's quick-reply button
        return str((payload.get("button") or {}).get("payload") or "")
    return ""


def message_location(message: InboundMessage) -> tuple[float, float, str] | None:
    location = message.payload.get("location") if message.kind == "location" else None
    if not isinstance(location, dict):
        return None
    try:
        latitude, longitude = float(location["latitude"]), float(location["longitude"])
    except (KeyError, TypeError, ValueError):
        return None
    address = str(location.get("address") or location.get("name") or "")
    return latitude, longitude, address

"""Writing ``OutboundMessage`` rows (no sending: ``queue.message_queue`` enqueues the task)."""

from typing import Any

from django.db import IntegrityError, transaction

from pasar.notifications.messages import cost_of
from pasar.notifications.models import Channel, OutboundMessage
from pasar.notifications.providers import provider_name

Kind = OutboundMessage.Kind


def message_record(
    *,
    key: str,
    channel: str,
    to: str,
    text: str,
    category: str,
    kind: str = Kind.TEXT,
    sender: str = "",
    template: str = "",
    params: list[str] | None = None,
    buttons: list[dict[str, str]] | None = None,
    user_id: int | None = None,
    market_id: int | None = None,
    notification_id: int | None = None,
    announcement_id: int | None = None,
) -> tuple[OutboundMessage | None, bool]:
    """Record the message once per ``key`` (a replay returns the first, not new); None if the channel is off."""
    provider = provider_name(channel)
    if not provider:
        return None, False
    fields: dict[str, Any] = {
        "channel": channel,
        "to": to,
        "text": text,
        "category": category,
        "kind": kind,
        "sender": sender if channel == Channel.WHATSAPP else "",
        "provider": provider,
        "template": template,
        "params": params or [],
        "buttons": buttons or [],
        "cost": cost_of(category),
        "user_id": user_id,
        "market_id": market_id,
        "notification_id": notification_id,
        "announcement_id": announcement_id,
    }
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(idempotency_key=key[:120], **fields)
    except IntegrityError:
        return OutboundMessage.objects.filter(idempotency_key=key[:120]).first(), False  # a replay: sent once
    return message, True

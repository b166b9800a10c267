"""Sending one ``OutboundMessage`` on its provider, and what the provider tells us afterwards.

Runs in a task after the commit that queued the message, never inside a transaction: the HTTP call
holds no lock. Each attempt is counted on the row; a failure re-raises so the worker retries with
backoff (``runtime.tasks``), and the last allowed attempt marks the message ``failed`` with the
provider's answer (visible in "Kotak keluar") and queues its SMS fallback when it has one.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from pasar.notifications.messages import TEMPLATES
from pasar.notifications.models import Category, Channel, Notification, OutboundMessage
from pasar.notifications.providers import ProviderError, provider_for
from pasar.notifications.records import message_record

logger = logging.getLogger(__name__)

Status = OutboundMessage.Status
RANK = {Status.QUEUED: 0, Status.SENT: 1, Status.DELIVERED: 2, Status.READ: 3}


class SendFailed(Exception):
    """An attempt failed and another will follow (the worker retries the task with backoff)."""


def outbound_send(message_id: int) -> tuple[str, int | None]:
    """Send the message once: its status and the id of an SMS fallback to send (the caller enqueues it).

    Raises ``SendFailed`` when a retry should follow."""
    message = OutboundMessage.objects.filter(pk=message_id).first()
    if message is None or message.status != Status.QUEUED:
        return (message.status if message is not None else "missing"), None
    provider = provider_for(message.channel, message.provider)
    if provider is None:
        return Status.FAILED, _fail(message, "provider switched off")
    OutboundMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
    message.attempts += 1
    try:
        provider_id = provider.send(message)
    except ProviderError as exc:
        logger.warning("message %s to %s: attempt %d failed: %s", message.pk, message.channel, message.attempts, exc)
        if message.attempts >= settings.PASAR_MESSAGE_MAX_ATTEMPTS:
            return Status.FAILED, _fail(message, str(exc))
        OutboundMessage.objects.filter(pk=message.pk).update(error=str(exc)[:250])
        raise SendFailed(str(exc)) from exc
    now = timezone.now()
    updated = OutboundMessage.objects.filter(pk=message.pk, status=Status.QUEUED).update(
        status=Status.SENT, provider_message_id=provider_id, sent_at=now, error=""
    )
    if updated and message.notification_id is not None:
        Notification.objects.filter(pk=message.notification_id, sent_at__isnull=True).update(sent_at=now)
    if message.template == "kode_masuk":
        _redact(message)
    return Status.SENT, None


def _redact(message: OutboundMessage) -> None:
    """A one-time code is not kept once it left (the fake provider's demo outbox keeps it: nothing left)."""
    if message.provider != "fake":
        OutboundMessage.objects.filter(pk=message.pk).update(text="••••••", params=[])


def _fail(message: OutboundMessage, error: str) -> int | None:
    OutboundMessage.objects.filter(pk=message.pk).exclude(status=Status.FAILED).update(
        status=Status.FAILED, failed_at=timezone.now(), error=error[:250]
    )
    fallback = fallback_sms(message)
    return fallback.pk if fallback is not None else None


def fallback_sms(message: OutboundMessage) -> OutboundMessage | None:
    """A WhatsApp message that finally failed goes again by SMS (when SMS runs and the kind allows it);
    the new row is returned unsent: the caller enqueues it."""
    if message.channel != Channel.WHATSAPP or message.kind == OutboundMessage.Kind.BUTTONS:
        return None
    template = TEMPLATES.get(message.template) if message.template else None
    if message.kind == OutboundMessage.Kind.TEMPLATE and (template is None or not template.sms):
        return None
    fallback, created = message_record(
        key=f"{message.idempotency_key}:sms",
        channel=Channel.SMS,
        to=message.to,
        text=message.text,
        category=Category.SMS,
        user_id=message.user_id,
        market_id=message.market_id,
        notification_id=message.notification_id,
        announcement_id=message.announcement_id,
    )
    return fallback if created else None


def status_update(*, provider_message_id: str, status: str, at: datetime, error: str = "") -> OutboundMessage | None:
    """Apply a status webhook (sent/delivered/read/failed); forward only, so a late "sent" changes nothing.

    Returns the SMS fallback of a message that failed, for the caller to enqueue."""
    message = OutboundMessage.objects.filter(provider_message_id=provider_message_id).first()
    if message is None or status not in Status.values or message.status == Status.FAILED:
        return None
    if status == Status.FAILED:
        OutboundMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, failed_at=at, error=error[:250])
        message.refresh_from_db()
        return fallback_sms(message)
    if RANK[Status(status)] <= RANK[Status(message.status)]:
        return None
    fields: dict[str, object] = {"status": status}
    if status == Status.READ:
        fields.update(read_at=at, delivered_at=message.delivered_at or at)
    elif status == Status.DELIVERED:
        fields["delivered_at"] = at
    OutboundMessage.objects.filter(pk=message.pk).update(**fields)
    if status == Status.READ and message.notification_id is not None:
        Notification.objects.filter(pk=message.notification_id, read_at__isnull=True).update(read_at=at)
    return None

"""Deciding how a message goes out (WhatsApp template, free text inside the window, SMS, or inbox only)
and queuing it: one ``OutboundMessage`` per idempotency key, sent by a task after the commit."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from pasar.accounts.models import User
from pasar.notifications.messages import Template, absolute
from pasar.notifications.models import Category, Channel, OptIn, OutboundMessage, Window
from pasar.notifications.providers import provider_name
from pasar.notifications.records import message_record
from pasar.notifications.tasks import outbound_send

WINDOW = timedelta(hours=24)
Kind = OutboundMessage.Kind


def opted_in(user: User) -> bool:
    return OptIn.objects.filter(user=user, phone=user.phone, opted_out_at__isnull=True).exists()


def window_open(phone: str, sender: str) -> bool:
    since = timezone.now() - WINDOW
    return Window.objects.filter(phone=phone, sender=sender, last_inbound_at__gte=since).exists()


def default_sender(sender: str = "") -> str:
    return sender or settings.PASAR_WHATSAPP_PHONE_NUMBER_ID


def message_queue(**fields: Any) -> OutboundMessage | None:
    """Record the message (once per ``key``, see ``records.message_record``) and send it after the commit."""
    message, created = message_record(**fields)
    if created and message is not None:
        pk = message.pk
        transaction.on_commit(lambda: outbound_send.enqueue(pk))
    return message


def deliver(
    *,
    user: User,
    template: Template,
    params: dict[str, Any],
    key: str,
    url: str = "",
    sender: str = "",
    market_id: int | None = None,
    notification_id: int | None = None,
    announcement_id: int | None = None,
    buttons: list[dict[str, str]] | None = None,
) -> OutboundMessage | None:
    """Send ``template`` to ``user``: free text while their window is open, else the template; only with
    WhatsApp opt-in (SMS only for one-time codes and as the fallback of a failed WhatsApp message).

    ``buttons`` (id, title) become reply buttons inside the window and the template's quick-reply
    payloads outside it; a tap comes back as an inbound message whose text is the id."""
    link = absolute(url)
    text = template.render(params) + (f"\n{link}" if link else "")
    common: dict[str, Any] = {
        "key": key,
        "template": template.name,
        "to": user.phone,
        "text": text,
        "user_id": user.pk,
        "market_id": market_id,
        "notification_id": notification_id,
        "announcement_id": announcement_id,
    }
    if template.category == Category.AUTHENTICATION and not (provider_name(Channel.WHATSAPP) and opted_in(user)):
        return message_queue(channel=Channel.SMS, category=Category.SMS, **common)
    if not opted_in(user):
        return None
    sender = default_sender(sender)
    if window_open(user.phone, sender):
        kind = Kind.BUTTONS if buttons else Kind.TEXT
        return message_queue(
            channel=Channel.WHATSAPP, sender=sender, category=Category.SERVICE, kind=kind, buttons=buttons, **common
        )
    return message_queue(
        channel=Channel.WHATSAPP,
        sender=sender,
        kind=Kind.TEMPLATE,
        params=template.ordered({**params, "url": link}),
        category=template.category,
        buttons=buttons,  # the template's quick-reply buttons, with these payloads
        **common,
    )

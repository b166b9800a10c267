"""Writing notifications: one per (user, source key), sent on the channel after the commit."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from pasar.accounts.models import User
from pasar.notifications.models import Notification


def notify(*, user: User, key: str, message: str, params: dict[str, Any] | None = None, url: str = "") -> bool:
    """Record a notification for ``user`` unless ``key`` already notified them; True if it is new.

    ``message`` is an English msgid (mark it with ``gettext_noop``); ``params`` fill its ``%(name)s``.
    """
    from pasar.notifications.tasks import notification_send

    try:
        with transaction.atomic():
            note = Notification.objects.create(user=user, key=key[:80], message=message, params=params or {}, url=url)
    except IntegrityError:
        return False  # this source already notified this person (a task that ran twice)
    transaction.on_commit(lambda: notification_send.enqueue(note.pk))
    return True


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def notification_send(notification_id: int) -> bool:
    """Send one notification on the configured channel, once; False if there is no channel or it was sent."""
    from pasar.notifications.channels import configured_channel

    channel = configured_channel()
    if channel is None:
        return False
    note = Notification.objects.select_related("user").get(pk=notification_id)
    if note.sent_at is not None:
        return False
    with translation.override("id"):
        text = note.text
    channel.send(phone=note.user.phone, text=text)
    # Conditional: if two workers raced, only one records the send (the channel may have sent twice;
    # gateways de-duplicate on their side at best, so the task is enqueued once per notification).
    return bool(Notification.objects.filter(pk=note.pk, sent_at__isnull=True).update(sent_at=timezone.now()))

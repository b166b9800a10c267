"""Writing notifications: one per (user, source key) in the inbox, and its message to the phone.

``notify`` records the inbox entry and, for a ``Template``, queues the WhatsApp/SMS message
(``queue.deliver``: template, free text inside the window, or nothing without opt-in), sent by a task
after the commit. Opt-in and opt-out are recorded per person and number.
"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from pasar.accounts.models import User
from pasar.notifications.messages import Template
from pasar.notifications.models import Notification, OptIn
from pasar.notifications.queue import deliver

OPT_IN_WORDING = "Pasar Daring may send me WhatsApp messages about my orders, my stall and my account."


def notify(
    *,
    user: User,
    key: str,
    message: str = "",
    params: dict[str, Any] | None = None,
    url: str = "",
    template: Template | None = None,
    sender: str = "",
    market_id: int | None = None,
    announcement_id: int | None = None,
    buttons: list[dict[str, str]] | None = None,
) -> bool:
    """Record a notification for ``user`` unless ``key`` already notified them; True if it is new.

    ``message`` is an English msgid (mark it with ``gettext_noop``), or the ``template``'s inbox text;
    ``params`` fill its ``%(name)s``. With a template the message also goes to the phone.
    """
    if template is not None:
        message = template.inbox
    params = params or {}
    try:
        with transaction.atomic():
            note = Notification.objects.create(user=user, key=key[:80], message=message, params=params, url=url)
            if template is not None:
                deliver(
                    user=user,
                    template=template,
                    params=params,
                    url=url,
                    key=f"notification:{note.pk}",
                    sender=sender,
                    market_id=market_id,
                    notification_id=note.pk,
                    announcement_id=announcement_id,
                    buttons=buttons,
                )
    except IntegrityError:
        return False  # this source already notified this person (a task that ran twice)
    return True


def notifications_mark_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def opt_in(*, user: User, source: str, wording: str = OPT_IN_WORDING, phone: str = "") -> OptIn:
    """Record (or renew) the person's consent to WhatsApp messages on their number."""
    row, _created = OptIn.objects.update_or_create(
        user=user,
        phone=phone or user.phone,
        defaults={
            "source": source,
            "wording": wording[:250],
            "opted_in_at": timezone.now(),
            "opted_out_at": None,
            "opt_out_source": "",
        },
    )
    return row


def opt_out(*, phone: str, source: str) -> int:
    """STOP/BERHENTI (or the web switch): no more business-initiated messages to this number."""
    return OptIn.objects.filter(phone=phone, opted_out_at__isnull=True).update(
        opted_out_at=timezone.now(), opt_out_source=source[:20]
    )

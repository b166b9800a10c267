"""Every step of a bargain leaves one ``OfferEvent`` (as ``events.py`` does for orders: who, when, what).

The kinds in ``offer_notify.RULES`` tell the other side, through a task enqueued after the commit.
"""

from typing import Any

from django.db import transaction

from pasar.accounts.models import User
from pasar.orders.models import Offer, OfferEvent
from pasar.orders.offer_notify import RULES
from pasar.orders.tasks import offer_event_notify


def record(offer: Offer, kind: str, *, actor: User | None = None, **data: Any) -> OfferEvent:
    event = OfferEvent.objects.create(offer=offer, actor=actor, kind=kind, data=data)
    if kind in RULES:
        transaction.on_commit(lambda: offer_event_notify.enqueue(event.pk))
    return event

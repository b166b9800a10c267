"""Every change to an order leaves one ``OrderEvent``: who, when, what.

Events of the kinds in ``orders.notify.RULES`` also notify the people concerned, through a task
enqueued after the commit (never inside the order's lock, and never for a rolled-back change).
"""

from typing import Any

from django.db import transaction

from pasar.accounts.models import User
from pasar.orders.models import Order, OrderEvent
from pasar.orders.notify import RULES
from pasar.orders.services import prebuilt
from pasar.orders.tasks import order_event_notify


def record(order: Order, kind: str, *, actor: User | None = None, **data: Any) -> OrderEvent:
    event = OrderEvent(order=order, actor=actor, kind=kind, data=data)
    # Without the ORM's compiler: an order change records one, every placement among them (prebuilt.py).
    prebuilt.insert([event])
    if kind in RULES:
        transaction.on_commit(lambda: order_event_notify.enqueue(event.pk))
    return event

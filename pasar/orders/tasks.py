"""Background work after an order changes, enqueued with ``transaction.on_commit`` (django.tasks).

A task runs after the order's transaction committed, never while it holds a row lock; with the
database backend (django-tasks-db) it survives a crash between the commit and the side effect,
and each task is idempotent, so a redelivered task changes nothing the second time.
"""

import logging
from importlib import import_module

from django.tasks import task

from pasar.orders.models import Order

logger = logging.getLogger(__name__)


@task()
def order_delivered(order_id: int) -> None:
    """Post a delivered order to the ledger (idempotent: the payments app posts an order once).

    Payments sits above orders in the app layers (it may import orders, never the reverse), so its
    service is looked up by name.
    """
    order = Order.objects.get(pk=order_id)
    payments = import_module("pasar.payments.services")
    payments.ledger_post_order(order=order)


@task()
def order_event_notify(event_id: int) -> int:
    """Tell the people an order event concerns (buyer, traders); idempotent per event and person."""
    from pasar.orders.models import OrderEvent
    from pasar.orders.notify import notify_for_event

    event = OrderEvent.objects.filter(pk=event_id).first()
    return notify_for_event(event) if event is not None else 0

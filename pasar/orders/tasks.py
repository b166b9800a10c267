"""Background work after an order changes, enqueued with ``transaction.on_commit`` (django.tasks).

A task runs after the order's transaction committed, never while it holds a row lock; with the
database backend (django-tasks-db) it survives a crash between the commit and the side effect,
and each task is idempotent, so a redelivered task changes nothing the second time.
"""

import logging

from django.tasks import task

from pasar.orders.models import OfferEvent, Order, OrderEvent
from pasar.orders.notify import notify_for_event
from pasar.orders.offer_notify import notify_for_offer_event
from pasar.orders.signals import order_delivered as delivered_signal

logger = logging.getLogger(__name__)


@task()
def order_delivered(order_id: int) -> None:
    """Tell the apps above (payments posts the ledger, once per order) that the order was handed over.

    Receivers raise on failure, so the task fails and is retried (``send``, not ``send_robust``).
    """
    order = Order.objects.get(pk=order_id)
    delivered_signal.send(sender=Order, order=order)


@task()
def order_event_notify(event_id: int) -> int:
    """Tell the people an order event concerns (buyer, traders); idempotent per event and person."""
    event = OrderEvent.objects.filter(pk=event_id).first()
    return notify_for_event(event) if event is not None else 0


@task()
def offer_event_notify(event_id: int) -> int:
    """Tell the other side of a bargain what happened; idempotent per event and person."""
    event = OfferEvent.objects.filter(pk=event_id).first()
    return notify_for_offer_event(event) if event is not None else 0

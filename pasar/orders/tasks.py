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

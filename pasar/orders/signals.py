"""Signals the orders app sends for the apps above it, which connect in their ``AppConfig.ready``.

``order_delivered`` is sent by the ``orders.tasks.order_delivered`` task after the handover committed;
payments posts the order to the ledger on it. Orders never imports payments (the layers stay one-way).
"""

from django.dispatch import Signal

order_delivered = Signal()  # sender=Order, order=<Order>

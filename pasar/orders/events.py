"""Every change to an order leaves one ``OrderEvent``: who, when, what."""

from typing import Any

from pasar.accounts.models import User
from pasar.orders.models import Order, OrderEvent


def record(order: Order, kind: str, *, actor: User | None = None, **data: Any) -> OrderEvent:
    return OrderEvent.objects.create(order=order, actor=actor, kind=kind, data=data)

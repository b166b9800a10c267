"""Answering what people send to the business's numbers: handlers registered by the apps that know what
to do (a STOP here, a shopping list in ``orders.chat``), tried in priority order until one answers.

The registry keeps the layers one-way: orders registers its handler in ``OrdersConfig.ready``;
notifications never imports orders.
"""

from collections.abc import Callable

from django.utils import timezone

from pasar.notifications.models import InboundMessage

Handler = Callable[[InboundMessage], bool]
_HANDLERS: list[tuple[int, Handler]] = []


def register(handler: Handler, *, priority: int = 100) -> None:
    if all(h is not handler for _p, h in _HANDLERS):
        _HANDLERS.append((priority, handler))
        _HANDLERS.sort(key=lambda pair: pair[0])


def inbound_process(inbound_id: int) -> str:
    """Run the first handler that takes the message; each handler is idempotent on the message id."""
    message = InboundMessage.objects.filter(pk=inbound_id).first()
    if message is None or message.processed_at is not None:
        return "done"
    taken = "unhandled"
    for _priority, handler in _HANDLERS:
        if handler(message):
            taken = getattr(handler, "__name__", "handler")
            break
    InboundMessage.objects.filter(pk=message.pk, processed_at__isnull=True).update(processed_at=timezone.now())
    return taken

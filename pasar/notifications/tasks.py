"""Background work of the notifications app (django.tasks), enqueued after the commit that queued it.

This module imports only the lower modules that do the work (``sending``, ``inbound``); the services
that enqueue import it, never the reverse, so there is no import circle.
"""

from django.conf import settings
from django.tasks import task

from pasar.notifications import inbound, sending
from pasar.runtime.tasks import retry


@retry(max_attempts=settings.PASAR_MESSAGE_MAX_ATTEMPTS, base_delay=10, max_delay=600)
@task()
def outbound_send(message_id: int) -> str:
    """One attempt; a failure raises and the worker retries with backoff until the message is failed."""
    status, fallback = sending.outbound_send(message_id)
    if fallback is not None:
        outbound_send.enqueue(fallback)
    return status


@task()
def inbound_process(inbound_id: int) -> str:
    """Answer one message a person sent (STOP/BERHENTI here, a shopping list in orders.chat)."""
    return inbound.inbound_process(inbound_id)

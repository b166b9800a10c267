"""Channels that carry a notification to a phone, behind one small interface.

A channel gets the phone number (E.164, ``+62…``) and the text in the installation's language, and
either returns a provider reference or raises ``ChannelError``: the task then fails (the task backend
records the failure) and the notification stays unsent (``sent_at`` empty) in the inbox. Which channel
runs is the setting ``PASAR_NOTIFY_CHANNEL``: ``""`` (inbox only, the default), ``"log"`` (writes to the
log, for the demo), ``"memory"`` (kept in ``MemoryChannel.outbox``, for tests) or a dotted path to a class.

An adapter for a WhatsApp gateway (the WhatsApp Business Cloud API, or Indonesian gateways such as
Fonnte, Wablas or Qontak) or an SMS provider implements ``send``: one HTTPS call with a timeout of a
few seconds, the provider's message id returned, any non-2xx or timeout raised as ``ChannelError``.
It never runs inside a database transaction (tasks run after the commit), and it must not log the
text of a message at INFO (it may hold a handover code).
"""

import logging
from typing import ClassVar, Protocol, cast

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ChannelError(Exception):
    """The provider refused or did not answer; the notification stays unsent and is retried."""


class Channel(Protocol):
    def send(self, *, phone: str, text: str) -> str: ...


class LogChannel:
    def send(self, *, phone: str, text: str) -> str:
        logger.info("notification to %s: %d characters", phone, len(text))
        return "log"


class MemoryChannel:
    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, *, phone: str, text: str) -> str:
        self.outbox.append((phone, text))
        return f"memory-{len(self.outbox)}"


BUILTIN = {"log": LogChannel, "memory": MemoryChannel}


def configured_channel() -> Channel | None:
    name = getattr(settings, "PASAR_NOTIFY_CHANNEL", "")
    if not name:
        return None
    cls = BUILTIN.get(name) or import_string(name)
    return cast(Channel, cls())

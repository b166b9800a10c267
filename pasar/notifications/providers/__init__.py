"""Providers that carry an ``OutboundMessage`` to a phone: WhatsApp Cloud API, Zenziva SMS, and the fake.

Interface (``base.Provider``): ``send(message) -> provider message id``, one HTTPS call with a timeout of
a few seconds; any non-2xx answer or timeout raises ``ProviderError`` (the task then retries with
backoff, and marks the message failed after its last attempt). A provider never runs inside a
database transaction and never logs a message's text (it may hold a one-time or handover code).
Which one runs: ``PASAR_WHATSAPP_PROVIDER`` (``""`` off, ``fake``, ``cloud``) and ``PASAR_SMS_PROVIDER``
(``""`` off, ``fake``, ``zenziva``), or a dotted path to a class.
"""

from django.conf import settings
from django.utils.module_loading import import_string

from pasar.notifications.models import Channel
from pasar.notifications.providers.base import Provider, ProviderError

BUILTIN = {
    Channel.WHATSAPP: {
        "fake": "pasar.notifications.providers.fake.FakeProvider",
        "cloud": "pasar.notifications.providers.whatsapp.CloudAPI",
    },
    Channel.SMS: {
        "fake": "pasar.notifications.providers.fake.FakeProvider",
        "zenziva": "pasar.notifications.providers.sms.Zenziva",
    },
}

__all__ = ["Provider", "ProviderError", "provider_name", "provider_for"]


def provider_name(channel: str) -> str:
    setting = settings.PASAR_WHATSAPP_PROVIDER if channel == Channel.WHATSAPP else settings.PASAR_SMS_PROVIDER
    return str(setting or "")


def provider_for(channel: str, name: str | None = None) -> Provider | None:
    name = provider_name(channel) if name is None else name
    if not name:
        return None
    path = BUILTIN[Channel(channel)].get(name, name)
    provider: Provider = import_string(path)()
    return provider

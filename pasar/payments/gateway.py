"""The configured payment provider, built from settings at call time (never at import time).

Only the provider named by ``PASAR_PAYMENT_PROVIDER`` answers: the fake's secret is public, so a
production site running Midtrans must not accept fake-signed notifications.

The fake keeps its charges in memory, so one instance lives per process and per secret: the demo's
charge and the notification that pays it must meet in the same dictionary.
"""

from functools import cache

from django.conf import settings

from pasar.payments.providers.base import PaymentProvider
from pasar.payments.providers.fake import FakeProvider
from pasar.payments.providers.midtrans import MidtransProvider


class ProviderNotConfigured(LookupError):
    """No provider of that name is enabled here."""


@cache
def _fake(secret: str) -> FakeProvider:
    return FakeProvider(secret=secret)


def payment_provider(name: str | None = None) -> PaymentProvider:
    """The enabled provider (``name`` must match it when given); ``ProviderNotConfigured`` otherwise."""
    configured = settings.PASAR_PAYMENT_PROVIDER
    if name is not None and name != configured:
        raise ProviderNotConfigured(name)
    if configured == FakeProvider.name:
        return _fake(settings.PASAR_PAYMENT_FAKE_SECRET)
    if configured == MidtransProvider.name and settings.PASAR_MIDTRANS_SERVER_KEY:
        return MidtransProvider(
            server_key=settings.PASAR_MIDTRANS_SERVER_KEY,
            production=settings.PASAR_MIDTRANS_PRODUCTION,
            notification_url=settings.PASAR_MIDTRANS_NOTIFICATION_URL or None,
        )
    raise ProviderNotConfigured(configured)


def fake_reset() -> None:
    """Forget the fake's charges (tests start from an empty provider)."""
    _fake.cache_clear()

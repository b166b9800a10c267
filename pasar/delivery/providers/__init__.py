"""External courier providers: the interface (``base``), the fake (``fake``) and the configured one."""

from django.conf import settings

from pasar.delivery.providers.base import CourierProvider, ProviderError, Quote, Status
from pasar.delivery.providers.fake import FakeProvider

__all__ = ["CourierProvider", "FakeProvider", "ProviderError", "Quote", "Status", "configured_provider"]

_FAKE = FakeProvider()


def configured_provider() -> CourierProvider | None:
    """The provider named by ``PASAR_DELIVERY_PROVIDER``; None when external hand-off is off."""
    name = settings.PASAR_DELIVERY_PROVIDER
    if name == "fake":
        return _FAKE
    return None

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from pasar.notifications.models import OutboundMessage


class ProviderError(Exception):
    """The provider refused the message or did not answer in time (the text is never in the error)."""


class Provider(Protocol):
    def send(self, message: "OutboundMessage") -> str: ...

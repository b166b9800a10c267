"""The fake provider of the demo and the tests: it sends nothing, and the ``OutboundMessage`` row is the
record of what would have gone out (read in "Kotak keluar" and ``pasar messages --json``)."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pasar.notifications.models import OutboundMessage


class FakeProvider:
    def send(self, message: "OutboundMessage") -> str:
        return f"fake.{message.channel}.{message.pk}"

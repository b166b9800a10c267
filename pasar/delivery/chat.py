"""Answers to the delivery messages: a courier's "Terima" tap on a trip offer accepts it."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.delivery.notify import ACCEPT
from pasar.delivery.services import offer_accept
from pasar.notifications.messages import absolute
from pasar.notifications.models import InboundMessage
from pasar.notifications.optout import reply
from pasar.notifications.webhooks import message_text


def handle_accept(message: InboundMessage) -> bool:
    """A courier's "Terima" tap: accept the offer through ``offer_accept`` (idempotent: a double tap)."""
    word = message_text(message).strip().lower()
    if not word.startswith(ACCEPT) or not word[len(ACCEPT) :].isdigit():
        return False
    courier = User.objects.filter(phone=message.phone).first()
    with override("id"):
        if courier is None:
            return False
        try:
            offer_accept(offer_id=int(word[len(ACCEPT) :]), courier=courier)
        except DomainError as exc:
            reply(message, exc.message)
        else:
            reply(
                message,
                _("Trip accepted. Open your queue for the route: %(url)s")
                % {"url": absolute(reverse("delivery:courier"))},
            )
    return True

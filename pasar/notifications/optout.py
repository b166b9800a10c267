"""STOP / BERHENTI (and MULAI to come back): the opt-out every WhatsApp business must honour."""

from django.utils.translation import gettext as _
from django.utils.translation import override

from pasar.accounts.models import User
from pasar.notifications import services
from pasar.notifications.models import Category, Channel, InboundMessage, OptIn
from pasar.notifications.queue import message_queue
from pasar.notifications.webhooks import message_text

STOP_WORDS = {"stop", "berhenti", "unsubscribe", "stop promosi"}
START_WORDS = {"mulai", "start"}


def reply(
    message: InboundMessage,
    text: str,
    *,
    suffix: str = "",
    buttons: list[dict[str, str]] | None = None,
    market_id: int | None = None,
) -> None:
    """Free text inside the window the person just opened, once per their message id."""
    message_queue(
        key=f"reply:{message.provider_message_id}:{suffix}",
        channel=Channel.WHATSAPP,
        to=message.phone,
        sender=message.sender,
        text=text,
        kind="buttons" if buttons else "text",
        buttons=buttons,
        category=Category.SERVICE,
        market_id=market_id,
        user_id=User.objects.filter(phone=message.phone).values_list("pk", flat=True).first(),
    )


def handle_stop(message: InboundMessage) -> bool:
    word = message_text(message).strip().lower().strip(".!")
    if word in STOP_WORDS:
        services.opt_out(phone=message.phone, source="chat")
        with override("id"):
            reply(message, _("You will get no more messages from Pasar Daring. Reply MULAI to receive them again."))
        return True
    if word in START_WORDS:
        user = User.objects.filter(phone=message.phone).first()
        if user is not None:
            services.opt_in(user=user, source=OptIn.Source.CHAT)
        with override("id"):
            reply(message, _("Pasar Daring will send you messages about your orders again. Reply STOP to stop."))
        return True
    return False

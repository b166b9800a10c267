"""Ordering by chat (titip belanja by WhatsApp) at a market's number.

A buyer sends a shopping list → it is matched exactly as on the list page (``shopping_list_match``)
→ the reply (free text: the buyer just opened the 24-hour window) lists the matched lines per stall
with prices, the "cari di pasar" lines, the delivery fee (after a shared location) or pickup, and a
signed link valid for ``PASAR_CHAT_LINK_HOURS`` to the pre-filled list page; then reply buttons
Pesan / Ubah / Batal. "Pesan" writes the list into the buyer's cart at that market (replacing what
was there) and places it through ``order_place`` — the web checkout's service — with an idempotency
key derived from the button message's id. A number that is not a user yet is told that "Pesan" also
creates a light buyer account tied to the number and opts in to order messages; the account is made
only on that tap (consent). The conversation lives in ``ChatConversation``.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.core.geo import haversine_km
from pasar.core.money import format_rupiah
from pasar.markets.models import Market
from pasar.notifications.messages import absolute
from pasar.notifications.models import InboundMessage, OptIn
from pasar.notifications.optout import reply as notifications_reply
from pasar.notifications.services import opt_in
from pasar.notifications.webhooks import message_location, message_text
from pasar.orders.models import CartLine, CartRequest, ChatConversation, Order
from pasar.orders.pricing import delivery_fee, market_day
from pasar.orders.services.placement import Checkout, order_place
from pasar.orders.services.shopping_list import (
    FLAGGED,
    PRODUCT,
    SEARCH,
    MatchResult,
    shopping_list_match,
    shopping_list_to_cart,
)
from pasar.orders.services.slots import order_place_at_slot, slot_plan

LINK_SALT = "orders.chat.list"
ORDER_WORDS = {"pesan", "ya", "yes", "oke", "ok", "jadi"}
CHANGE_WORDS = {"ubah", "edit"}
CANCEL_WORDS = {"batal", "cancel", "tidak"}
BUTTONS = [{"id": "pesan", "title": "Pesan"}, {"id": "ubah", "title": "Ubah"}, {"id": "batal", "title": "Batal"}]
PICKUP_LEAD = timedelta(minutes=30)
LIGHT_ACCOUNT_NAME = "Pembeli WhatsApp"


def list_link(market: Market, text: str) -> str:
    """The signed link to the list page with ``text`` filled in (valid ``PASAR_CHAT_LINK_HOURS``)."""
    token = signing.dumps({"m": market.pk, "t": text}, salt=LINK_SALT, compress=True)
    return absolute(reverse("orders:shopping-list", kwargs={"slug": market.slug}) + f"?daftar={token}")


def list_from_link(market: Market, token: str) -> str | None:
    """The list a link carries, or None when it is forged, for another market or expired."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=timedelta(hours=settings.PASAR_CHAT_LINK_HOURS))
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("m") != market.pk or not isinstance(data.get("t"), str):
        return None
    return str(data["t"])


def reply(message: InboundMessage, text: str, **options: Any) -> None:
    """Free text inside the window, billed to the market whose number was written to."""
    market_id = Market.objects.filter(whatsapp_phone_number_id=message.sender).values_list("pk", flat=True).first()
    notifications_reply(message, text, market_id=market_id, **options)


def handle(message: InboundMessage) -> bool:
    """The inbound handler registered by ``OrdersConfig.ready``: messages to a market's number."""
    market = Market.objects.filter(whatsapp_phone_number_id=message.sender).first()
    if market is None:
        return False
    with override("id"), transaction.atomic():
        conversation, _created = ChatConversation.objects.select_for_update().get_or_create(
            phone=message.phone, market=market
        )
        conversation.user = User.objects.filter(phone=message.phone).first()
        location = message_location(message)
        word = message_text(message).strip().lower().strip(".!")
        if location is not None:
            _located(message, conversation, *location)
        elif word in ORDER_WORDS:
            _order(message, conversation)
        elif word in CHANGE_WORDS:
            reply(message, _change_text(conversation))
        elif word in CANCEL_WORDS:
            conversation.state, conversation.draft = ChatConversation.State.IDLE, ""
            reply(message, _("Your list is cancelled. Send a new list any time."))
        elif message.kind == "text" and word:
            _list(message, conversation, message_text(message))
        else:
            reply(message, _("Send your shopping list, one item per line (for example: cabai rawit 1/4 kg)."))
        conversation.save()
    return True


def _list(message: InboundMessage, conversation: ChatConversation, text: str) -> None:
    try:
        result = _match(conversation, text)
    except DomainError as exc:
        reply(message, exc.message)
        return
    conversation.state, conversation.draft = ChatConversation.State.DRAFT, text
    conversation.draft_message_id = message.provider_message_id
    reply(message, summary(conversation, result), suffix="list")
    reply(message, _ask_text(conversation), suffix="buttons", buttons=BUTTONS)


def _match(conversation: ChatConversation, text: str) -> MatchResult:
    """Match as the list page does; an unknown number has no favourite stalls (matched with a throwaway
    buyer row, rolled back: no account exists before the person's consent)."""
    if conversation.user is not None:
        return shopping_list_match(buyer=conversation.user, market=conversation.market, text=text)
    with transaction.atomic():
        buyer = User.objects.create_user(conversation.phone, name=LIGHT_ACCOUNT_NAME)
        result = shopping_list_match(buyer=buyer, market=conversation.market, text=text)
        transaction.set_rollback(True)
    return result


def _qty(q: Decimal | None, unit: str) -> str:
    if q is None:
        return ""
    return f"{q.normalize():f}".replace(".", ",") + f" {unit}"


@dataclass(frozen=True)
class Delivery:
    fee: int | None
    message: str


def _delivery(conversation: ChatConversation) -> Delivery:
    market = conversation.market
    if conversation.latitude is None or conversation.longitude is None:
        return Delivery(None, _("Pickup at the market. Share your location to have it delivered."))
    distance = Decimal(
        str(round(haversine_km(market.latitude, market.longitude, conversation.latitude, conversation.longitude), 2))
    )
    if distance > market.delivery_radius_km:
        message = _("Your location is %(d)s km away; the market delivers within %(r)s km: pickup only.")
        return Delivery(None, message % {"d": distance, "r": market.delivery_radius_km})
    fee = delivery_fee(market, distance)
    return Delivery(
        fee, _("Delivery to your location (%(d)s km): %(fee)s.") % {"d": distance, "fee": format_rupiah(fee)}
    )


def summary(conversation: ChatConversation, result: MatchResult) -> str:
    """The reply to a list: matched lines per stall with prices, cari di pasar, fee or pickup, link."""
    market = conversation.market
    lines = [_("Your list at %(market)s:") % {"market": market.name}]
    by_stall: dict[str, list[str]] = defaultdict(list)
    for line in result.of(PRODUCT):
        assert line.product is not None
        stall = line.product.stall
        price = format_rupiah(line.estimate or 0)
        by_stall[f"{stall.name} ({stall.number})"].append(
            f"- {line.product.name} {_qty(line.quantity, line.product.unit)}: {price}"
        )
    for stall_name, rows in by_stall.items():
        lines += ["", f"*{stall_name}*", *rows]
    searches = result.of(SEARCH)
    if searches:
        lines += ["", "*" + _("Cari di pasar (the courier looks for it)") + "*"]
        for line in searches:
            cap = _("at most %(cap)s") % {"cap": format_rupiah(line.cap)} if line.cap else _("set a cap on the web")
            lines.append(f"- {line.name} {line.asked} ({cap})".replace("  ", " "))
    # Greetings and thanks ("Bu, titip ya", "makasih") are chatter, not lines nobody understood.
    flagged = [line for line in result.of(FLAGGED) if not getattr(line.parsed, "chatter", False)]
    if flagged:
        lines += ["", _("Not understood: %(lines)s") % {"lines": "; ".join(line.parsed.raw for line in flagged)}]
    delivery = _delivery(conversation)
    lines += ["", _("Estimated goods: %(amount)s") % {"amount": format_rupiah(result.estimate)}, delivery.message]
    hours = settings.PASAR_CHAT_LINK_HOURS
    link = list_link(market, conversation.draft)
    lines += [_("Change it on the web (link valid %(hours)s hours): %(link)s") % {"hours": hours, "link": link}]
    return "\n".join(lines)


def _ask_text(conversation: ChatConversation) -> str:
    text = _("Order this list? Tap Pesan to order, Ubah to change it, Batal to cancel.")
    if conversation.user is None:
        text += " " + _(
            "Tapping Pesan creates a Pasar Daring buyer account for this number and sends you WhatsApp "
            "messages about your orders (reply STOP to stop)."
        )
    return text


def _change_text(conversation: ChatConversation) -> str:
    if conversation.state != ChatConversation.State.DRAFT:
        return _("Send your shopping list, one item per line (for example: cabai rawit 1/4 kg).")
    link = list_link(conversation.market, conversation.draft)
    return _("Send the corrected list here, or change it on the web: %(link)s") % {"link": link}


def _located(message: InboundMessage, conversation: ChatConversation, lat: float, lng: float, address: str) -> None:
    conversation.latitude, conversation.longitude = lat, lng
    conversation.address = (address or _("Shared location (%(lat).5f, %(lng).5f)") % {"lat": lat, "lng": lng})[:250]
    reply(message, _delivery(conversation).message, suffix="location")
    if conversation.state == ChatConversation.State.DRAFT:
        reply(message, _ask_text(conversation), suffix="buttons", buttons=BUTTONS)


def _light_account(conversation: ChatConversation, message: InboundMessage) -> User:
    """The buyer's account, created on their "Pesan" (consent) with no password; they log in by code.
    Named after their WhatsApp profile name when the webhook carried one."""
    name = str(message.payload.get("profile_name") or "").strip() or LIGHT_ACCOUNT_NAME
    user = conversation.user or User.objects.create_user(conversation.phone, name=name[:120])
    if not OptIn.objects.filter(user=user, phone=user.phone, opted_out_at__isnull=True).exists():
        opt_in(user=user, source=OptIn.Source.CHAT, wording=_ask_text(conversation)[:250])
    conversation.user = user
    return user


def _order(message: InboundMessage, conversation: ChatConversation) -> None:
    if conversation.state == ChatConversation.State.ORDERED and conversation.order is not None:
        reply(message, _("Order %(number)s is already placed: %(link)s") % _order_params(conversation.order))
        return
    if conversation.state != ChatConversation.State.DRAFT or not conversation.draft:
        reply(message, _("Send your shopping list first, one item per line."))
        return
    key = "wa-" + hashlib.sha256(message.provider_message_id.encode()).hexdigest()[:40]
    try:
        with transaction.atomic():
            buyer = _light_account(conversation, message)
            order = _place(conversation, buyer, key)
    except DomainError as exc:
        conversation.user = User.objects.filter(phone=conversation.phone).first()
        reply(message, exc.message + " " + _change_text(conversation))
        return
    conversation.state, conversation.order, conversation.draft = ChatConversation.State.ORDERED, order, ""
    reply(message, _("Order %(number)s is placed. The traders prepare it now: %(link)s") % _order_params(order))


def _order_params(order: Order) -> dict[str, str]:
    return {"number": order.number, "link": absolute(order.get_absolute_url())}


def _place(conversation: ChatConversation, buyer: User, key: str) -> Order:
    """The list into the cart (replacing it), then the web checkout's placement service."""
    market = conversation.market
    replay = Order.objects.filter(buyer=buyer, idempotency_key=key).first()
    if replay is not None:
        return replay
    result = shopping_list_match(buyer=buyer, market=market, text=conversation.draft)
    delivery = _delivery(conversation)
    skip = {line.index for line in result.of(SEARCH) if line.cap is None or delivery.fee is None}
    CartLine.objects.filter(cart__buyer=buyer, cart__market=market).delete()
    CartRequest.objects.filter(cart__buyer=buyer, cart__market=market).delete()
    shopping_list_to_cart(buyer=buyer, market=market, text=conversation.draft, skip=frozenset(skip))
    if delivery.fee is not None:
        checkout = Checkout(
            market=market,
            fulfilment=Order.Fulfilment.DELIVERY,
            payment_method=Order.PaymentMethod.COD,
            idempotency_key=key,
            address=conversation.address,
            latitude=conversation.latitude,
            longitude=conversation.longitude,
            note=_("Ordered by WhatsApp"),
        )
        return order_place(buyer=buyer, checkout=checkout)
    starts_at = _next_pickup(market)
    if starts_at is None:
        raise DomainError(_("No pickup time is left today: share your location for delivery."), code="no_pickup")
    checkout = Checkout(
        market=market,
        fulfilment=Order.Fulfilment.PICKUP,
        payment_method=Order.PaymentMethod.TRANSFER,
        idempotency_key=key,
        note=_("Ordered by WhatsApp"),
    )
    return order_place_at_slot(buyer=buyer, checkout=checkout, starts_at=starts_at)


def _next_pickup(market: Market) -> datetime | None:
    soon = timezone.now() + PICKUP_LEAD
    for slot in slot_plan(market, market_day(market, timezone.now())):
        if slot.starts_at > soon:
            return slot.starts_at
    return None

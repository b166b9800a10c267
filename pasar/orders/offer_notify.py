"""Who hears about which step of a bargain (tawar), and what they are told.

As ``notify.py`` for orders: one notification per person, idempotent per event, never to the person who
took the step; messages are WhatsApp templates whose inbox text is an English msgid.
"""

from collections.abc import Callable, Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_noop

from pasar.accounts.models import User
from pasar.core.money import format_rupiah
from pasar.notifications.messages import Template
from pasar.notifications.services import notify
from pasar.orders.models import Offer, OfferEvent
from pasar.orders.notify import T

OFFERED = T(
    "tawaran_baru_lapak",
    gettext_noop("New offer: %(price)s per %(unit)s for %(quantity)s %(unit)s of %(name)s. Answer before %(time)s."),
    "price",
    "unit",
    "quantity",
    "name",
    "time",
    "url",
)
COUNTERED = T(
    "tawaran_balasan_pedagang",
    gettext_noop("The trader answers your offer on %(name)s with %(price)s per %(unit)s. Answer before %(time)s."),
    "name",
    "price",
    "unit",
    "time",
    "url",
)
ACCEPTED = T(
    "tawaran_diterima",
    gettext_noop("Agreed: %(name)s at %(price)s per %(unit)s. Check out when you are ready."),
    "name",
    "price",
    "unit",
    "url",
)
REFUSED = T("tawaran_ditolak", gettext_noop("Your offer on %(name)s was refused."), "name", "url")
EXPIRED = T("tawaran_kedaluwarsa", gettext_noop("The offer on %(name)s expired without an answer."), "name", "url")
WITHDRAWN = T("tawaran_dibatalkan", gettext_noop("The buyer withdrew the offer on %(name)s."), "name", "url")

Rule = Callable[[Offer, dict[str, Any]], Iterator[tuple[User, Template, str]]]


def _buyer(offer: Offer, template: Template) -> Iterator[tuple[User, Template, str]]:
    yield offer.buyer, template, reverse("orders:cart", kwargs={"slug": offer.cart.market.slug})


def _trader(offer: Offer, template: Template) -> Iterator[tuple[User, Template, str]]:
    yield offer.product.stall.trader.user, template, reverse("orders_staff:trader-offers")


def _offered(offer: Offer, data: dict[str, Any]) -> Iterator[tuple[User, Template, str]]:
    yield from _trader(offer, OFFERED)


def _countered(offer: Offer, data: dict[str, Any]) -> Iterator[tuple[User, Template, str]]:
    yield from _buyer(offer, COUNTERED)


def _accepted(offer: Offer, data: dict[str, Any]) -> Iterator[tuple[User, Template, str]]:
    yield from _buyer(offer, ACCEPTED)


def _refused(offer: Offer, data: dict[str, Any]) -> Iterator[tuple[User, Template, str]]:
    yield from _buyer(offer, REFUSED)


def _counter_accepted(offer: Offer, data: dict[str, Any]) -> Iterator[tuple[User, Template, str]]:
    yield from _trader(offer, ACCEPTED)


def _counter_refused(offer: Offer, data: dict[str, Any]) -> Iterator[tuple[User, Template, str]]:
    yield from _trader(offer, REFUSED)


def _expired(offer: Offer, data: dict[str, Any]) -> Iterator[tuple[User, Template, str]]:
    yield from _buyer(offer, EXPIRED)
    yield from _trader(offer, EXPIRED)


def _withdrawn(offer: Offer, data: dict[str, Any]) -> Iterator[tuple[User, Template, str]]:
    yield from _trader(offer, WITHDRAWN)


RULES: dict[str, Rule] = {
    "offered": _offered,
    "countered": _countered,
    "accepted": _accepted,
    "refused": _refused,
    "counter_accepted": _counter_accepted,
    "counter_refused": _counter_refused,
    "expired": _expired,
    "withdrawn": _withdrawn,
}


def _params(offer: Offer, data: dict[str, Any]) -> dict[str, Any]:
    price = data.get("price") or offer.agreed_price or offer.counter_price or offer.proposed_price
    return {
        "name": offer.product.name,
        "unit": offer.product.unit,
        "quantity": data.get("quantity", ""),
        "price": format_rupiah(int(price)),
        "time": time_format(timezone.localtime(offer.expires_at), "H:i"),
    }


def notify_for_offer_event(event: OfferEvent) -> int:
    """Notify the other side of the bargain; returns how many notifications were new."""
    rule = RULES.get(event.kind)
    if rule is None:
        return 0
    offer = Offer.objects.select_related("buyer", "cart__market", "product__stall__trader__user").get(pk=event.offer_id)
    market = offer.cart.market
    sent = 0
    for user, template, url in rule(offer, event.data):
        if user.pk == event.actor_id:
            continue
        sent += notify(
            user=user,
            key=f"offer-event:{event.pk}",
            template=template,
            params=_params(offer, event.data),
            url=url,
            sender=market.whatsapp_phone_number_id,
            market_id=market.pk,
        )
    return sent

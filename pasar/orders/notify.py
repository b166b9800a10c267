"""Who hears about which order event, and what they are told.

``events.record`` enqueues ``tasks.order_event_notify`` after the commit for the kinds below; the task
calls ``notify_for_event``, which writes one notification per recipient through the notifications app
(idempotent per event and person). Each message is a ``notifications.messages.Template``: the
WhatsApp template (name, language ``id``, ordered parameters, category) submitted to Meta, whose
inbox text is an English msgid marked with ``gettext_noop`` and translated when shown or sent (also
the free text inside an open window and the SMS fallback). A phone gets it only with opt-in.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_noop

from pasar.accounts.models import User
from pasar.core.money import format_rupiah
from pasar.markets.models import MarketRole
from pasar.notifications.messages import Template
from pasar.notifications.services import notify
from pasar.orders.models import Order, OrderEvent, StallOrder


@dataclass(frozen=True)
class Note:
    user: User
    template: Template
    url: str
    params: dict[str, Any]

    @property
    def message(self) -> str:
        return self.template.inbox


def T(name: str, inbox: str, *params: str, sms: bool = False) -> Template:  # noqa: N802 - reads as a table
    return Template(name=name, inbox=inbox, params=params, sms=sms)


PLACED = T(
    "pesanan_baru_lapak",
    gettext_noop("New order %(number)s for your stall: please accept and prepare it."),
    "number",
    "url",
    sms=True,
)
WEIGHED = T(
    "pesanan_timbang_setujui",
    gettext_noop("Order %(number)s: a weighed price differs by more than 10%%. Approve or refuse it."),
    "number",
    "url",
)
SUBSTITUTE = T(
    "pesanan_pengganti_setujui",
    gettext_noop("Order %(number)s: a trader proposes a substitute. Approve or refuse it."),
    "number",
    "url",
)
APPROVED = T("pesanan_usulan_disetujui", gettext_noop("Order %(number)s: the buyer approved your proposal."), "number")
REFUSED = T("pesanan_usulan_ditolak", gettext_noop("Order %(number)s: the buyer refused your proposal."), "number")
AMOUNT = T(
    "pesanan_siap_bayar",
    gettext_noop("Order %(number)s is weighed and ready: please pay %(amount)s."),
    "number",
    "amount",
    "url",
)
PAID = T("pesanan_dibayar", gettext_noop("Payment for order %(number)s received. Thank you!"), "number")
READY_PICKUP = T(
    "pesanan_siap_diambil",
    gettext_noop("Order %(number)s is ready for pickup at the market. Show your code at the pickup point."),
    "number",
)
READY_COURIER = T(
    "pesanan_menunggu_kurir", gettext_noop("Order %(number)s is packed and waits for a courier."), "number"
)
COURIER = T("pesanan_kurir", gettext_noop("Courier %(name)s is collecting order %(number)s."), "name", "number")
PICKED_UP = T(
    "pesanan_diantar",
    gettext_noop("Order %(number)s is on its way. Give the courier your handover code %(code)s on arrival."),
    "number",
    "code",
    sms=True,
)
DELIVERED_BUYER = T(
    "pesanan_diterima",
    gettext_noop("Order %(number)s was delivered. Thank you for shopping at the market!"),
    "number",
)
DELIVERED_TRADER = T("pesanan_diterima_lapak", gettext_noop("Order %(number)s was delivered to the buyer."), "number")
CANCELLED = T("pesanan_batal", gettext_noop("Order %(number)s was cancelled: %(reason)s"), "number", "reason", sms=True)
SEARCH_BOUGHT = T(
    "pesanan_cari_dibeli",
    gettext_noop("Order %(number)s: the courier bought an item for %(amount)s. Approve the price."),
    "number",
    "amount",
    "url",
)


TRANSFER_TO_CONFIRM = T(
    "transfer_cek_pengelola",
    gettext_noop("Order %(number)s awaits a bank transfer of %(amount)s: confirm it when it arrives."),
    "number",
    "amount",
    "url",
)


def _operators(order: Order, message: Template, *, url: str, **params: Any) -> Iterator[Note]:
    roles = MarketRole.objects.filter(market_id=order.market_id, role=MarketRole.Role.OPERATOR).select_related("user")
    for role in roles:
        yield Note(role.user, message, url, {"number": order.number, **params})


def _buyer(order: Order, message: Template, **params: Any) -> Iterator[Note]:
    yield Note(order.buyer, message, order.get_absolute_url(), {"number": order.number, **params})


def _traders(order: Order, message: Template, *, stall: int | None = None, **params: Any) -> Iterator[Note]:
    parts = StallOrder.objects.filter(order=order).select_related("stall__trader__user")
    if stall is not None:
        parts = parts.filter(stall_id=stall)
    for part in parts:
        url = reverse("orders_staff:trader-part", kwargs={"part_id": part.pk})
        yield Note(part.stall.trader.user, message, url, {"number": order.number, **params})


def _placed(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    yield from _traders(order, PLACED)


def _weighed(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    if data.get("needs_approval"):
        yield from _buyer(order, WEIGHED)


def _substitute(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    yield from _buyer(order, SUBSTITUTE)


def _decided(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    message = APPROVED if data.get("approve") else REFUSED
    stall = order.parts.filter(lines__pk=int(data.get("line") or 0)).values_list("stall_id", flat=True).first()
    if stall is not None:
        yield from _traders(order, message, stall=stall)


def _amount(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    amount = format_rupiah(int(data.get("amount") or order.amount_due or 0))
    yield from _buyer(order, AMOUNT, amount=amount)
    if order.payment_method == Order.PaymentMethod.TRANSFER:
        url = reverse("payments:transfers", kwargs={"slug": order.market.slug})
        yield from _operators(order, TRANSFER_TO_CONFIRM, url=url, amount=amount)


def _paid(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    yield from _buyer(order, PAID)


def _ready(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    if order.fulfilment == Order.Fulfilment.PICKUP:
        yield from _buyer(order, READY_PICKUP)
    else:
        yield from _buyer(order, READY_COURIER)


def _courier(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    name = order.courier.get_short_name() if order.courier else ""
    yield from _buyer(order, COURIER, name=name)


def _picked_up(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    yield from _buyer(order, PICKED_UP, code=order.handover_code)


def _delivered(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    yield from _buyer(order, DELIVERED_BUYER)
    yield from _traders(order, DELIVERED_TRADER)


def _cancelled(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    reason = order.cancel_reason or "-"
    yield from _buyer(order, CANCELLED, reason=reason)
    yield from _traders(order, CANCELLED, reason=reason)


def _search_bought(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    amount = format_rupiah(int(data.get("amount") or 0))
    yield from _buyer(order, SEARCH_BOUGHT, amount=amount)


COMPLAINT_OPENED_TRADER = T(
    "komplain_baru_lapak",
    gettext_noop("Order %(number)s: the buyer complains about a line. Answer before the deadline."),
    "number",
    "url",
)
COMPLAINT_OPENED = T(
    "komplain_baru_pengelola", gettext_noop("Order %(number)s: a buyer opened a complaint."), "number", "url"
)
COMPLAINT_AGREED = T(
    "komplain_disetujui_lapak", gettext_noop("Order %(number)s: the trader agreed to your complaint."), "number"
)
COMPLAINT_DISAGREED = T(
    "komplain_ditolak_lapak",
    gettext_noop("Order %(number)s: the trader disagrees with your complaint. The operator decides."),
    "number",
)
COMPLAINT_TO_DECIDE = T(
    "komplain_putuskan", gettext_noop("Order %(number)s: a complaint waits for your decision."), "number", "url"
)
COMPLAINT_ESCALATED = T(
    "komplain_tanpa_jawaban",
    gettext_noop("Order %(number)s: the trader did not answer a complaint. Decide it."),
    "number",
    "url",
)
COMPLAINT_REFUND = T(
    "komplain_refund",
    gettext_noop("Order %(number)s: the operator granted a refund of %(amount)s."),
    "number",
    "amount",
)
COMPLAINT_REJECTED = T(
    "komplain_tidak_diterima", gettext_noop("Order %(number)s: the operator rejected the complaint."), "number"
)


# Sent by scheduled jobs rather than order events (orders/schedule.py, dashboards/schedule.py,
# payments/schedule.py); declared here with the others so every process knows every template.
CUTOFF_REMINDER = T(
    "pengingat_batas_pesan",
    gettext_noop("Orders close at %(cutoff)s: %(count)s orders for your stall are not ready yet."),
    "cutoff",
    "count",
    "url",
)
ORDER_LATE = T(
    "pesanan_terlambat",
    gettext_noop("Order %(number)s is late: it is not ready yet. Check with the traders."),
    "number",
    "url",
)
DAILY_SETTLEMENT = T(
    "setoran_harian",
    gettext_noop("Settlement for %(day)s: the market owes you %(amount)s."),
    "day",
    "amount",
)


def _complaint_operators(order: Order, message: Template) -> Iterator[Note]:
    url = reverse("complaints:operator-list", kwargs={"slug": order.market.slug})
    yield from _operators(order, message, url=url)


def _complaint_opened(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    yield from _traders(order, COMPLAINT_OPENED_TRADER, stall=int(data.get("stall") or 0))
    yield from _complaint_operators(order, COMPLAINT_OPENED)


def _complaint_answered(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    if data.get("agree"):
        yield from _buyer(order, COMPLAINT_AGREED)
    else:
        yield from _buyer(order, COMPLAINT_DISAGREED)
        yield from _complaint_operators(order, COMPLAINT_TO_DECIDE)


def _complaint_escalated(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    yield from _complaint_operators(order, COMPLAINT_ESCALATED)


def _complaint_decided(order: Order, data: dict[str, Any]) -> Iterator[Note]:
    refund = int(data.get("refund") or 0)
    message = COMPLAINT_REFUND if refund else COMPLAINT_REJECTED
    yield from _buyer(order, message, amount=format_rupiah(refund))
    if data.get("stall"):
        yield from _traders(order, message, stall=int(data["stall"]), amount=format_rupiah(refund))


RULES: dict[str, Callable[[Order, dict[str, Any]], Iterator[Note]]] = {
    "placed": _placed,
    "line_weighed": _weighed,
    "substitute_proposed": _substitute,
    "buyer_decided": _decided,
    "amount_issued": _amount,
    "paid": _paid,
    "order_ready": _ready,
    "courier_assigned": _courier,
    "order_picked_up": _picked_up,
    "order_delivered": _delivered,
    "order_cancelled": _cancelled,
    "search_bought": _search_bought,
    "complaint_opened": _complaint_opened,
    "complaint_answered": _complaint_answered,
    "complaint_escalated": _complaint_escalated,
    "complaint_decided": _complaint_decided,
}


def notify_for_event(event: OrderEvent) -> int:
    """Notify everyone the event concerns, except the person who caused it; returns how many were new."""
    rule = RULES.get(event.kind)
    if rule is None:
        return 0
    order = Order.objects.select_related("buyer", "courier", "market").get(pk=event.order_id)
    sent = 0
    for note in rule(order, event.data):
        if note.user.pk == event.actor_id:
            continue  # nobody needs to hear about what they just did
        sent += notify(
            user=note.user,
            key=f"order-event:{event.pk}",
            template=note.template,
            params=note.params,
            url=note.url,
            sender=order.market.whatsapp_phone_number_id,
            market_id=order.market_id,
        )
    return sent

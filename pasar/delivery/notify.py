"""The courier hears of a trip offered to them on WhatsApp (fee, cash to collect), with a "Terima"
button whose tap comes back through the webhook to ``delivery.chat.handle_accept``."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from pasar.core.money import format_rupiah
from pasar.delivery.models import Offer
from pasar.notifications.messages import Template
from pasar.notifications.services import notify
from pasar.orders.models import Order

ACCEPT = "terima-"
TRIP_OFFERED = Template(
    name="tawaran_antar",
    inbox=gettext_noop("Trip offered: %(stops)s drop-offs, fee %(fee)s, cash to collect %(cash)s. Accept it quickly."),
    params=("stops", "fee", "cash", "url"),
)


def offer_tell(offer: Offer, orders: QuerySet[Order] | list[Order]) -> None:
    """Notify the courier of a new offer (after the commit), with an "accept" button."""
    orders = list(orders)
    cash = sum(o.total for o in orders if o.payment_method == Order.PaymentMethod.COD)
    market = offer.trip.market
    notify(
        user=offer.courier,
        key=f"offer:{offer.pk}",
        template=TRIP_OFFERED,
        params={
            "stops": len(orders),
            "fee": format_rupiah(sum(o.delivery_fee for o in orders)),
            "cash": format_rupiah(cash),
        },
        url=reverse("delivery:courier"),
        sender=market.whatsapp_phone_number_id,
        market_id=market.pk,
        buttons=[{"id": f"{ACCEPT}{offer.pk}", "title": "Terima"}],
    )

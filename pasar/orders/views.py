"""The buyer's pages: add to cart, carts per market, checkout, orders and their live status."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.catalog.selectors import product_detail
from pasar.core.errors import DomainError
from pasar.markets.models import Market
from pasar.markets.selectors import market_by_slug
from pasar.orders import payment_terms, selectors
from pasar.orders.access import order_for_buyer_or_404
from pasar.orders.forms import CartLineForm, CheckoutForm
from pasar.orders.models import Order
from pasar.orders.pricing import market_day
from pasar.orders.services.cart import cart_set
from pasar.orders.services.fulfilment import buyer_decide
from pasar.orders.services.placement import Checkout, order_place
from pasar.orders.services.slots import order_place_at_slot

FINISHED = {Order.State.DELIVERED, Order.State.CANCELLED}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _buyer(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def _market_or_404(slug: str) -> Market:
    market = market_by_slug(slug)
    if market is None:
        raise Http404
    return market


def _back(request: HttpRequest, fallback: str) -> str:
    """Where to return after adding: the page the form was on, if it is ours."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def _first_error(form: CartLineForm) -> str:
    return next(str(e) for errors in form.errors.values() for e in errors)


def _set_line(request: HttpRequest, product: Product) -> str | None:
    """Apply the posted quantity and note to the buyer's cart; the refusal message, if any."""
    form = CartLineForm(request.POST)
    if not form.is_valid():
        return _first_error(form)
    try:
        cart_set(
            buyer=_buyer(request),
            product=product,
            quantity=form.cleaned_data["quantity"],
            note=form.cleaned_data["note"],
        )
    except DomainError as exc:
        return exc.message
    return None


def _chosen_variant(request: HttpRequest, product: Product) -> tuple[Product, str | None]:
    """A product with variants is never put in the cart itself: the posted ``variant`` (one of its own) is."""
    choices = {str(v.pk): v for v in product.variant_choices()}
    if not choices:
        return product, None
    chosen = choices.get(request.POST.get("variant", ""))
    if chosen is None:
        return product, _("Choose a size or colour first.")
    if not chosen.in_stock:
        return chosen, _("%(name)s is sold out: choose another size or colour.") % {"name": chosen.name}
    return chosen, None


@require_POST
def cart_add(request: HtmxHttpRequest, product_id: int) -> HttpResponse:
    """Put a product in the buyer's cart of its market; htmx swaps in the cart badge, plain forms come back."""
    product = product_detail(product_id=product_id)
    if product is None:
        raise Http404
    back = _back(request, product.get_absolute_url())
    if not request.user.is_authenticated:
        return redirect_to_login(back)
    product, error = _chosen_variant(request, product)
    error = error or _set_line(request, product)
    if request.htmx:
        count = selectors.cart_line_count(buyer=_buyer(request), market=product.market)
        context = {"market": product.market, "count": count, "error": error, "product": product}
        return render(request, "orders/_cart_badge.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s is in your cart.") % {"name": product.name})
    return redirect(back)


@login_required
def cart_list(request: HttpRequest) -> HttpResponse:
    """Every cart the buyer has, one per market: switching market empties nothing."""
    return render(request, "orders/cart_list.html", {"carts": selectors.cart_list(buyer=_buyer(request))})


@login_required
def cart_detail(request: HttpRequest, slug: str) -> HttpResponse:
    market = _market_or_404(slug)
    cart = selectors.cart_detail(buyer=_buyer(request), market=market)
    return render(request, "orders/cart.html", {"market": market, "cart": cart})


@login_required
@require_POST
def cart_line(request: HttpRequest, slug: str, product_id: int) -> HttpResponse:
    """Change a line's quantity or note, or remove it (``remove`` button)."""
    market = _market_or_404(slug)
    product = Product.objects.filter(pk=product_id, market=market).select_related("stall", "market").first()
    if product is None:
        raise Http404
    if "remove" in request.POST:
        cart_set(buyer=_buyer(request), product=product, quantity=Decimal(0))
        messages.success(request, _("%(name)s removed from your cart.") % {"name": product.name})
    elif error := _set_line(request, product):
        messages.error(request, error)
    else:
        messages.success(request, _("Cart updated."))
    return redirect("orders:cart", slug=market.slug)


def _place(buyer: User, market: Market, form: CheckoutForm) -> Order:
    data = form.cleaned_data
    checkout = Checkout(
        market=market,
        fulfilment=data["fulfilment"],
        payment_method=data["payment_method"],
        idempotency_key=data["idempotency_key"],
        address=data["address"],
        landmark=data["landmark"],
        latitude=data["lat"],
        longitude=data["lng"],
        note=data["note"],
        listed_price=data["listed_price"],
    )
    if data["fulfilment"] == Order.Fulfilment.PICKUP:
        if data["pickup_at"] is None:
            raise DomainError(_("Choose delivery, or pickup with a time."), code="fulfilment_unknown")
        return order_place_at_slot(buyer=buyer, checkout=checkout, starts_at=data["pickup_at"])
    return order_place(buyer=buyer, checkout=checkout)


def _day_moved(form: CheckoutForm, day: date) -> bool:
    """The cut-off passed while the buyer was deciding: show the new day before they confirm."""
    if form.cleaned_data["prepared_for"] == day:
        return False
    form.data = {key: form.data[key] for key in form.data} | {"prepared_for": day.isoformat()}
    form.add_error(
        None,
        _("The cut-off has passed: your order is now prepared on %(day)s. Check and confirm again.")
        % {"day": _format_day(day)},
    )
    return True


def _format_day(day: date) -> str:
    return date_format(day, "l, j M")


@login_required
def checkout(request: HttpRequest, slug: str) -> HttpResponse:
    """Delivery or pickup, payment, and the day the order is prepared — shown before the buyer confirms.

    The form posts ``action=place`` to order; any other post (the "check the fee" button, or "use my
    location" which fills the map point and submits) only re-renders with the fee for that point.
    """
    market = _market_or_404(slug)
    buyer = _buyer(request)
    cart = selectors.cart_detail(buyer=buyer, market=market)
    now = timezone.now()
    day = market_day(market, now)
    slots = selectors.pickup_slot_choices(market=market, day=day, now=now)
    initial = {"idempotency_key": uuid.uuid4().hex, "prepared_for": day, "fulfilment": Order.Fulfilment.DELIVERY}
    saved = selectors.saved_addresses(buyer=buyer, market=market)
    data = _with_saved_address(request, saved)
    tempo = payment_terms.tempo_terms(buyer=buyer, market=market)
    form = CheckoutForm(data, slots=slots, initial=initial, tempo_days=tempo.days if tempo else None)
    quote = None
    locate_message = ""
    placing = data is not None and data.get("action") == "place"
    if request.method == "POST":
        valid = form.is_valid()
        lat, lng = form.cleaned_data.get("lat"), form.cleaned_data.get("lng")
        if lat is not None and lng is not None:
            quote = selectors.delivery_quote(market=market, latitude=lat, longitude=lng)
        elif request.POST.get("action") == "locate":  # the button's own submit: no JavaScript ran
            locate_message = _(
                "Your location needs JavaScript and your permission. Write the address and a landmark, "
                "or open “Point on the map” below."
            )
        if valid and placing and not _day_moved(form, day):
            try:
                order = _place(buyer, market, form)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Order %(number)s placed.") % {"number": order.number})
                return redirect(order)
    context = {
        "market": market,
        "cart": cart,
        "form": form,
        "slots": slots,
        "day": day,
        "today": timezone.localtime(now, ZoneInfo(market.timezone)).date(),
        "quote": quote,
        "placing": placing,
        "outside_message": _outside_message(market, quote),
        "locate_message": locate_message,
        "saved": saved,
    }
    return render(request, "orders/checkout.html", context)


def _with_saved_address(request: HttpRequest, saved: list[selectors.SavedAddress]) -> Any:
    """The posted form, with a remembered address filled in when the buyer tapped one (no JS needed)."""
    if request.method != "POST":
        return None
    chosen = request.POST.get("saved", "")
    point = next((s for s in saved if str(s.order_id) == chosen), None)
    if point is None:
        return request.POST
    data = request.POST.copy()
    data.update(
        {
            "address": point.address,
            "landmark": point.landmark,
            "lat": f"{point.latitude:.6f}",
            "lng": f"{point.longitude:.6f}",
            "action": "quote",
            "fulfilment": Order.Fulfilment.DELIVERY,
        }
    )
    return data


def _outside_message(market: Market, quote: selectors.DeliveryQuote | None) -> str:
    if quote is None or quote.within_radius:
        return ""
    return _("This address is %(d)s km from the market; it delivers within %(r)s km. Choose pickup instead.") % {
        "d": quote.distance_km,
        "r": market.delivery_radius_km,
    }


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = selectors.order_list(buyer=_buyer(request))[:100]
    return render(request, "orders/order_list.html", {"orders": orders})


def _order_context(order: Order) -> dict[str, object]:
    return {
        "order": order,
        "market": order.market,
        "timeline": selectors.order_timeline(order),
        "changes": selectors.order_changes(order),
        "live": order.state not in FINISHED,
        "bank_account": getattr(settings, "PASAR_BANK_ACCOUNT", ""),
        # With cari-di-pasar lines the final amount also waits for the buyer's answers on their prices.
        "due": order.total if order.goods_total is not None and not _search_open(order) else None,
        # Follows the weights and substitutes the buyer approved, not only the estimate at placement.
        "goods_now": (goods := selectors.goods_estimate_now(order)),
        "estimated_due": goods + order.search_cap + order.delivery_fee,
    }


def _search_open(order: Order) -> bool:
    return any(line.state in {"open", "bought"} for line in order.search_lines.all())


@login_required
def order_detail(request: HtmxHttpRequest, number: str) -> HttpResponse:
    """The order's state, what changed, approvals, the handover code and how to pay; htmx refreshes it."""
    order = order_for_buyer_or_404(user=request.user, number=number)
    template = "orders/order.html#status" if request.htmx else "orders/order.html"
    return render(request, template, _order_context(order))


@login_required
@require_POST
def line_decision(request: HttpRequest, number: str, line_id: int) -> HttpResponse:
    """Approve or refuse a substitute or an over-tolerance weight."""
    order = order_for_buyer_or_404(user=request.user, number=number)
    approve = request.POST.get("approve") == "1"
    try:
        buyer_decide(order=order, line_id=line_id, approve=approve, actor=_buyer(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: the trader sees your answer.") if approve else _("Refused."))
    return redirect(order)

"""Tawar pages: the buyer offers on a cart line and answers a counter; the trader's "Tawaran" page.

Plain forms (post, redirect, a message) that work without JavaScript; the trader's list refreshes by htmx.
"""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.catalog.services import product_set_bargain_from
from pasar.core.errors import DomainError
from pasar.core.numbers import parse_whole
from pasar.markets.selectors import market_by_slug
from pasar.orders import bargain_selectors, staff_access
from pasar.orders.access import offer_for_buyer_or_404
from pasar.orders.services import bargain

MAX_RUPIAH = 100_000_000


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # behind login_required
    return request.user


def parse_rupiah(text: str | None) -> int | None:
    """``42000``, ``42.000`` or ``Rp42.000`` → 42000; None for anything else (decimals, signs, words)."""
    cleaned = (text or "").strip().removeprefix("Rp").removeprefix("rp").replace(".", "").replace(" ", "")
    return parse_whole(cleaned, maximum=MAX_RUPIAH)


def _price_or_message(request: HttpRequest) -> tuple[int | None, str]:
    price = parse_rupiah(request.POST.get("price"))
    if price is None or price <= 0:
        return None, _("Write the price per unit in whole rupiah, e.g. 42000.")
    return price, ""


@login_required
@require_POST
def offer_propose(request: HttpRequest, slug: str, product_id: int) -> HttpResponse:
    """The buyer's price per unit for a line of their cart."""
    market = market_by_slug(slug)
    if market is None:
        raise Http404
    product = Product.objects.filter(pk=product_id, market=market).first()
    if product is None:
        raise Http404
    price, error = _price_or_message(request)
    if price is not None:
        try:
            bargain.offer_propose(buyer=_user(request), product=product, price=price)
        except DomainError as exc:
            error = exc.message
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Offer sent: the trader answers within 30 minutes."))
    return redirect("orders:cart", slug=market.slug)


@login_required
@require_POST
def offer_respond(request: HttpRequest, slug: str, offer_id: int) -> HttpResponse:
    """The buyer accepts or refuses the trader's counter, or withdraws the offer to pay the listed price."""
    market = market_by_slug(slug)
    if market is None:
        raise Http404
    buyer = _user(request)
    offer = offer_for_buyer_or_404(user=buyer, offer_id=offer_id, market_id=market.pk)
    action = request.POST.get("action", "")
    try:
        if action == "withdraw":
            bargain.offer_withdraw(cart_id=offer.cart_id, product_id=offer.product_id, actor=buyer, reason="buyer")
            messages.success(request, _("Offer withdrawn: the line is at the listed price."))
        elif action in {"accept", "refuse"}:
            bargain.offer_reply(offer_id=offer.pk, buyer=buyer, accept=action == "accept")
            messages.success(request, _("Price agreed.") if action == "accept" else _("Counter refused."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("orders:cart", slug=market.slug)


@login_required
def trader_offers(request: HtmxHttpRequest) -> HttpResponse:
    """The trader's "Tawaran" page: offers waiting for an answer, the last day's, and each product's threshold."""
    stalls = staff_access.trader_stalls_or_404(request.user)
    waiting, recent = bargain_selectors.trader_offers(stalls=stalls)
    context = {"waiting": waiting, "recent": recent, "products": bargain_selectors.trader_products(stalls=stalls)}
    template = "orders_staff/trader_offers.html"
    return render(request, f"{template}#offers" if request.htmx else template, context)


@login_required
@require_POST
def trader_answer(request: HttpRequest, offer_id: int) -> HttpResponse:
    """Accept, counter once (with a price) or refuse; only the stall's trader reaches it."""
    offer = staff_access.offer_for_trader_or_404(user=request.user, offer_id=offer_id)
    action = request.POST.get("action", "")
    price, error = (None, "")
    if action == "counter":
        price, error = _price_or_message(request)
    if not error:
        try:
            bargain.offer_answer(offer_id=offer.pk, action=action, actor=_user(request), price=price)
        except DomainError as exc:
            error = exc.message
    if error:
        messages.error(request, error)
    else:
        done = {"accept": _("Offer accepted."), "counter": _("Counter sent."), "refuse": _("Offer refused.")}
        messages.success(request, done[action])
    return redirect("orders_staff:trader-offers")


@login_required
@require_POST
def trader_threshold(request: HttpRequest, product_id: int) -> HttpResponse:
    """From which quantity buyers may bargain on one of the trader's products (empty: nobody but businesses)."""
    product = staff_access.product_for_trader_or_404(user=request.user, product_id=product_id)
    text = (request.POST.get("bargain_from") or "").strip().replace(",", ".")
    try:
        quantity = Decimal(text) if text else None
    except InvalidOperation:
        messages.error(request, _("Bargaining starts from a quantity above 0 and at most 500."))
        return redirect("orders_staff:trader-offers")
    try:
        product_set_bargain_from(product=product, quantity=quantity)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Saved."))
    return redirect("orders_staff:trader-offers")

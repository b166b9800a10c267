"""The buyer's shopping-list pages (titip belanja): write a list, check the preview, put it in the cart;
change the cap of a cari-di-pasar line; approve or refuse what the courier paid for one.

Plain forms, no JS: the list travels in a textarea; the preview re-posts it with the caps and the
unticked lines, and the service matches it again (same list, same answer) before writing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pasar.core.errors import DomainError
from pasar.core.money import parse_rupiah
from pasar.core.numbers import parse_whole
from pasar.orders.access import order_for_buyer_or_404
from pasar.orders.services.chat import list_from_link
from pasar.orders.services.search import cart_request_update, search_decide
from pasar.orders.services.shopping_list import MatchResult, shopping_list_match, shopping_list_to_cart
from pasar.orders.views import _buyer, _market_or_404

MAX_TEXT = 20_000  # characters: a 200-line list fits; a paste of a novel is refused before parsing


def _rupiah(raw: str) -> int | None:
    """``5.000`` / ``Rp5000`` / ``5000`` → 5000; None for empty or not a number (the service then asks)."""
    amount = parse_rupiah(raw.strip()) if raw.strip() else None
    return amount if amount is not None and amount < 10**9 else None


def _caps_and_skip(request: HttpRequest, result: MatchResult | None) -> tuple[dict[int, int], frozenset[int]]:
    caps, skip = {}, set()
    for key in request.POST:
        index = parse_whole(key[4:]) if key.startswith("cap-") else None
        if index is not None and (cap := _rupiah(request.POST.get(key, ""))) is not None:
            caps[index] = cap
    if result is not None:
        skip = {line.index for line in result.lines if f"take-{line.index}" not in request.POST}
    return caps, frozenset(skip)


@login_required
def shopping_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Write or paste a list → preview (each line matched, searched for or flagged) → into the cart."""
    market = _market_or_404(slug)
    buyer = _buyer(request)
    text = request.POST.get("text", "") if request.method == "POST" else ""
    result, error = None, ""
    if request.method == "GET" and "daftar" in request.GET:
        # The signed link of a WhatsApp reply (orders/services/chat.py): the list filled in and matched.
        linked = list_from_link(market, request.GET["daftar"])
        if linked is None:
            error = _("This link has expired or is not valid: paste your list again.")
        else:
            text = linked
            try:
                result = shopping_list_match(buyer=buyer, market=market, text=text)
            except DomainError as exc:
                error = exc.message
    if request.method == "POST":
        try:
            if len(text) > MAX_TEXT:
                raise DomainError(_("This list is too long: write at most 200 lines at a time."), code="list_too_long")
            result = shopping_list_match(buyer=buyer, market=market, text=text)
            if request.POST.get("action") == "add":
                caps, skip = _caps_and_skip(request, result)
                written = shopping_list_to_cart(buyer=buyer, market=market, text=text, caps=caps, skip=skip)
                messages.success(
                    request,
                    ngettext(
                        "%(n)s line is in your cart.",
                        "%(n)s lines are in your cart.",
                        written.products + written.searches,
                    )
                    % {"n": written.products + written.searches},
                )
                return redirect("orders:cart", slug=market.slug)
        except DomainError as exc:
            error = exc.message
    if result is not None:
        # Keep the caps the buyer typed when the preview is shown again.
        caps = _caps_and_skip(request, None)[0]
        for line in result.lines:
            line.cap = caps.get(line.index, line.cap)
    context = {"market": market, "text": text, "result": result, "error": error, "max_text": MAX_TEXT}
    return render(request, "orders/shopping_list.html", context)


@login_required
@require_POST
def cart_request(request: HttpRequest, slug: str, request_id: int) -> HttpResponse:
    """Change the price cap of a cari-di-pasar line in the cart, or remove it (``remove`` button)."""
    market = _market_or_404(slug)
    remove = "remove" in request.POST
    try:
        cart_request_update(
            buyer=_buyer(request), request_id=request_id, price_cap=_rupiah(request.POST.get("cap", "")), remove=remove
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Removed from your cart.") if remove else _("Cart updated."))
    return redirect("orders:cart", slug=market.slug)


@login_required
@require_POST
def search_decision(request: HttpRequest, number: str, line_id: int) -> HttpResponse:
    """Approve or refuse the price the courier paid for a cari-di-pasar line."""
    order = order_for_buyer_or_404(user=request.user, number=number)
    approve = request.POST.get("approve") == "1"
    try:
        search_decide(order=order, line_id=line_id, approve=approve, actor=_buyer(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Thank you: the courier sees your answer.") if approve else _("Refused."))
    return redirect(order)

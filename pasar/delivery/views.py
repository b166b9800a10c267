"""The courier's queue screen (phone first) and the operator's live queue.

Plain forms: post, redirect, show a message. With htmx the offer section refreshes itself every
5 seconds (the countdown); without JS the page shows the deadline and a refresh link.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.accounts.audit import audited
from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.core.numbers import parse_whole
from pasar.delivery import access, external, selectors, services
from pasar.delivery.forms import CheckinForm, DeliverForm
from pasar.delivery.providers import configured_provider
from pasar.markets.access import market_for_operator_or_404
from pasar.markets.models import Market
from pasar.orders.services import search
from pasar.orders.staff_forms import BoughtForm


def _int(request: HttpRequest, name: str) -> int:
    value = parse_whole(request.POST.get(name, ""))
    if value is None:
        raise DomainError(_("Choose an item from the list."), code="choice_invalid")
    return value


def _checkin(request: HttpRequest, courier: User, markets: list[Market]) -> str:
    market = next((m for m in markets if m.slug == request.POST.get("market")), None)
    if market is None:
        raise DomainError(_("Choose one of your markets."), code="market_unknown")
    form = CheckinForm(request.POST)
    if not form.is_valid():
        raise DomainError(_("Orders per trip must be between 1 and 20."), code="capacity_invalid")
    services.checkin(courier=courier, market=market, capacity=form.cleaned_data["capacity"])
    return _("You are in line at %(market)s.") % {"market": market.name}


def _courier_action(request: HttpRequest, courier: User, markets: list[Market]) -> str:
    action = request.POST.get("action", "")
    if action == "checkin":
        return _checkin(request, courier, markets)
    if action == "checkout":
        services.checkout(courier=courier)
        return _("You left the line. See you tomorrow!")
    if action in {"accept", "decline"}:
        offer = access.offer_for_courier_or_404(user=courier, offer_id=_int(request, "offer"))
        if action == "accept":
            services.offer_accept(offer_id=offer.pk, courier=courier)
            return _("The trip is yours: pick up at each stall, in the order shown.")
        services.offer_decline(offer_id=offer.pk, courier=courier)
        return _("Declined: you are back at the end of the line.")
    trip = access.trip_for_courier_or_404(user=courier, trip_id=_int(request, "trip"))
    if action == "pick_up":
        services.trip_pick_up(trip_id=trip.pk, stall_id=_int(request, "stall"), courier=courier)
        return _("Picked up.")
    if action in {"bought", "not_found"}:
        return _search_action(request, courier, trip.pk)
    if action == "deliver":
        order_id = _int(request, "order")
        form = DeliverForm(request.POST, prefix=f"d{order_id}")
        if not form.is_valid():
            raise DomainError(str(next(iter(form.errors.values()))[0]), code="deliver_invalid")
        services.trip_deliver(
            trip_id=trip.pk,
            order_id=order_id,
            code=form.cleaned_data["code"],
            cash=form.cleaned_data["cash"],
            courier=courier,
        )
        return _("Handed over.")
    raise DomainError(_("Unknown action."), code="action_unknown")


def _search_action(request: HttpRequest, courier: User, trip_id: int) -> str:
    """A cari-di-pasar line of one of the trip's orders: the price paid (and a receipt photo), or not found."""
    order = access.trip_order_for_courier_or_404(user=courier, trip_id=trip_id, order_id=_int(request, "order"))
    line_id = _int(request, "line")
    if request.POST.get("action") == "not_found":
        search.search_not_found(order=order, line_id=line_id, courier=courier)
        return _("Marked not found: the buyer is told.")
    form = BoughtForm(request.POST, request.FILES, prefix=f"b{line_id}")
    if not form.is_valid():
        raise DomainError(str(next(iter(form.errors.values()))[0]), code="bought_invalid")
    search.search_bought(
        order=order,
        line_id=line_id,
        amount=form.cleaned_data["amount"],
        receipt=form.cleaned_data["receipt"],
        courier=courier,
    )
    return _("Price saved: the buyer approves it on their order page.")


@login_required
@audited("courier queue")
def courier_queue(request: HttpRequest) -> HttpResponse:
    """Check in, answer the offer before its time runs out, ride the trip, see today's earnings."""
    courier, markets = access.courier_or_404(request.user)
    if request.method == "POST":
        try:
            messages.success(request, _courier_action(request, courier, markets))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("delivery:courier")
    shift = services.open_shift(courier)
    if shift is not None:
        services.dispatch_if_due(shift.market)
    screen = selectors.courier_screen(courier=courier)
    for stop in screen.dropoffs:
        stop.form = DeliverForm(prefix=f"d{stop.order.pk}") if stop.order else None
    market = shift.market if shift is not None else markets[0]
    context = {
        "markets": markets,
        "screen": screen,
        "checkin": CheckinForm(initial={"capacity": screen.shift.capacity if screen.shift else 3}),
        "earnings": selectors.earnings_today(courier=courier, market=market),
        "now": timezone.now(),
    }
    template = "delivery/courier.html"
    htmx = getattr(request, "htmx", False)
    return render(request, f"{template}#offer" if htmx else template, context)


def _operator_action(request: HttpRequest, market: Market, user: User) -> str:
    action = request.POST.get("action", "")
    if action == "tick":
        services.dispatch(market)
        external.external_poll(market)
        return _("Queue refreshed.")
    services.dispatch(market)  # discovers the order's job if nobody on duty had yet
    job = access.job_of_market_or_404(market=market, order_id=_int(request, "order"))
    if action == "reassign":
        shift = services.idle_shifts(market).filter(courier_id=_int(request, "courier")).first()
        if shift is None:
            raise DomainError(_("Choose a courier who is on duty and free."), code="courier_busy")
        services.reassign(market=market, job_id=job.pk, courier=shift.courier)
        return _("Offered to %(name)s.") % {"name": shift.courier.name}
    if action == "external":
        booking = external.external_hand_off(market=market, job_id=job.pk, operator=user)
        return _("Booked an external courier (%(id)s).") % {"id": booking.external_id}
    raise DomainError(_("Unknown action."), code="action_unknown")


@login_required
@audited("market courier queue")
def operator_queue(request: HttpRequest, slug: str) -> HttpResponse:
    """The live line, couriers on duty and riding, orders waiting (reassign, hand to an external courier)."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        try:
            messages.success(request, _operator_action(request, market, user))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("delivery:operator", slug=market.slug)
    services.dispatch_if_due(market)
    now = timezone.now()
    board = selectors.operator_board(market)
    waiting = [
        {"row": row, "minutes": row.minutes(now), "external": now >= external.due_at(row.ready_at)}
        for row in board["waiting"]
    ]
    context = {
        "market": market,
        "board": board,
        "waiting": waiting,
        "free": list(services.idle_shifts(market).select_related("courier")),
        "provider": configured_provider(),
    }
    return render(request, "delivery/operator.html", context)

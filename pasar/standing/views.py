"""Buyer pages of standing orders (pesanan rutin): list, create, the next draft, schedule, history.

Plain forms (post, redirect, message); with htmx the draft's forms swap only the draft section.
"""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pasar.accounts.models import User
from pasar.catalog.models import Product
from pasar.core.errors import DomainError
from pasar.core.numbers import parse_whole
from pasar.markets.models import Market
from pasar.orders.models import Cart, Order
from pasar.orders.services.cart import parse_quantity
from pasar.standing import access, selectors, services
from pasar.standing.forms import WEEKDAYS, ScheduleForm, StandingForm, schedule_initial
from pasar.standing.models import StandingOrder


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _schedule(data: dict[str, Any]) -> services.Schedule:
    return services.Schedule(
        every=data["every"],
        weekdays="".join(data.get("weekdays") or []),
        interval_days=data.get("interval_days"),
        starts_on=data["starts_on"],
        ends_on=data.get("ends_on"),
    )


def _show(form: Any, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def standing_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "standings": selectors.standing_list(user=user),
        "carts": Cart.objects.filter(buyer=user, lines__isnull=False).distinct().select_related("market"),
        "orders": Order.objects.filter(buyer=user).select_related("market").order_by("-created_at")[:5],
    }
    return render(request, "standing/list.html", context)


@login_required
def standing_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Create from the cart at this market, or (``?pesanan=NUMBER``) from one of the buyer's past orders."""
    market = get_object_or_404(Market, slug=slug, is_active=True)
    buyer = _user(request)
    number = request.GET.get("pesanan", "")
    order = None
    if number:
        order = Order.objects.filter(number=number, buyer=buyer, market=market).first()
        if order is None:
            raise Http404
        lines = services.lines_from_order(order)
    else:
        lines = services.lines_from_cart(buyer=buyer, market=market)
    now = timezone.now()
    initial = schedule_initial(None, timezone.localdate())
    if order is not None:
        initial.update(
            fulfilment=order.fulfilment,
            address=order.address,
            landmark=order.landmark,
            lat=order.latitude,
            lng=order.longitude,
            payment_method=order.payment_method,
        )
    form = StandingForm(request.POST or None, initial=initial, pickup_times=services.pickup_times(market))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fulfilment = services.Fulfilment(
            fulfilment=data["fulfilment"],
            payment_method=data["payment_method"],
            address=data["address"],
            landmark=data["landmark"],
            latitude=data["lat"],
            longitude=data["lng"],
            pickup_at=data["pickup_at"],
        )
        try:
            standing = services.standing_create(
                buyer=buyer,
                market=market,
                name=data["name"],
                schedule=_schedule(data),
                fulfilment=fulfilment,
                lines=lines,
                now=now,
                note=data["note"],
            )
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, _("Standing order saved. Its next delivery is ready to check below."))
            return redirect(standing.get_absolute_url())
    context = {"market": market, "form": form, "lines": lines, "order": order, "weekdays": WEEKDAYS}
    return render(request, "standing/new.html", context)


def _detail_context(standing: StandingOrder) -> dict[str, Any]:
    now = timezone.now()
    return {
        "standing": standing,
        "draft": selectors.draft_of(standing, now=now),
        "history": selectors.history(standing, now=now),
        "products": selectors.products_to_add(standing),
        "lines": standing.lines.select_related("product__stall"),
    }


@login_required
def standing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    standing = access.standing_for_buyer_or_404(user=request.user, pk=pk)
    return render(request, "standing/detail.html", _detail_context(standing))


@login_required
def standing_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    standing = access.standing_for_buyer_or_404(user=request.user, pk=pk)
    form = ScheduleForm(request.POST or None, initial=schedule_initial(standing, timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        try:
            services.standing_set_schedule(standing=standing, schedule=_schedule(form.cleaned_data), now=timezone.now())
        except DomainError as error:
            _show(form, error)
        else:
            messages.success(request, _("Schedule saved; the next delivery follows it."))
            return redirect(standing.get_absolute_url())
    return render(request, "standing/schedule.html", {"standing": standing, "form": form})


@login_required
@require_POST
def standing_pause(request: HttpRequest, pk: int) -> HttpResponse:
    standing = access.standing_for_buyer_or_404(user=request.user, pk=pk)
    paused = request.POST.get("paused") == "1"
    services.standing_set_paused(standing=standing, paused=paused, now=timezone.now())
    messages.success(request, _("Standing order paused.") if paused else _("Standing order resumed."))
    return redirect(standing.get_absolute_url())


@login_required
@require_POST
def run_line(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    """Set one product's quantity on this date (``remove``: take it off; a new product: add it)."""
    standing = access.standing_for_buyer_or_404(user=request.user, pk=pk)
    run = access.run_of_or_404(standing=standing, run_id=run_id)
    # A posted id that is not a whole number (``²``, 25 nines) is "no such product", not a 500.
    product_id = parse_whole(request.POST.get("product"), maximum=2**31 - 1)
    product = Product.objects.filter(pk=product_id, market=standing.market).first() if product_id else None
    if product is None:
        messages.error(request, _("Choose a product of this market."))
        return redirect(standing.get_absolute_url())
    try:
        quantity = Decimal(0) if "remove" in request.POST else parse_quantity(request.POST.get("quantity", ""))
        services.run_set_line(run=run, product=product, quantity=quantity, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Delivery of %(date)s updated.") % {"date": run.date.strftime("%d-%m-%Y")})
    return redirect(standing.get_absolute_url())


@login_required
@require_POST
def run_skip(request: HttpRequest, pk: int, run_id: int) -> HttpResponse:
    standing = access.standing_for_buyer_or_404(user=request.user, pk=pk)
    run = access.run_of_or_404(standing=standing, run_id=run_id)
    skipped = request.POST.get("skip") == "1"
    try:
        services.run_set_skipped(run=run, skipped=skipped, now=timezone.now())
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("This date is skipped.") if skipped else _("This date is ordered again."))
    return redirect(standing.get_absolute_url())

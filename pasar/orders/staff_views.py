"""The staff's order screens: the trader prepares their part, the courier delivers, the operator oversees.

Every page works as plain forms (post, redirect, show a message); htmx only refreshes a section.
"""

import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from pasar.accounts.audit import audited
from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.core.money import format_quantity
from pasar.core.numbers import parse_whole
from pasar.markets.access import market_for_operator_or_404
from pasar.orders import staff_access, staff_selectors
from pasar.orders.models import Order, OrderLine, StallOrder
from pasar.orders.pricing import line_estimate
from pasar.orders.services import fulfilment, search
from pasar.orders.staff_forms import BoughtForm, CancelForm, DeliverForm, OrderFilterForm, SubstituteForm, WeighForm

logger = logging.getLogger(__name__)

ORDERS_PER_PAGE = 50
OPEN_PART_STATES = {StallOrder.State.PENDING, StallOrder.State.ACCEPTED}  # lines may still change


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _first_error(form: Any) -> str:
    return next(iter(form.errors.values()))[0]  # type: ignore[no-any-return]


def beyond_tolerance(*, estimate: int, amount: int) -> bool:
    """Whether a weighed price is far enough from the estimate that the buyer must approve it."""
    return abs(amount - estimate) > estimate * fulfilment.WEIGHT_TOLERANCE


def _part_buyer(request: HttpRequest, kwargs: dict[str, Any]) -> int | None:
    """Whose data a trader's order part shows (the audit log's subject)."""
    return StallOrder.objects.filter(pk=int(kwargs["part_id"])).values_list("order__buyer_id", flat=True).first()


# The trader's screens.


@login_required
@audited("trader orders")
def trader_orders(request: HtmxHttpRequest) -> HttpResponse:
    """Today's parts of the trader's stalls, pending first, and the ones for the next market days."""
    stalls = staff_access.trader_stalls_or_404(request.user)
    today = staff_selectors.market_today(stalls[0].market)
    context = {
        "today": today,
        "parts": staff_selectors.trader_parts(stalls=stalls, day=today),
        "upcoming": staff_selectors.trader_parts(stalls=stalls, day=today, upcoming=True),
    }
    template = "orders_staff/trader_orders.html"
    return render(request, f"{template}#parts" if request.htmx else template, context)


def _weigh_form(line: OrderLine, data: Any = None) -> WeighForm:
    quantity = line.final_quantity if line.final_quantity is not None else line.quantity
    amount = line.final_amount if line.final_amount is not None else line_estimate(line.unit_price, quantity)
    initial = {"quantity": format_quantity(quantity), "amount": amount, "prefill": amount}
    return WeighForm(data, initial=initial, prefix=f"w{line.pk}")


def _weighed_amount(line: OrderLine, form: WeighForm) -> int:
    """The price to save: the trader's own, or the listed price × weight when the prefill was left alone."""
    quantity, amount = form.cleaned_data["quantity"], form.cleaned_data["amount"]
    if amount is None or amount == form.cleaned_data["prefill"]:
        return line_estimate(line.unit_price, quantity)
    return int(amount)


def _line_id(request: HttpRequest) -> int:
    line_id = parse_whole(request.POST.get("line", ""))
    if line_id is None:
        raise DomainError(_("This line is not part of your stall's order."), code="line_not_in_part")
    return line_id


def _trader_action(request: HttpRequest, part: StallOrder, forms: dict[int, Any]) -> str | None:
    """Run the posted action; the success message, or ``None`` when a form has errors to show."""
    user, action = _user(request), request.POST.get("action", "")
    if action == "accept":
        fulfilment.part_accept(part_id=part.pk, actor=user)
        return _("Order accepted. Prepare the lines below.")
    if action == "ready":
        fulfilment.part_ready(part_id=part.pk, actor=user)
        return _("Marked ready: a courier or the buyer will collect it.")
    line_id = _line_id(request)
    if action in {"available", "unavailable"}:
        fulfilment.line_mark(part_id=part.pk, line_id=line_id, available=action == "available", actor=user)
        return _("Line saved.")
    line = part.lines.filter(pk=line_id).first()
    if line is None:
        raise DomainError(_("This line is not part of your stall's order."), code="line_not_in_part")
    if action in {"weigh", "weigh_preview"}:
        form = _weigh_form(line, request.POST)
        forms[line.pk] = form
        if not form.is_valid():
            return None
        amount = _weighed_amount(line, form)
        if action == "weigh_preview":
            # Show the price that follows the weight, and whether the buyer would have to approve it.
            forms[line.pk] = WeighForm(
                initial={"quantity": form.cleaned_data["quantity"], "amount": amount, "prefill": amount},
                prefix=f"w{line.pk}",
            )
            return None
        fulfilment.line_weigh(
            part_id=part.pk, line_id=line.pk, quantity=form.cleaned_data["quantity"], amount=amount, actor=user
        )
        return _("Weight saved.")
    if action == "substitute":
        sub = SubstituteForm(request.POST, prefix=f"s{line.pk}", choices=staff_selectors.substitute_choices(part=part))
        forms[-line.pk] = sub
        if not sub.is_valid():
            return None
        fulfilment.line_substitute(
            part_id=part.pk,
            line_id=line.pk,
            product=sub.cleaned_data["product"],
            quantity=sub.cleaned_data["quantity"],
            actor=user,
        )
        return _("Substitute proposed: the buyer approves or refuses it.")
    raise DomainError(_("Unknown action."), code="action_unknown")


def _line_row(line: OrderLine, *, part_open: bool, forms: dict[int, Any]) -> dict[str, Any]:
    awaiting_buyer = line.needs_approval and line.substitute_for_id is not None
    can_mark = part_open and line.state in {OrderLine.State.PENDING, OrderLine.State.AVAILABLE} and not awaiting_buyer
    weigh = forms.get(line.pk) or _weigh_form(line)
    preview = weigh.initial.get("amount") if not weigh.is_bound else None
    return {
        "line": line,
        "can_mark": can_mark,
        "can_weigh": can_mark and line.weighed,
        "weigh": weigh,
        "over": preview is not None and beyond_tolerance(estimate=line.estimate, amount=preview),
    }


def _line_rows(part: StallOrder, forms: dict[int, Any]) -> list[dict[str, Any]]:
    """Each ordered line with what the trader may do to it, its substitute (if any) right below it."""
    part_open = part.state in OPEN_PART_STATES
    choices = staff_selectors.substitute_choices(part=part)
    rows = []
    for line in staff_selectors.part_lines(part=part):
        row = _line_row(line, part_open=part_open, forms=forms)
        substitute = getattr(line, "substitute", None)
        row["can_substitute"] = row["can_mark"] and substitute is None
        if row["can_substitute"]:
            row["sub_form"] = forms.get(-line.pk) or SubstituteForm(
                prefix=f"s{line.pk}", choices=choices.exclude(pk=line.product_id)
            )
        rows.append(row)
        if substitute is not None:
            rows.append(_line_row(substitute, part_open=part_open, forms=forms) | {"is_substitute": True})
    return rows


@login_required
@audited("trader order part", subject=_part_buyer)
def trader_part(request: HtmxHttpRequest, part_id: int) -> HttpResponse:
    """One part of an order: accept it, mark, weigh or replace each line, then mark it ready."""
    part = staff_access.part_for_trader_or_404(user=request.user, part_id=part_id)
    forms: dict[int, Any] = {}  # forms with the posted values: weighing by line id, substitutes by -line id
    if request.method == "POST":
        try:
            done = _trader_action(request, part, forms)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("orders_staff:trader-part", part_id=part.pk)
        if done is not None:
            messages.success(request, done)
            return redirect("orders_staff:trader-part", part_id=part.pk)
        part.refresh_from_db()
    rows = _line_rows(part, forms)
    unweighed = sum(
        1
        for row in rows
        if row["line"].weighed
        and row["line"].final_quantity is None
        and row["line"].state in {OrderLine.State.PENDING, OrderLine.State.AVAILABLE}
    )  # told before pressing ready, not after
    context = {
        "part": part,
        "order": part.order,
        "rows": rows,
        "open": part.state in OPEN_PART_STATES,
        "unweighed": unweighed,
    }
    template = "orders_staff/trader_part.html"
    return render(request, f"{template}#part" if request.htmx else template, context)


# The courier's screen.


def _courier_action(request: HttpRequest, courier: User) -> str:
    action, order_id = request.POST.get("action", ""), parse_whole(request.POST.get("order", ""))
    if order_id is None:
        raise DomainError(_("Choose an order."), code="order_unknown")
    if action == "take":
        order = staff_access.order_for_courier_or_404(user=courier, order_id=order_id)
        fulfilment.courier_take(order=order, courier=courier)
        return _("Order %(number)s is yours: pick it up at each stall.") % {"number": order.number}
    order = staff_access.order_for_courier_or_404(user=courier, order_id=order_id, own=True)
    if action == "pick_up":
        part_id = parse_whole(request.POST.get("part", "")) or 0
        fulfilment.courier_pick_up(order=order, part_id=part_id, courier=courier)
        return _("Picked up.")
    if action in {"bought", "not_found"}:
        return _search_action(request, order, courier, action)
    if action == "deliver":
        form = DeliverForm(request.POST, prefix=f"d{order.pk}")
        if not form.is_valid():
            raise DomainError(_first_error(form), code="deliver_invalid")
        fulfilment.courier_deliver(
            order=order, code=form.cleaned_data["code"], cash=form.cleaned_data["cash"], courier=courier
        )
        return _("Order %(number)s delivered.") % {"number": order.number}
    raise DomainError(_("Unknown action."), code="action_unknown")


def _search_action(request: HttpRequest, order: Order, courier: User, action: str) -> str:
    """A cari-di-pasar line: the price the courier paid (and a receipt photo), or not found."""
    line_id = parse_whole(request.POST.get("line", "")) or 0
    if action == "not_found":
        search.search_not_found(order=order, line_id=line_id, courier=courier)
        return _("Marked not found: the buyer is told.")
    form = BoughtForm(request.POST, request.FILES, prefix=f"b{line_id}")
    if not form.is_valid():
        raise DomainError(_first_error(form), code="bought_invalid")
    search.search_bought(
        order=order,
        line_id=line_id,
        amount=form.cleaned_data["amount"],
        receipt=form.cleaned_data["receipt"],
        courier=courier,
    )
    return _("Price saved: the buyer approves it on their order page.")


@login_required
@audited("courier deliveries")
def courier_home(request: HtmxHttpRequest) -> HttpResponse:
    """Ready orders to take, the courier's own orders with a pickup checklist, and today's deliveries."""
    courier, markets = staff_access.courier_or_404(request.user)
    if request.method == "POST":
        try:
            messages.success(request, _courier_action(request, courier))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("orders_staff:courier")
    current = list(staff_selectors.courier_current(courier=courier))
    context = {
        "markets": markets,
        "available": staff_selectors.courier_available(markets=markets),
        "current": [(order, DeliverForm(prefix=f"d{order.pk}")) for order in current],
        "in_trip": staff_selectors.courier_trip_order_ids(courier=courier),
        "delivered": staff_selectors.courier_delivered(courier=courier, day=staff_selectors.market_today(markets[0])),
    }
    template = "orders_staff/courier.html"
    return render(request, f"{template}#available" if request.htmx else template, context)


# The operator's screen.


@login_required
@audited("market orders")
def operator_orders(request: HttpRequest, slug: str) -> HttpResponse:
    """Every order of the market on one day (or every day), by state, each with its stalls' parts."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    today = staff_selectors.market_today(market)
    data = request.GET if "hari" in request.GET or "status" in request.GET else {"hari": today.isoformat()}
    form = OrderFilterForm(data)
    chosen = staff_selectors.OrderFilter()
    if form.is_valid():
        chosen = staff_selectors.OrderFilter(state=form.cleaned_data["status"] or None, day=form.cleaned_data["hari"])
    page = Paginator(staff_selectors.operator_orders(market=market, chosen=chosen), ORDERS_PER_PAGE).get_page(
        request.GET.get("halaman")
    )
    context = {
        "market": market,
        "form": form,
        "chosen": chosen,
        "page": page,
        "counts": staff_selectors.operator_state_counts(market=market, day=chosen.day),
        "states": Order.State.choices,
        "cancellable": {Order.State.PLACED, Order.State.CONFIRMED, Order.State.READY},
        "filter_query": urlencode({"hari": chosen.day.isoformat() if chosen.day else "", "status": chosen.state or ""}),
    }
    return render(request, "orders_staff/operator_orders.html", context)


@login_required
@require_POST
def operator_cancel(request: HttpRequest, slug: str, order_id: int) -> HttpResponse:
    """Cancel one order with a reason: its stock and pickup slot go back."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    order = staff_access.order_for_operator_or_404(market=market, order_id=order_id)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling."))
    else:
        try:
            fulfilment.order_cancel(order=order, reason=form.cleaned_data["reason"], actor=_user(request))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Order %(number)s cancelled.") % {"number": order.number})
    url = reverse("orders_staff:operator-orders", kwargs={"slug": market.slug})
    return redirect(f"{url}?{urlencode({'hari': order.for_date.isoformat()})}")


@login_required
@require_POST
def operator_handover(request: HttpRequest, slug: str, order_id: int) -> HttpResponse:
    """Hand a ready, paid pickup order to the buyer at the pickup point against their code."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    order = staff_access.order_for_operator_or_404(market=market, order_id=order_id)
    try:
        fulfilment.pickup_handover(order=order, code=request.POST.get("code", ""), actor=_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Order %(number)s handed over.") % {"number": order.number})
    url = reverse("orders_staff:operator-orders", kwargs={"slug": market.slug})
    return redirect(f"{url}?{urlencode({'hari': order.for_date.isoformat()})}")

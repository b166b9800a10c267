"""Operator pages: the printable settlement of a market day, transfers waiting, and manual confirmation."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from pasar.accounts.audit import audited
from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.markets.access import market_for_operator_or_404
from pasar.orders.models import Order
from pasar.payments import selectors
from pasar.payments.access import order_for_operator_or_404
from pasar.payments.forms import DayForm, TransferConfirmForm
from pasar.payments.services import ledger_post_delivered_orders, transfer_confirm_manual


def _order_buyer(request: HttpRequest, kwargs: dict[str, Any]) -> int | None:
    return Order.objects.filter(number=str(kwargs["number"])).values_list("buyer_id", flat=True).first()


@never_cache
@login_required
@audited("daily settlement")
def settlement(request: HttpRequest, slug: str) -> HttpResponse:
    """What the market owes each trader and what each courier holds, for one market day."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    if request.method == "POST":
        # A catch-up: an order delivered by a path that did not post it still lands in the settlement.
        # On POST only: a GET never writes.
        ledger_post_delivered_orders(market=market)
        return redirect(request.get_full_path())
    form = DayForm(request.GET if "tanggal" in request.GET else None)
    day = form.day(default=selectors.settlement_day_default(market))
    context = {
        "market": market,
        "form": form,
        "settlement": selectors.settlement_for(market=market, day=day),
        "unposted": selectors.unposted_delivered_count(market=market),
    }
    return render(request, "payments/settlement.html", context)


@never_cache
@login_required
@audited("transfers to confirm")
def transfers(request: HttpRequest, slug: str) -> HttpResponse:
    """Transfer orders waiting for money, by amount, to match against the bank's mutations."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    context = {"market": market, "orders": selectors.transfers_awaiting(market=market)}
    return render(request, "payments/transfers.html", context)


@never_cache
@login_required
@audited("transfer of order", subject=_order_buyer)
def transfer_confirm(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    """Record the bank mutation that paid one transfer order: exact amount, bank reference."""
    market = market_for_operator_or_404(user=request.user, slug=slug)
    order = order_for_operator_or_404(user=request.user, market=market, number=number)
    form = TransferConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)  # behind login_required and the market gate
        try:
            transfer_confirm_manual(
                order=order,
                amount=form.cleaned_data["amount"],
                operator=request.user,
                reference=form.cleaned_data["reference"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Payment of order %(number)s recorded.") % {"number": order.number})
            return redirect("payments:transfers", slug=market.slug)
    context = {"market": market, "order": order, "form": form, "attempts": selectors.attempts_of(order)}
    return render(request, "payments/transfer_confirm.html", context)

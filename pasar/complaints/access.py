"""The one gate for complaints: the buyer's own order, the trader's own stall, the operator's own market.

Same 404 for "missing" and "not yours", so ids and order numbers do not leak.
"""

from django.http import Http404

from pasar.accounts.models import Actor, User
from pasar.complaints.models import Complaint
from pasar.markets.models import Market
from pasar.orders.models import Order


def order_for_complainer_or_404(*, user: Actor, number: str) -> Order:
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404
    order = Order.objects.filter(number=number, buyer=user).select_related("market").first()
    if order is None:
        raise Http404
    return order


def complaint_for_trader_or_404(*, user: Actor, complaint_id: int) -> Complaint:
    if not user.is_authenticated:
        raise Http404
    complaint = (
        Complaint.objects.filter(pk=complaint_id, stall__trader__user=user)
        .select_related("order", "line", "stall", "buyer")
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint


def complaint_for_operator_or_404(*, market: Market, complaint_id: int) -> Complaint:
    """A complaint of a market the caller already passed ``market_for_operator_or_404`` for."""
    complaint = (
        Complaint.objects.filter(pk=complaint_id, market=market)
        .select_related("order", "line__part", "stall", "buyer", "refund_entry")
        .first()
    )
    if complaint is None:
        raise Http404
    return complaint

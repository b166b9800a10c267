"""Reads of complaints, shared by pages and the API."""

from django.db.models import QuerySet

from pasar.complaints.models import Complaint
from pasar.markets.models import Market
from pasar.orders.models import Order


def complaints_of_order(order: Order) -> dict[int, Complaint]:
    """The order's complaints by line id."""
    return {c.line_id: c for c in Complaint.objects.filter(order=order)}


def complaints_for_operator(*, market: Market, waiting_only: bool = False) -> QuerySet[Complaint]:
    """The market's complaints, those waiting for the operator first, newest first within each group."""
    rows = Complaint.objects.filter(market=market).select_related("order", "line", "stall", "buyer")
    if waiting_only:
        rows = rows.filter(state__in=[Complaint.State.DISAGREED, Complaint.State.ESCALATED])
    return rows.order_by("state", "-created_at")

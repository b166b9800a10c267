"""Reads of a person's own notifications, and of the messages sent (the "Kotak keluar" and its costs)."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet, Sum

from pasar.accounts.models import User
from pasar.notifications.models import Notification, OutboundMessage

INBOX_SIZE = 50
OUTBOX_SIZE = 100


def inbox_for(user: User, *, limit: int = INBOX_SIZE) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)[:limit]


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def outbox(*, market_ids: list[int] | None = None) -> QuerySet[OutboundMessage]:
    """Messages newest first; ``market_ids`` None = every message (platform staff)."""
    messages = OutboundMessage.objects.all()
    if market_ids is not None:
        messages = messages.filter(market_id__in=market_ids)
    return messages


@dataclass(frozen=True)
class MonthCost:
    category: str
    count: int
    cost: int


def month_costs(*, market_id: int, since: datetime) -> list[MonthCost]:
    """Count and estimated cost per category of the messages billed to the market since ``since``."""
    rows = (
        OutboundMessage.objects.filter(market_id=market_id, created_at__gte=since)
        .exclude(status=OutboundMessage.Status.FAILED, provider_message_id__isnull=True)
        .values("category")
        .annotate(count=Count("pk"), cost=Sum("cost"))
        .order_by("category")
    )
    return [MonthCost(row["category"], row["count"], row["cost"] or 0) for row in rows]


@dataclass(frozen=True)
class Reach:
    sent: int
    delivered: int
    read: int
    failed: int


def announcement_reach(announcement_id: int) -> Reach:
    s = OutboundMessage.Status
    counts = OutboundMessage.objects.filter(announcement_id=announcement_id).aggregate(
        sent=Count("pk", filter=Q(status__in=[s.SENT, s.DELIVERED, s.READ])),
        delivered=Count("pk", filter=Q(status__in=[s.DELIVERED, s.READ])),
        read=Count("pk", filter=Q(status=s.READ)),
        failed=Count("pk", filter=Q(status=s.FAILED)),
    )
    return Reach(**counts)

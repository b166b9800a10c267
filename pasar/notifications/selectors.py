"""Reads of a person's own notifications."""

from django.db.models import QuerySet

from pasar.accounts.models import User
from pasar.notifications.models import Notification

INBOX_SIZE = 50


def inbox_for(user: User, *, limit: int = INBOX_SIZE) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)[:limit]


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()

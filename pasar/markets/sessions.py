"""Shorter sessions for the people who see others' personal data.

Traders and buyers stay logged in on their own phone for 30 days (``SESSION_COOKIE_AGE``). Platform staff,
market operators and government officers read names, phones and addresses of many people, often on
shared computers: their session ends ``PASAR_STAFF_SESSION_SECONDS`` (8 hours) after its last change.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from pasar.accounts.models import OfficerAssignment, User
from pasar.markets.models import MarketRole


def is_staff_person(user: User) -> bool:
    return (
        user.is_staff
        or user.is_superuser
        or MarketRole.objects.filter(user=user, role=MarketRole.Role.OPERATOR).exists()
        or OfficerAssignment.objects.filter(user=user).exists()
    )


def shorten_staff_session(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """``user_logged_in`` receiver (connected in ``MarketsConfig.ready``)."""
    if is_staff_person(user):
        request.session.set_expiry(settings.PASAR_STAFF_SESSION_SECONDS)

"""Login throttling with django-axes: per phone number and per client address.

django-axes records each failed login (``axes.models.AccessAttempt``) and its backend refuses a
login, even with the right password or PIN, once either count reaches its limit within the
cool-off window. One limit for everything would lock whole mobile networks: Indonesian operators put
thousands of phones behind one carrier-grade NAT address, so the address limit is higher than the
phone limit (``PASAR_LOGIN_FAILURES_PER_PHONE`` / ``PASAR_LOGIN_FAILURES_PER_IP`` per
``PASAR_LOGIN_COOLOFF_MINUTES``). The handler below scales each count to the phone limit, which is the
one number django-axes compares with.

Everything else in the project asks this module, never axes itself: ``lock_ends_at``, ``unlock``.
"""

import ipaddress
import math
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import logout
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import ngettext

from pasar.core.phone import normalize_phone


def cool_off() -> timedelta:
    return timedelta(minutes=settings.PASAR_LOGIN_COOLOFF_MINUTES)


def username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The phone number as stored (``+62…``), however it was typed, so 0812… and +62812… count as one."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    raw = str(raw)[:40]
    return normalize_phone(raw) or raw.strip()


def _address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind ``PASAR_PROXY_COUNT`` trusted proxies the address the outermost one saw."""
    hops = settings.PASAR_PROXY_COUNT
    forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    if hops and len(forwarded) >= hops and (found := _address(forwarded[-hops])):
        return found
    return _address(str(request.META.get("REMOTE_ADDR", "")))


class Handler(AxesDatabaseHandler):  # type: ignore[misc]
    """axes' database handler with one limit per lockout parameter (phone, then address)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        limits = [settings.PASAR_LOGIN_FAILURES_PER_PHONE, settings.PASAR_LOGIN_FAILURES_PER_IP]
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        # floor(count × phone_limit / own_limit) reaches the phone limit exactly when count reaches its own.
        base = limits[0]
        return max((count * base // limit for count, limit in zip(counts, limits, strict=False)), default=0)


def _attempts_since(since: datetime) -> Any:
    return AccessAttempt.objects.filter(attempt_time__gte=since)


def lock_ends_at(*, phone: str = "", ip: str = "", now: datetime | None = None) -> datetime | None:
    """When the lock on this phone number (or client address) lifts; None when it is not locked."""
    now = now or timezone.now()
    recent = _attempts_since(now - cool_off())
    ends: list[datetime] = []
    for field, value, limit in (
        ("username", phone, settings.PASAR_LOGIN_FAILURES_PER_PHONE),
        ("ip_address", ip, settings.PASAR_LOGIN_FAILURES_PER_IP),
    ):
        if not value:
            continue
        found = recent.filter(**{field: value}).aggregate(n=Sum("failures_since_start"), last=Max("attempt_time"))
        if (found["n"] or 0) >= limit and found["last"] is not None:
            ends.append(found["last"] + cool_off())
    return max(ends) if ends else None


def locked_phones(phones: list[str], *, now: datetime | None = None) -> set[str]:
    """Which of these phone numbers are locked now (one query, for lists of traders)."""
    now = now or timezone.now()
    rows = (
        _attempts_since(now - cool_off())
        .filter(username__in=phones)
        .values("username")
        .annotate(n=Sum("failures_since_start"))
    )
    return {r["username"] for r in rows if r["n"] >= settings.PASAR_LOGIN_FAILURES_PER_PHONE}


def unlock(phone: str) -> int:
    """Forget the failed logins of this phone number (an operator's or admin's unlock); returns how many."""
    deleted, _by_model = AccessAttempt.objects.filter(username=phone).delete()
    return int(deleted)


def wait_message(ends_at: datetime, *, now: datetime | None = None) -> str:
    minutes = max(1, math.ceil(((ends_at - (now or timezone.now())).total_seconds()) / 60))
    return ngettext(
        "Too many wrong attempts. Try again in %(minutes)d minute, or ask your market operator to unlock your account.",
        "Too many wrong attempts. Try again in %(minutes)d minutes, or ask your market operator to unlock your "
        "account.",
        minutes,
    ) % {"minutes": minutes}


def locked_out_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """The login page again with the time to wait (HTTP 429), in place of axes' plain text."""
    from pasar.accounts.forms import PhoneLoginForm  # forms import this module's neighbours

    phone = username(request, credentials)
    if request.user.is_authenticated:  # wrong current PINs on the PIN page: whoever holds the session is guessing
        phone = request.user.get_username()
        logout(request)
    ends = lock_ends_at(phone=phone, ip=client_ip(request) or "") or timezone.now() + cool_off()
    form = PhoneLoginForm(request, initial={"username": request.POST.get("username", "")[:20]})
    context = {"form": form, "locked_message": wait_message(ends), "next": request.POST.get("next", "")}
    return render(request, "accounts/login.html", context, status=429)

"""Log in by one-time code (beside the password/PIN): most traders and buyers never remember a password.

A code is 6 digits, kept only as an HMAC, valid ``PASAR_OTP_MINUTES``; at most ``PASAR_OTP_PER_HOUR``
codes per number per hour; ``PASAR_OTP_MAX_TRIES`` wrong codes lock the number out until the hour
since the first of them has passed. The code goes by WhatsApp (authentication template) to a person
with opt-in, else by SMS. Whether a number has an account is never told apart in the answers.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext_noop

from pasar.accounts.models import User
from pasar.notifications.messages import Template
from pasar.notifications.models import Category, LoginCode
from pasar.notifications.queue import deliver

LOCK_WINDOW = timedelta(hours=1)
LOGIN_CODE = Template(
    name="kode_masuk",
    inbox=gettext_noop(
        "%(code)s is your Pasar Daring login code. It is valid for %(minutes)s minutes; never share it."
    ),
    params=("code",),
    category=Category.AUTHENTICATION,
)


class Outcome(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"
    LIMITED = "limited"
    SENT = "sent"


def _hash(phone: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def locked(phone: str) -> bool:
    since = timezone.now() - LOCK_WINDOW
    wrong = LoginCode.objects.filter(phone=phone, created_at__gte=since).aggregate(n=Sum("tries"))["n"] or 0
    return wrong >= settings.PASAR_OTP_MAX_TRIES


@transaction.atomic
def code_request(*, phone: str) -> Outcome:
    """Send a code to ``phone`` if it has an active account; the same answer either way."""
    now = timezone.now()
    if locked(phone):
        return Outcome.LOCKED
    recent = LoginCode.objects.filter(phone=phone, created_at__gte=now - LOCK_WINDOW).count()
    if recent >= settings.PASAR_OTP_PER_HOUR:
        return Outcome.LIMITED
    user = User.objects.filter(phone=phone, is_active=True).first()
    code = f"{secrets.randbelow(10**6):06d}"
    minutes = settings.PASAR_OTP_MINUTES
    # A row for an unknown number too: the rate limit then says nothing about which numbers exist.
    row = LoginCode.objects.create(
        phone=phone, code_hash=_hash(phone, code), created_at=now, expires_at=now + timedelta(minutes=minutes)
    )
    if user is not None:
        deliver(user=user, template=LOGIN_CODE, params={"code": code, "minutes": minutes}, key=f"login-code:{row.pk}")
    return Outcome.SENT


@transaction.atomic
def code_check(*, phone: str, code: str) -> tuple[Outcome, User | None]:
    """Check the latest code of ``phone``; a wrong one counts towards the lock-out."""
    if locked(phone):
        return Outcome.LOCKED, None
    now = timezone.now()
    row = (
        LoginCode.objects.select_for_update()
        .filter(phone=phone, used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if row is None or row.expires_at <= now:
        return Outcome.EXPIRED, None
    if not hmac.compare_digest(row.code_hash, _hash(phone, code.strip())):
        LoginCode.objects.filter(pk=row.pk).update(tries=F("tries") + 1)
        return (Outcome.LOCKED if locked(phone) else Outcome.WRONG), None
    user = User.objects.filter(phone=phone, is_active=True).first()
    if user is None:
        return Outcome.WRONG, None
    LoginCode.objects.filter(pk=row.pk).update(used_at=now)
    return Outcome.OK, user

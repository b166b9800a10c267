"""Consent to the privacy notice: recorded with its version, time and how (UU PDP art. 20–24).

The notice itself is the page ``privacy:notice`` (pasar/privacy); bump ``NOTICE_VERSION`` with every
change of its text, so each consent row names the text the person saw.
"""

from django.db import transaction
from django.utils import timezone

from pasar.accounts.models import Consent, User

NOTICE_VERSION = "2026-12-03"


def consent_give(*, user: User, how: str, by: User | None = None, version: str = NOTICE_VERSION) -> Consent:
    """Record agreement to the notice; agreeing again to the same version while it stands adds nothing."""
    standing = current_consent(user)
    if standing is not None and standing.version == version:
        return standing
    return Consent.objects.create(user=user, version=version, how=how, recorded_by=by)


def consent_withdraw(*, user: User) -> int:
    """Stamp every standing consent of the person as withdrawn now; returns how many."""
    with transaction.atomic():
        return Consent.objects.filter(user=user, withdrawn_at__isnull=True).update(withdrawn_at=timezone.now())


def current_consent(user: User) -> Consent | None:
    return Consent.objects.filter(user=user, withdrawn_at__isnull=True).order_by("-given_at", "-pk").first()


def consent_give_many(*, users: list[User], how: str, by: User | None) -> None:
    """One row per person without a standing consent to this version (a trader list import)."""
    have = set(
        Consent.objects.filter(user__in=users, version=NOTICE_VERSION, withdrawn_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    Consent.objects.bulk_create(
        [Consent(user=u, version=NOTICE_VERSION, how=how, recorded_by=by) for u in users if u.pk not in have]
    )

"""Provider notifications: verify, record once, re-fetch the status, then act on the provider's own answer.

A notification is only a trigger (see ``providers/README.md``): Midtrans signs neither the status nor a
timestamp, so a genuine old body can be replayed forever. Money counts only when ``fetch_status`` says
paid, for this order's reference, for exactly the order's amount due.

De-duplication holds only for final outcomes (paid, already paid, closed, review). A notification whose
re-check said "pending" (or could not ask) is taken up again when the same notice comes back, and
``payments_recheck`` (every minute, ``payments/schedule.py``) asks the provider again about every pending
attempt that was notified or has expired, until its answer is final or the attempt is closed: an early
"settlement" notice for an unpaid charge can no longer make the genuine one a "replay".
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from pasar.core.errors import DomainError
from pasar.orders.models import Order
from pasar.orders.services.payment import order_mark_paid
from pasar.payments.models import PaymentAttempt, ProviderNotification
from pasar.payments.providers.base import (
    ForgedNotification,
    PaymentProvider,
    PaymentStatus,
    ProviderError,
    ProviderStatus,
)

logger = logging.getLogger(__name__)

Outcome = ProviderNotification.Outcome
# Outcomes that end a notification: a replay of it does nothing. Any other is taken up again.
FINAL = (Outcome.PAID, Outcome.ALREADY_PAID, Outcome.CLOSED, Outcome.REVIEW)
NOT_FINAL = (Outcome.RECEIVED, Outcome.PENDING, Outcome.PROVIDER_ERROR)
# A charge the provider still calls pending this long after its expiry is closed here.
EXPIRED_PENDING_GRACE = timedelta(hours=1)
RECHECK_BATCH = 200


class UnknownPaymentRef(LookupError):
    """A verified notification for a reference no attempt of ours carries."""


@dataclass(frozen=True)
class Handled:
    """What a notification did; ``replay`` when it had been handled before and did nothing now."""

    outcome: str
    replay: bool = False


def notification_handle(provider: PaymentProvider, headers: Mapping[str, str], body: bytes) -> Handled:
    """Verify (``ForgedNotification`` otherwise), record once, act on the re-fetched status; never backwards."""
    try:
        note = provider.verify_notification(headers, body)
    except ProviderError as error:
        # Signed but unusable (an unknown status, a fractional amount): as good as forged, and a retry won't help.
        raise ForgedNotification(str(error)) from error
    attempt = PaymentAttempt.objects.filter(provider=provider.name, provider_ref=note.order_ref).first()
    if attempt is None:
        raise UnknownPaymentRef(note.order_ref)
    record = _record(
        provider.name, note.transaction_id, note.claimed_status, note.order_ref, note.gross_amount, note.raw
    )
    if record is None:
        return Handled(outcome="replay", replay=True)
    try:
        status = provider.fetch_status(note.order_ref)  # no transaction open, no lock held
    except ProviderError as error:
        _finish(record, Outcome.PROVIDER_ERROR, str(error))
        raise
    outcome, detail = _apply(attempt, status)
    _finish(record, outcome, detail)
    return Handled(outcome=outcome)


def _record(
    provider: str, transaction_id: str, status: str, order_ref: str, amount: int, raw: Mapping[str, object]
) -> ProviderNotification | None:
    """The new row, or None for a replay. A row whose status fetch failed or said "pending" is taken up again."""
    try:
        with transaction.atomic():
            return ProviderNotification.objects.create(
                provider=provider,
                transaction_id=transaction_id,
                status=status,
                order_ref=order_ref,
                amount=amount,
                raw=dict(raw),
            )
    except IntegrityError:
        pass
    key = {"provider": provider, "transaction_id": transaction_id, "status": status}
    # Conditional UPDATE: of two concurrent retries, one takes the row up.
    taken = ProviderNotification.objects.filter(**key, outcome__in=(Outcome.PROVIDER_ERROR, Outcome.PENDING))
    if taken.update(outcome=Outcome.RECEIVED):
        return ProviderNotification.objects.get(**key)
    return None


def _finish(record: ProviderNotification, outcome: str, detail: str = "") -> None:
    record.outcome, record.detail = outcome, detail[:200]
    record.save(update_fields=["outcome", "detail"])


def _apply(attempt: PaymentAttempt, status: ProviderStatus) -> tuple[str, str]:
    if status.status is PaymentStatus.PAID:
        return _settle(attempt, status)
    if status.status in (PaymentStatus.EXPIRED, PaymentStatus.FAILED):
        closed = PaymentAttempt.State.EXPIRED if status.status is PaymentStatus.EXPIRED else PaymentAttempt.State.FAILED
        # Only a pending attempt closes: a late "expired" never undoes a payment.
        PaymentAttempt.objects.filter(pk=attempt.pk, state=PaymentAttempt.State.PENDING).update(state=closed)
        return Outcome.CLOSED, ""
    if status.status is PaymentStatus.REFUNDED:
        logger.warning("refund reported for %s; refunds are booked by hand", attempt.provider_ref)
        return Outcome.REVIEW, "refunded at the provider"
    return Outcome.PENDING, ""


def _settle(attempt: PaymentAttempt, status: ProviderStatus) -> tuple[str, str]:
    order = Order.objects.get(pk=attempt.order_id)
    if order.payment_state == Order.PaymentState.PAID and attempt.state == PaymentAttempt.State.PAID:
        return Outcome.ALREADY_PAID, ""
    amount_due = order.amount_due or 0
    if attempt.amount != amount_due or not status.confirms(order_ref=attempt.provider_ref, amount=amount_due):
        logger.warning("payment %s of %s does not match %s due", attempt.provider_ref, status.gross_amount, amount_due)
        return Outcome.REVIEW, f"paid {status.gross_amount}, due {amount_due}"
    try:
        with transaction.atomic():
            order_mark_paid(
                order=order, amount=status.gross_amount, source=f"{attempt.provider}:{status.transaction_id}"
            )
            PaymentAttempt.objects.filter(pk=attempt.pk).update(state=PaymentAttempt.State.PAID)
    except DomainError as refused:
        attempt.refresh_from_db(fields=["state"])
        if attempt.state == PaymentAttempt.State.PAID:  # a concurrent notification of this payment won
            return Outcome.ALREADY_PAID, ""
        # Paid by another attempt, by hand, or after the order was cancelled: a person sorts it out.
        logger.warning("paid %s refused: %s", attempt.provider_ref, refused.code)
        return Outcome.REVIEW, refused.code
    return Outcome.PAID, ""


def payments_recheck(provider: PaymentProvider, *, now: datetime) -> dict[str, int]:
    """Ask the provider again about pending attempts it notified us of, or whose QR has expired.

    Each answer is applied as a notification's would be; the attempt's unfinished notifications take the
    final outcome (so their replays are replays). An attempt the provider still calls pending an hour
    after its expiry is closed here. Returns the count of each outcome (and ``error`` for failed queries).
    """
    notified = ProviderNotification.objects.filter(provider=provider.name, outcome__in=NOT_FINAL)
    attempts = (
        PaymentAttempt.objects.filter(
            provider=provider.name, method=PaymentAttempt.Method.QRIS, state=PaymentAttempt.State.PENDING
        )
        .filter(Q(provider_ref__in=notified.values("order_ref")) | Q(expires_at__lte=now))
        .order_by("pk")[:RECHECK_BATCH]
    )
    counts: dict[str, int] = {}
    for attempt in attempts:
        try:
            status = provider.fetch_status(attempt.provider_ref)
        except ProviderError as error:
            logger.warning("re-check of %s failed: %s", attempt.provider_ref, error)
            counts["error"] = counts.get("error", 0) + 1
            continue
        outcome, detail = _apply(attempt, status)
        if outcome == Outcome.PENDING and attempt.expires_at and attempt.expires_at + EXPIRED_PENDING_GRACE <= now:
            PaymentAttempt.objects.filter(pk=attempt.pk, state=PaymentAttempt.State.PENDING).update(
                state=PaymentAttempt.State.EXPIRED
            )
            outcome, detail = Outcome.CLOSED, "still pending an hour after expiry"
        if outcome in FINAL:
            ProviderNotification.objects.filter(
                provider=provider.name, order_ref=attempt.provider_ref, outcome__in=NOT_FINAL
            ).update(outcome=outcome, detail=f"re-check: {detail}"[:200])
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts

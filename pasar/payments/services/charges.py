"""QRIS charges: ask the provider for a dynamic QR for exactly the issued amount, then record the attempt."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pasar.core.errors import DomainError
from pasar.orders.models import Order
from pasar.payments.models import PaymentAttempt
from pasar.payments.providers.base import PaymentProvider, ProviderError
from pasar.payments.selectors import qris_attempt_live


def _check_payable(order: Order) -> int:
    if order.payment_method != Order.PaymentMethod.QRIS:
        raise DomainError(_("This order is not paid by QRIS."), code="not_qris")
    if (
        order.state == Order.State.CANCELLED
        or order.payment_state != Order.PaymentState.AWAITING_PAYMENT
        or not order.amount_due
    ):
        raise DomainError(_("This order is not waiting for a payment."), code="not_awaiting_payment")
    return order.amount_due


def qris_charge_create(order: Order, provider: PaymentProvider) -> PaymentAttempt:
    """A live QRIS charge for the order's issued amount: the unexpired one, or a new one from the provider.

    The provider is called with no transaction open and no row locked (it may take seconds); the
    attempt is recorded afterwards in a short transaction that re-checks the order under its lock.
    """
    order = Order.objects.get(pk=order.pk)
    amount = _check_payable(order)
    live = qris_attempt_live(order, amount)
    if live is not None:
        return live
    # One reference per attempt: a new amount or an expired QR gets the next number.
    ref = f"{order.number}-{order.payment_attempts.count() + 1}"
    try:
        charge = provider.create_qris(ref, amount)
    except (ProviderError, ValueError) as error:
        raise DomainError(
            _("The QRIS provider did not answer; try again in a minute or choose another method."),
            code="provider_unavailable",
        ) from error
    try:
        with transaction.atomic():
            locked = Order.objects.select_for_update().get(pk=order.pk)
            if _check_payable(locked) != amount:
                raise DomainError(_("The amount to pay changed; reload the page."), code="amount_changed")
            return PaymentAttempt.objects.create(
                order=locked,
                provider=provider.name,
                method=PaymentAttempt.Method.QRIS,
                amount=charge.amount,
                provider_ref=charge.order_ref,
                qr_string=charge.qr_string,
                expires_at=charge.expires_at,
            )
    except IntegrityError:
        # A concurrent request recorded the same reference first (the provider returned the same charge).
        return PaymentAttempt.objects.get(provider=provider.name, provider_ref=ref)

"""An operator records a bank mutation that pays a transfer order."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.orders.models import Order
from pasar.orders.services.payment import order_mark_paid
from pasar.payments.access import operates_market
from pasar.payments.models import PaymentAttempt

MANUAL_PROVIDER = "manual"


def transfer_confirm_manual(*, order: Order, amount: int, operator: User, reference: str) -> Order:
    """Mark a transfer order paid from the bank mutation: the market's own operator, the exact amount, once."""
    if not operates_market(operator, order.market_id):
        raise DomainError(_("Only an operator of this market can confirm its payments."), code="not_operator")
    if order.payment_method != Order.PaymentMethod.TRANSFER:
        raise DomainError(_("This order is not paid by bank transfer."), code="not_transfer")
    reference = reference.strip()
    if not reference or len(reference) > 100:
        raise DomainError(
            _("Enter the bank's reference of the transfer (at most 100 characters)."),
            code="reference_required",
            field="reference",
        )
    try:
        with transaction.atomic():
            paid = order_mark_paid(order=order, amount=amount, source=f"{MANUAL_PROVIDER}:{reference}", actor=operator)
            # The unique (provider, reference) stops one bank mutation from paying two orders.
            PaymentAttempt.objects.create(
                order=paid,
                provider=MANUAL_PROVIDER,
                method=PaymentAttempt.Method.TRANSFER,
                amount=amount,
                provider_ref=reference,
                state=PaymentAttempt.State.PAID,
            )
    except IntegrityError as error:
        raise DomainError(
            _("This bank reference already paid another order."), code="reference_used", field="reference"
        ) from error
    return paid

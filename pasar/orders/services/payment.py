"""The one way an order becomes paid by transfer or QRIS (cash on delivery is paid in ``courier_deliver``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from pasar.accounts.models import User
from pasar.core.errors import DomainError
from pasar.orders import events
from pasar.orders.models import Order


@transaction.atomic
def order_mark_paid(*, order: Order, amount: int, source: str, actor: User | None = None) -> Order:
    """Paid exactly once, for exactly the issued amount, only while the order waits for its payment."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.state == Order.State.CANCELLED or order.payment_state != Order.PaymentState.AWAITING_PAYMENT:
        raise DomainError(_("This order is not waiting for a payment."), code="not_awaiting_payment")
    if isinstance(amount, bool) or amount != order.amount_due:
        raise DomainError(
            _("The amount paid is not the amount due (%(amount)s).") % {"amount": order.amount_due},
            code="amount_mismatch",
            field="amount",
        )
    order.payment_state = Order.PaymentState.PAID
    order.save(update_fields=["payment_state", "updated_at"])
    events.record(order, "paid", actor=actor, amount=amount, source=source[:200])
    return order

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessConfig(AppConfig):
    name = "pasar.business"
    label = "business"
    verbose_name = _("Business buyers")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from pasar.business.terms import PROVIDER
        from pasar.complaints.models import Complaint
        from pasar.orders import payment_terms
        from pasar.orders.signals import order_delivered

        payment_terms.register(PROVIDER)
        post_save.connect(_credit_refund, sender=Complaint, dispatch_uid="business.credit_note")
        # After payments' receiver (connected earlier: payments is lower in INSTALLED_APPS) posted the order.
        order_delivered.connect(_invoice_delivered_order, dispatch_uid="business.invoice_order")


def _invoice_delivered_order(sender: Any, order: Any, **kwargs: Any) -> None:
    from pasar.business.services import invoice_issue_for_order

    invoice_issue_for_order(order=order)


def _credit_refund(sender: Any, instance: Any, **kwargs: Any) -> None:
    """A refund on an invoiced order gets its credit note once the complaint's transaction committed."""
    if instance.refund_entry_id is None:
        return
    from django.db import transaction

    from pasar.business.services import credit_note_for_complaint

    transaction.on_commit(lambda: credit_note_for_complaint(complaint=instance))

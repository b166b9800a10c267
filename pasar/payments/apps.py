from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "pasar.payments"
    label = "payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        from pasar.orders.signals import order_delivered

        order_delivered.connect(_post_delivered_order, dispatch_uid="payments.ledger_post_order")


def _post_delivered_order(sender: Any, order: Any, **kwargs: Any) -> None:
    from pasar.payments.services import ledger_post_order

    ledger_post_order(order=order)

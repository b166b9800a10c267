"""Writes of the payments app: QRIS charges, notifications, manual transfer confirmation, the ledger."""

from pasar.payments.services.charges import qris_charge_create
from pasar.payments.services.ledger import (
    LedgerError,
    entry_post,
    ledger_post_delivered_orders,
    ledger_post_order,
    ledger_post_receipt,
    ledger_post_refund,
    ledger_reverse,
)
from pasar.payments.services.manual import transfer_confirm_manual
from pasar.payments.services.notifications import Handled, UnknownPaymentRef, notification_handle, payments_recheck

__all__ = [
    "Handled",
    "LedgerError",
    "UnknownPaymentRef",
    "entry_post",
    "ledger_post_delivered_orders",
    "ledger_post_order",
    "ledger_post_receipt",
    "ledger_post_refund",
    "ledger_reverse",
    "notification_handle",
    "payments_recheck",
    "qris_charge_create",
    "transfer_confirm_manual",
]

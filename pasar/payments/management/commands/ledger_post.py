"""``manage.py ledger_post``: post every delivered, paid order not yet in the ledger (for cron)."""

from typing import Any

from django.core.management.base import BaseCommand

from pasar.payments.services import ledger_post_delivered_orders


class Command(BaseCommand):
    help = "Post every delivered, paid order that has no ledger entry yet; safe to run any number of times."

    def handle(self, *args: Any, **options: Any) -> None:
        posted = ledger_post_delivered_orders()
        self.stdout.write(f"{posted} orders posted")

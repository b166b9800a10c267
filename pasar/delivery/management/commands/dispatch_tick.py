from typing import Any

from django.core.management.base import BaseCommand

from pasar.delivery.tasks import tick


class Command(BaseCommand):
    help = "Expire courier offers, discover ready delivery orders, offer trips, poll external couriers."

    def handle(self, *args: Any, **options: Any) -> None:
        offers = tick()
        self.stdout.write(f"{offers} offers made")

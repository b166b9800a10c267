from typing import Any

from django.core.management.base import BaseCommand

from pasar.regions.services import regions_load


class Command(BaseCommand):
    help = "Load the shipped Kemendagri provinces, kab/kota and kecamatan (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        added = regions_load()
        self.stdout.write(f"{added} regions added.")

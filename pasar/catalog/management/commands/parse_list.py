import sys
from typing import Any

from django.core.management.base import BaseCommand

from pasar.catalog.shopping_list.cli import DESCRIPTION, read_text, render


class Command(BaseCommand):
    help = DESCRIPTION
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(render(read_text(sys.stdin)))

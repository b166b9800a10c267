from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from pasar.demo.history import HISTORY_DAYS
from pasar.demo.services import demo_is_loaded, demo_load


class Command(BaseCommand):
    help = "Load the demo markets, stalls, products and role logins into an empty database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--history-days", type=int, default=HISTORY_DAYS, help="days of past orders per market (0: none)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_is_loaded():
            self.stdout.write("Database already has markets; demo data not loaded.")
            return
        for login in demo_load(history_days=options["history_days"]):
            self.stdout.write(f"{login.role:9} {login.phone}  {login.name}")

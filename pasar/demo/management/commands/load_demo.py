from typing import Any

from django.core.management.base import BaseCommand

from pasar.demo.services import demo_is_loaded, demo_load


class Command(BaseCommand):
    help = "Load the demo markets, stalls, products and role logins into an empty database."

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_is_loaded():
            self.stdout.write("Database already has markets; demo data not loaded.")
            return
        for login in demo_load():
            self.stdout.write(f"{login.role:9} {login.phone}  {login.name}")

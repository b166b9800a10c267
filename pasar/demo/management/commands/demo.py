from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from pasar.core.phone import display_phone
from pasar.demo.services import DEMO_PASSWORD, ROLE_LOGINS, demo_is_loaded, demo_load


class Command(BaseCommand):
    help = "Run Pasar Daring on SQLite with demo data: migrate, load demo data if empty, serve."

    def add_arguments(self, parser: CommandParser) -> None:
        # --data-dir is read by pasar.cli before settings load; declared here for --help.
        parser.add_argument("--data-dir", default="var", help="folder for the database and uploads (default ./var)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="prepare the database and exit")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        if demo_is_loaded():
            self.stdout.write(f"Demo data already present in {settings.DATA_DIR}")
        else:
            self.stdout.write("Loading demo data (regions, 12 markets, stalls, products)...")
            demo_load()
        self.stdout.write(f"\nPasar Daring demo: http://{options['host']}:{options['port']}/")
        self.stdout.write(f"Logins (phone / password {DEMO_PASSWORD}):")
        for role, phone, name in ROLE_LOGINS:
            self.stdout.write(f"  {role:9} {display_phone(phone)}  {name}")
        if options["no_serve"]:
            return
        call_command("runserver", f"{options['host']}:{options['port']}", use_reloader=False, skip_checks=True)
